// A real server-lite in its own process for the sync specs and the sync benchmark: real Redis
// (pub/sub pokes, sessions, cache) when asked, the embedded document store in a data folder that
// outlives the process, so the server can be killed (SIGKILL, no graceful shutdown) and started
// again on the same port with everything it had committed.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Service, startRedis } from '../../../server-lite/test/services';
import { freePort } from './ai-server';

export const SERVER_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../server-lite');

/** Variables a developer's .env could set that must not leak into a test server. */
const BLANK = Object.fromEntries(
  [
    ...['OPENAI', 'ANTHROPIC', 'GEMINI', 'OLLAMA'].flatMap((p) => [
      `${p}_API_KEY`,
      `${p}_BASE_URL`,
      `${p}_MODEL`,
    ]),
    'MONGODB_URL',
    'CHROMA_URL',
  ].map((k) => [k, '']),
);

export type SyncServerOptions = {
  /** Run against a real redis-server started here (default true). */
  redis?: boolean;
  /** Extra environment, e.g. { ACCESS_TOKEN_TTL_SEC: '10' }. */
  env?: Record<string, string>;
  /** Log level of the server (default warn). */
  logLevel?: string;
  /**
   * Runs once before the server first starts, with the environment it will run with (data folder,
   * Redis): e.g. seed a library into its stores with seedLibrary().
   */
  prepare?: (env: Record<string, string>) => Promise<void>;
};

export type SyncServer = {
  /** Base URL the app connects to (no trailing slash). */
  url: string;
  port: number;
  dataDir: string;
  redis: Service | null;
  /** The live server process (changes on restart). */
  proc(): ChildProcess;
  /** Everything the server processes printed, across restarts. */
  output(): string;
  /** SIGKILL: no graceful shutdown, requests in flight are cut. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: the process stops answering without closing its sockets. */
  freeze(): void;
  thaw(): void;
  /** Starts the server again on the same port, data folder and Redis. */
  start(): Promise<void>;
  /** User + system CPU seconds the current server process has used (Linux /proc). */
  cpuSeconds(): number;
  /** Stops the server and Redis and deletes the data folder. */
  stop(): Promise<void>;
};

function waitExit(p: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const t = setTimeout(() => p.kill('SIGKILL'), graceMs);
    p.once('exit', () => {
      clearTimeout(t);
      ok();
    });
    p.kill(signal);
  });
}

/** CPU seconds (utime + stime) of a process, from /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: split after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in clock ticks (100/s on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts redis-server (unless `redis: false`) and server-lite on free ports; resolves once /health answers. */
export async function startSyncServer(options: SyncServerOptions = {}): Promise<SyncServer> {
  const redis = options.redis === false ? null : await startRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'samplemind-sync-test-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  let proc: ChildProcess | null = null;

  const env: Record<string, string> = {
    ...BLANK,
    NODE_ENV: 'development',
    LOG_LEVEL: options.logLevel ?? 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    SAMPLEMIND_DATA_DIR: dataDir,
    JWT_SECRET: 'web-app-sync-tests-0123456789abcdef',
    PASSWORD_SCRYPT_N: '1024',
    AUTH_RATE_LIMIT_IP: '0',
    AUTH_RATE_LIMIT_ACCOUNT: '0',
    REDIS_URL: redis?.url ?? '',
    ...options.env,
  };

  const start = async () => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(SERVER_DIR, 'src/main.ts')], {
      cwd: SERVER_DIR,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc = p;
    p.stdout!.on('data', (d) => {
      out += d;
    });
    p.stderr!.on('data', (d) => {
      out += d;
    });
    const until = Date.now() + 90_000;
    for (;;) {
      if (p.exitCode !== null) throw new Error(`server-lite exited with ${p.exitCode}: ${out.slice(-4000)}`);
      try {
        if ((await fetch(`${url}/health`)).ok) return;
      } catch {}
      if (Date.now() > until) {
        await waitExit(p, 'SIGKILL', 1000);
        throw new Error(`server-lite did not start within 90 s: ${out.slice(-4000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const server: SyncServer = {
    url,
    port,
    dataDir,
    redis,
    proc: () => {
      if (!proc) throw new Error('server-lite is not running');
      return proc;
    },
    output: () => out,
    kill: async () => {
      if (proc) await waitExit(proc, 'SIGKILL', 5000);
    },
    freeze: () => {
      proc?.kill('SIGSTOP');
    },
    thaw: () => {
      proc?.kill('SIGCONT');
    },
    start,
    cpuSeconds: () => processCpuSeconds(server.proc().pid!),
    stop: async () => {
      if (proc) {
        proc.kill('SIGCONT');
        await waitExit(proc, 'SIGTERM', 10_000);
      }
      await redis?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await options.prepare?.(env);
    await start();
  } catch (e) {
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return server;
}

export type SeedResult = {
  userId: string;
  email: string;
  username: string;
  clientId: string;
  counts: { samples: number; tagged: number; collections: number; mutations: number } & Record<
    string,
    number
  >;
  elapsedMs: number;
};

/**
 * Seeds a synthetic library of `count` samples for a user straight into the server's stores
 * (server-lite/scripts/seed-sync-library.ts), with the environment the server runs with.
 */
export async function seedLibrary(
  env: Record<string, string>,
  user: { email: string; username: string; password: string },
  count: number,
  log: (line: string) => void = () => {},
): Promise<SeedResult> {
  const args = [
    '--import',
    'tsx',
    join(SERVER_DIR, 'scripts/seed-sync-library.ts'),
    '--count',
    String(count),
    '--user-email',
    user.email,
    '--username',
    user.username,
    '--password',
    user.password,
  ];
  const p = spawn(process.execPath, args, {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env },
    stdio: 'pipe',
  });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => {
    out += d;
  });
  p.stderr.on('data', (d) => {
    err += d;
    for (const line of String(d).split('\n')) if (line.trim()) log(line.trim());
  });
  const code = await new Promise<number | null>((ok) => p.once('exit', ok));
  if (code !== 0) throw new Error(`seed-sync-library exited with ${code}: ${err.slice(-2000)}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as SeedResult;
}
