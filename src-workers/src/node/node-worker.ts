// Thin adapter: exposes the engine API to the parent thread.
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { engineApi } from '../worker/engine-api';

if (!parentPort) throw new Error('node-worker must run in a worker thread');
expose(engineApi, nodeEndpoint(parentPort));
