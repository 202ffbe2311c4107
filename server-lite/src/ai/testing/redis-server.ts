import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

export type RedisServer = { url: string; port: number; stop(): Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
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

/** A private redis-server (no persistence) on a free loopback port, for one test file. */
export async function startRedisServer(
  bin = process.env.REDIS_SERVER_BIN ?? 'redis-server',
): Promise<RedisServer> {
  const port = await freePort();
  const proc: ChildProcess = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const until = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with code ${proc.exitCode}`);
    if (Date.now() > until) {
      proc.kill('SIGKILL');
      throw new Error('redis-server did not start within 10 s');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((ok) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return ok();
        const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
        proc.once('exit', () => {
          clearTimeout(t);
          ok();
        });
        proc.kill('SIGTERM');
      }),
  };
}
