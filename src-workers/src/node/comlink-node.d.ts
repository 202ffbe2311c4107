declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  // Typed loosely: worker_threads' MessagePort and Worker both satisfy comlink's NodeEndpoint.
  export default function nodeEndpoint(nep: unknown): Endpoint;
}
