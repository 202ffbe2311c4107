#!/usr/bin/env node
// HTML report of the last server benchmark runs (make benchmark-ui): reads .bench/server-*.json,
// writes .bench/server-report.html and opens it in a browser when one is available.
//   node scripts/bench-report.mjs [--last 10] [--no-open]
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './bench-lib.mjs';

const args = process.argv.slice(2);
const lastN = Number(args[args.indexOf('--last') + 1] || 10) || 10;
const dir = join(REPO_DIR, '.bench');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => /^server-.*\.json$/.test(f))
      .sort()
      .slice(-lastN)
  : [];
if (files.length === 0) {
  console.error('no server benchmark runs in .bench/ yet: run `make benchmark-quick` first');
  process.exit(1);
}
const runs = files.map((f) => ({ file: f, ...JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
const esc = (s) =>
  String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function bars(rows, max, target) {
  const w = 520;
  const h = rows.length * 26 + 10;
  const x = (v) => Math.round((v / max) * (w - 180));
  const items = rows
    .map(
      (r, i) =>
        `<text x="0" y="${i * 26 + 20}" font-size="12">${esc(r.label)}</text>` +
        `<rect x="170" y="${i * 26 + 6}" width="${x(r.value)}" height="18" fill="${r.ok ? '#2f855a' : '#c05621'}"/>` +
        `<text x="${175 + x(r.value)}" y="${i * 26 + 20}" font-size="12">${r.value.toLocaleString()}</text>`,
    )
    .join('');
  const t = target
    ? `<line x1="${170 + x(target)}" x2="${170 + x(target)}" y1="0" y2="${h}" stroke="#000" stroke-dasharray="4 3"/>`
    : '';
  return `<svg width="${w + 80}" height="${h}" role="img">${items}${t}</svg>`;
}

let html = `<!doctype html><meta charset="utf-8"><title>server-lite benchmarks</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:1100px}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
.ok{color:#2f855a}.bad{color:#c05621}h2{margin-top:2.5rem}</style>
<h1>server-lite benchmarks</h1><p>Last ${runs.length} run(s) from <code>.bench/</code>. Target: ≥ 12,000 req/s on the mix, list p95 ≤ 10 ms, 0 errors (dashed line).</p>`;

const latest = runs.at(-1);
const maxRps = Math.max(...runs.flatMap((r) => r.summary.map((s) => s.rps)), 12_000);
html += `<h2>Requests per second, every run</h2>`;
html += bars(
  runs.flatMap((r) =>
    r.summary.map((s) => ({
      label: `${r.date.slice(5, 16)} ${s.stores} ${s.connections}c`,
      value: s.rps,
      ok: s.meetsTarget,
    })),
  ),
  maxRps,
  12_000,
);

for (const r of [...runs].reverse()) {
  html += `<h2>${esc(r.date)}${r === latest ? ' (latest)' : ''}</h2><p>${esc(r.machine.cores)} cores, ${esc(r.machine.cpu ?? '')}, node ${esc(r.machine.node)}; load average at start ${esc(
    (r.machine.loadavg ?? []).join(' / '),
  )}; ${r.settings.samples} samples, page ${r.settings.pageSize}, ${r.settings.durationSec}s per run.</p>`;
  for (const res of r.results) {
    for (const m of res.mix) {
      const ok = r.summary.find(
        (s) => s.stores === res.stores && s.connections === m.connections,
      )?.meetsTarget;
      html += `<h3>${esc(res.stores)} · ${m.connections} connections: ${m.rps.toLocaleString()} req/s, errors ${m.errors} <span class="${ok ? 'ok' : 'bad'}">${ok ? 'meets target' : 'below target'}</span></h3>`;
      html +=
        '<table><tr><th>endpoint</th><th>req/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>errors</th></tr>';
      for (const [tag, e] of Object.entries(m.endpoints)) {
        html += `<tr><td>${esc(tag)}</td><td>${e.rps}</td><td>${e.p50ms}</td><td>${e.p95ms}</td><td>${e.p99ms}</td><td>${e.errors}</td></tr>`;
      }
      html += '</table>';
    }
    const l = res.login;
    const le = l.endpoints.login ?? {};
    html += `<p>login (scrypt): ${l.rps} req/s, p50 ${le.p50ms} ms, p95 ${le.p95ms} ms, errors ${l.errors}</p>`;
  }
}
const out = join(dir, 'server-report.html');
writeFileSync(out, html);
console.log(`report: ${out}`);
if (!args.includes('--no-open')) {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start' : 'xdg-open';
  const p = spawn(opener, [out], { stdio: 'ignore', detached: true });
  p.on('error', () => console.log(`(no browser opener found: open ${out} yourself)`));
  p.unref();
}
