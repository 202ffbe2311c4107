// A real server-lite in its own process (what `npm start` runs), with its AI providers pointed at
// the provider stub (server-lite/src/ai/testing/provider-stub.ts, the providers' real wire
// protocols). Used by the AI e2e spec and by the account/AI unit tests of the web app.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AiProviderId } from '@samplemind/contract';
import { type ProviderStub, startProviderStub } from '../../../server-lite/src/ai/testing/provider-stub';

const SERVER_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../server-lite');

const AI_VARS = ['OPENAI', 'ANTHROPIC', 'GEMINI', 'OLLAMA'].flatMap((p) => [
  `${p}_API_KEY`,
  `${p}_BASE_URL`,
  `${p}_MODEL`,
]);

export type TestServer = {
  url: string;
  /** The provider stub behind it (null when started without providers). */
  stub: ProviderStub | null;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
};

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Env that points each listed provider at the stub, in that priority order (as server-lite's stubEnv). */
export function stubEnv(stub: ProviderStub, providers: AiProviderId[]): Record<string, string> {
  const env: Record<string, string> = { AI_PROVIDER_PRIORITY: providers.join(',') };
  for (const p of providers) {
    const prefix = p.toUpperCase();
    env[`${prefix}_BASE_URL`] = stub.baseURL(p);
    env[`${prefix}_MODEL`] = `${p}-stub-model`;
    const key = stub.keys[p];
    if (key !== undefined) env[`${prefix}_API_KEY`] = key;
  }
  return env;
}

/**
 * Starts the stub (when `providers` is not empty) and server-lite on a free port with a fresh data
 * directory; resolves once GET /health answers. Auth rate limits are off (tests sign up many users
 * from one address); `env` overrides anything.
 */
export async function startTestServer(
  options: { providers?: AiProviderId[]; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const providers = options.providers ?? ['openai'];
  const stub = providers.length ? await startProviderStub() : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'samplemind-ai-test-'));
  const port = await freePort();
  // Blank every AI variable first so a developer's own keys (environment or .env) never leak in.
  const blank = Object.fromEntries(AI_VARS.map((k) => [k, '']));
  let out = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', join(SERVER_DIR, 'src/main.ts')], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      ...blank,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      SAMPLEMIND_DATA_DIR: dataDir,
      JWT_SECRET: 'web-app-ai-tests-0123456789abcdef',
      PASSWORD_SCRYPT_N: '1024',
      AUTH_RATE_LIMIT_IP: '0',
      AUTH_RATE_LIMIT_ACCOUNT: '0',
      REDIS_URL: '',
      MONGODB_URL: '',
      CHROMA_URL: '',
      ...(stub ? stubEnv(stub, providers) : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => {
    out += d;
  });
  proc.stderr!.on('data', (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      await new Promise<void>((ok) => {
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        proc.once('exit', () => {
          clearTimeout(t);
          ok();
        });
        proc.kill('SIGTERM');
      });
    }
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const until = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) {
      await stop();
      throw new Error(`server-lite exited with ${proc.exitCode}: ${out}`);
    }
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    if (Date.now() > until) {
      await stop();
      throw new Error(`server-lite did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stub, proc, output: () => out, stop };
}
