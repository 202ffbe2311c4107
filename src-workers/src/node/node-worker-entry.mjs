// worker_threads entry: registers tsx in this thread so the TypeScript engine runs unbuilt.
import { register } from 'tsx/esm/api';

register();
await import('./node-worker.ts');
