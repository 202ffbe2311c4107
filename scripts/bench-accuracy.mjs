#!/usr/bin/env node
// Accuracy benchmark: runs the real CLI over the development corpus (../shared), converts its
// JSON lines to the scorer's format, and prints the scorer's report plus the targets.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.SAMPLEMIND_SHARED ?? resolve(root, '..', 'shared');
const corpus = process.env.SAMPLEMIND_DEV_CORPUS ?? '/tmp/samplemind-dev-corpus';
const outDir = join(root, '.bench');
mkdirSync(outDir, { recursive: true });

if (!existsSync(join(corpus, 'labels.csv'))) {
  console.error(`corpus missing at ${corpus}: building it with ${shared}/corpus/build.sh`);
  const built = spawnSync('bash', [join(shared, 'corpus', 'build.sh')], {
    stdio: 'inherit',
    env: { ...process.env, SAMPLEMIND_DEV_CORPUS: corpus },
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const typeToCategory = (t) => (t === 'drum-loop' ? 'drums' : t === 'music-loop' ? 'mix' : t);
const predictionsPath = join(outDir, 'accuracy-predictions.jsonl');
const predictions = [];
const started = performance.now();
const cli = spawn(
  process.execPath,
  [join(root, 'src-workers', 'bin', 'samplemind.mjs'), 'analyze', '--jsonl', '--compact', corpus],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const exited = new Promise((res) => cli.on('close', res));
let files = 0;
let failures = 0;
for await (const line of createInterface({ input: cli.stdout })) {
  if (!line.trim()) continue;
  const r = JSON.parse(line);
  files++;
  if (r.error) {
    failures++;
    predictions.push({ path: r.path, error: `${r.error.code}: ${r.error.message}` });
    continue;
  }
  predictions.push({
    path: r.path,
    bpm: r.tempo.bpm,
    key: r.key.tonic,
    scale: r.key.scale,
    category: typeToCategory(r.type.label),
    midi_note: r.pitch.midiNote,
    lufs: r.levels.lufs,
    is_loop: r.loop.isLoop,
  });
}
const code = await exited;
writeFileSync(predictionsPath, predictions.map((p) => `${JSON.stringify(p)}\n`).join(''));
const seconds = (performance.now() - started) / 1000;
if (code !== 0) {
  console.error(`the CLI exited with ${code}`);
  process.exit(1);
}

const scorer = join(shared, 'corpus', 'score.mjs');
const human = spawnSync(process.execPath, [scorer, predictionsPath, '--list-errors'], { encoding: 'utf8' });
process.stdout.write(human.stdout);
const json = JSON.parse(
  spawnSync(process.execPath, [scorer, predictionsPath, '--json'], { encoding: 'utf8' }).stdout,
);

const oneShotGroups = [
  'rendered_drum_oneshot',
  'rendered_melodic_oneshot',
  'rendered_fx_oneshot',
  'real_hydrogen',
];
let n = 0;
let ok = 0;
for (const g of oneShotGroups) {
  const o = json.category[`group ${g}`];
  if (o) {
    n += o.n;
    ok += o.accuracy * o.n;
  }
}
const figures = {
  files,
  failures,
  seconds: Math.round(seconds * 10) / 10,
  bpmAcc1: json.bpm.ALL.acc1,
  bpmAcc2: json.bpm.ALL.acc2,
  keyMirex: json.key.ALL.mirex_weighted,
  keyExact: json.key.ALL.exact,
  typeAccuracyOneShots: n ? ok / n : null,
  loopAccuracy: json.is_loop.ALL.accuracy,
  rootNoteExact: json.midi_note.ALL.exact,
  lufsMaeLu: json.lufs.ALL.mae_lu,
};
const targets = {
  bpmAcc1: 0.95,
  bpmAcc2: 0.99,
  keyMirex: 0.9,
  typeAccuracyOneShots: 0.9,
  loopAccuracy: 0.97,
  rootNoteExact: 0.9,
};
const report = {
  figures,
  targets,
  met: Object.fromEntries(Object.entries(targets).map(([k, t]) => [k, (figures[k] ?? 0) >= t])),
};
writeFileSync(join(outDir, 'accuracy.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log('\nSUMMARY (targets from issue 2)');
console.log(JSON.stringify(report));
const pct = (v) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);
for (const [k, t] of Object.entries(targets)) {
  const v = figures[k];
  console.log(
    `  ${k.padEnd(22)} ${k === 'keyMirex' ? (v ?? 0).toFixed(3).padStart(7) : pct(v).padStart(7)}  target ${k === 'keyMirex' ? t : pct(t)}  ${report.met[k] ? 'met' : 'NOT met'}`,
  );
}
console.log(
  `  ${files} files (${failures} rejected) in ${figures.seconds} s; LUFS MAE ${figures.lufsMaeLu?.toFixed(2) ?? 'n/a'} LU`,
);
