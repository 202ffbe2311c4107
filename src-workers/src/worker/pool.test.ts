import { Worker } from 'node:worker_threads';
import { wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineApi } from './engine-api';
import { createEnginePool, defaultPoolSize, type EnginePool, type PoolWorker } from './pool';

let spawned = 0;
function spawnScripted(): PoolWorker {
  spawned++;
  const worker = new Worker(new URL('./pool-test-worker.mjs', import.meta.url));
  const listeners: Array<(r: string) => void> = [];
  worker.on('error', (e) => {
    for (const l of listeners) l(e.message);
  });
  worker.on('exit', (c) => {
    for (const l of listeners) l(`exit ${c}`);
  });
  return {
    api: wrap<EngineApi>(nodeEndpoint(worker)),
    onCrash: (l) => listeners.push(l),
    terminate: () => void worker.terminate(),
  };
}

const bytes = (n = 8) => new ArrayBuffer(n);
let pool: EnginePool | null = null;
afterEach(() => pool?.close());

// The scripted worker echoes {path, byteLength, jobId} as its "result".
const echo = (o: unknown) => (o as { ok: true; result: { path: string; byteLength: number } }).result;

describe('engine pool', () => {
  it('sizes itself clamp(cores - 1, 1, 8)', () => {
    expect([1, 2, 4, 16, undefined].map(defaultPoolSize)).toEqual([1, 1, 3, 8, 1]);
  });

  it('runs the highest priority first, FIFO among equals, and honours setPriority', async () => {
    pool = createEnginePool({ size: 1, spawn: spawnScripted });
    const order: string[] = [];
    const submit = (path: string, priority = 0) => {
      const h = pool!.submit(bytes(), { path, priority });
      void h.done.then(() => order.push(path));
      return h;
    };
    const first = submit('a');
    submit('b');
    submit('c', 5);
    const d = submit('d');
    d.setPriority(9);
    await first.done;
    while (order.length < 4) await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(['a', 'd', 'c', 'b']);
  });

  it('replaces a crashed worker, fails only its job and finishes the batch', async () => {
    spawned = 0;
    pool = createEnginePool({ size: 2, spawn: spawnScripted });
    const paths = ['ok1', 'crash', 'ok2', 'exit', 'ok3', 'ok4'];
    const outcomes = await Promise.all(paths.map((path) => pool!.submit(bytes(), { path }).done));
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual([
      'ok',
      'worker-crashed',
      'ok',
      'worker-crashed',
      'ok',
      'ok',
    ]);
    const crashed = outcomes[1] as { ok: false; error: { message: string } };
    expect(crashed.error.message).toMatch(/crashed: boom/);
    expect(pool.stats().workers).toBe(2);
    expect(spawned).toBe(4);
  });

  it('kills a hung worker with the watchdog and reports a timeout', async () => {
    pool = createEnginePool({ size: 1, spawn: spawnScripted, watchdogMs: 300 });
    const hung = pool.submit(bytes(), { path: 'hang' }).done;
    const after = pool.submit(bytes(), { path: 'next' }).done;
    expect(await hung).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(echo(await after).path).toBe('next');
  });

  it('cancels queued and running jobs, and through an AbortSignal', async () => {
    pool = createEnginePool({ size: 1, spawn: spawnScripted });
    const running = pool.submit(bytes(), { path: 'wait' });
    const queued = pool.submit(bytes(), { path: 'queued' });
    const controller = new AbortController();
    const viaSignal = pool.submit(bytes(), { path: 'signal', signal: controller.signal });
    queued.cancel();
    controller.abort();
    await new Promise((r) => setTimeout(r, 50));
    running.cancel();
    expect(await queued.done).toMatchObject({ ok: false, error: { code: 'aborted' } });
    expect(await viaSignal.done).toMatchObject({ ok: false, error: { code: 'aborted' } });
    expect(await running.done).toMatchObject({ ok: false, error: { code: 'aborted' } });
    expect(echo(await pool.submit(bytes(), { path: 'still-works' }).done).path).toBe('still-works');
  });

  it('pauses and resumes without losing jobs', async () => {
    pool = createEnginePool({ size: 1, spawn: spawnScripted });
    pool.pause();
    const h = pool.submit(bytes(), { path: 'later' });
    await new Promise((r) => setTimeout(r, 100));
    expect(pool.stats()).toMatchObject({ queued: 1, running: 0, completed: 0, isPaused: true });
    pool.resume();
    expect(echo(await h.done).path).toBe('later');
  });

  it('transfers the bytes (the sender is left with a detached buffer) and loads lazily', async () => {
    pool = createEnginePool({ size: 1, spawn: spawnScripted });
    const buf = bytes(1024);
    const done = pool.submit(buf, { path: 'x' }).done;
    const result = echo(await done);
    expect(result.byteLength).toBe(1024);
    expect(buf.byteLength).toBe(0);
    let isLoaded = false;
    const lazy = pool.submit(
      async () => {
        isLoaded = true;
        return bytes(7);
      },
      { path: 'lazy' },
    );
    expect(echo(await lazy.done).byteLength).toBe(7);
    expect(isLoaded).toBe(true);
  });

  it('reports a file that cannot be read as unreadable', async () => {
    pool = createEnginePool({ size: 1, spawn: spawnScripted });
    const outcome = await pool.submit(async () => {
      throw new Error('ENOENT: no such file');
    }).done;
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'unreadable', message: expect.stringMatching(/ENOENT/) },
    });
  });
});
