// A real worker_threads worker with scripted behaviour, for pool.test.ts: the pool is under test,
// so the worker crashes, hangs or waits on purpose depending on the job's path.
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';

const cancelled = new Set();
const api = {
  async analyse(jobId, bytes, options) {
    const path = options.path ?? '';
    if (path === 'crash')
      setTimeout(() => {
        throw new Error('boom');
      });
    if (path === 'exit') process.exit(3);
    if (path === 'hang') for (;;) {}
    if (path === 'wait') {
      while (!cancelled.has(jobId)) await new Promise((r) => setTimeout(r, 5));
      return { ok: false, error: { code: 'aborted', message: 'analysis was cancelled' } };
    }
    if (path === 'crash') await new Promise((r) => setTimeout(r, 1000));
    return { ok: true, result: { path, byteLength: bytes.byteLength, jobId } };
  },
  cancel(jobId) {
    cancelled.add(jobId);
  },
  ping: () => 'pong',
};
expose(api, nodeEndpoint(parentPort));
