#!/usr/bin/env node
// `make dev`: the API (reloading on change, embedded stores unless configured) and the Vite dev
// server together; Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_DIR, SERVER_DIR } from './bench-lib.mjs';

const procs = [
  {
    name: 'api',
    cmd: process.execPath,
    args: ['--import', 'tsx', '--watch', '--watch-preserve-output', join(SERVER_DIR, 'src/main.ts')],
    cwd: SERVER_DIR,
  },
  { name: 'web', cmd: 'npm', args: ['run', 'dev', '-w', 'web-app'], cwd: REPO_DIR },
];

const children = procs.map((p) => {
  const child = spawn(p.cmd, p.args, {
    cwd: p.cwd,
    env: { ...process.env, FORCE_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (stream, out) =>
    stream.on('data', (d) => {
      for (const line of String(d).split('\n')) if (line) out.write(`[${p.name}] ${line}\n`);
    });
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code) => {
    console.log(`[${p.name}] exited with ${code}; stopping`);
    stop(code ?? 1);
  });
  return child;
});

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
console.log('API on http://localhost:8080 (docs at /docs), web app from Vite (http://localhost:5173)');
