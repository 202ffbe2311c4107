import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, SERVER_DIR } from './services';

export type ServerProcess = { url: string; proc: ChildProcess; output: () => string; stop(): Promise<void> };

/** Runs src/main.ts as its own process (what `npm start` runs) and waits for /health. */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  let out = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', join(SERVER_DIR, 'src/main.ts')], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}: ${out}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    if (Date.now() > until) {
      proc.kill('SIGKILL');
      throw new Error(`server did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    output: () => out,
    stop: () =>
      new Promise<void>((ok) => {
        if (proc.exitCode !== null) return ok();
        const t = setTimeout(() => proc.kill('SIGKILL'), 12_000);
        proc.once('exit', () => {
          clearTimeout(t);
          ok();
        });
        proc.kill('SIGTERM');
      }),
  };
}

/** Runs src/main.ts expecting it to refuse to start; resolves with its exit code and output. */
export function runServerExpectingExit(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    const proc = spawn(process.execPath, ['--import', 'tsx', join(SERVER_DIR, 'src/main.ts')], {
      cwd: SERVER_DIR,
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const t = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server kept running: ${out}`));
    }, 20_000);
    proc.once('exit', (code) => {
      clearTimeout(t);
      resolve({ code, output: out });
    });
  });
}

export async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, text, json };
}
