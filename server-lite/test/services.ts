import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SERVER_DIR = resolve(import.meta.dirname, '..');

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, proc?: ChildProcess) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc && proc.exitCode !== null) throw new Error(`${what} exited early with code ${proc.exitCode}`);
    if (await probe().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

/** A service process we started and must stop: kill() and start() again on the same port/data. */
export type Service = {
  url: string;
  port: number;
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
};

function killProc(p: ChildProcess | null): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const t = setTimeout(() => p.kill('SIGKILL'), 3000);
    p.once('exit', () => {
      clearTimeout(t);
      ok();
    });
    p.kill('SIGTERM');
  });
}

async function redisPing(port: number): Promise<boolean> {
  const { Socket } = await import('node:net');
  return new Promise((ok) => {
    const s = new Socket();
    s.setTimeout(500);
    s.once('error', () => ok(false));
    s.once('timeout', () => {
      s.destroy();
      ok(false);
    });
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.once('data', (d) => {
      s.destroy();
      ok(d.toString().startsWith('+PONG'));
    });
  });
}

/** A throwaway redis-server (no persistence) on a free port. */
export async function startRedis(): Promise<Service> {
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const svc: Service = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      proc = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      );
      await waitFor('redis-server', () => redisPing(port), 10_000, proc);
    },
    kill: () => killProc(proc),
    stop: () => killProc(proc),
  };
  await svc.start();
  return svc;
}

/** A local Chroma server (scripts/chroma-server.mjs) with its own data folder, on a free port. */
export async function startChroma(): Promise<Service> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sm-chroma-'));
  let proc: ChildProcess | null = null;
  const url = `http://127.0.0.1:${port}`;
  const svc: Service = {
    url,
    port,
    async start() {
      proc = spawn(
        process.execPath,
        [
          join(SERVER_DIR, 'scripts/chroma-server.mjs'),
          'run',
          '--path',
          dir,
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
        ],
        { stdio: 'ignore' },
      );
      await waitFor('chroma', async () => (await fetch(`${url}/api/v2/heartbeat`)).ok, 60_000, proc);
    },
    kill: () => killProc(proc),
    async stop() {
      await killProc(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await svc.start();
  return svc;
}
