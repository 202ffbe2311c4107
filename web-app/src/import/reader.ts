import { type Remote, wrap } from 'comlink';
import { contentHash } from './hash';
import type { ReaderApi } from './reader-worker';

export type ReadResult = { bytes: ArrayBuffer; hash: string };
export type Reader = (blob: Blob) => Promise<ReadResult>;

/** Reads and hashes on the calling thread (tests, and a fallback). */
export const readHere: Reader = async (blob) => {
  const bytes = await blob.arrayBuffer();
  return { bytes, hash: await contentHash(new Uint8Array(bytes)) };
};

/** Reads and hashes in a dedicated worker (the app). */
export function workerReader(): Reader {
  let remote: Remote<ReaderApi> | null = null;
  return (blob) => {
    remote ??= wrap<ReaderApi>(
      new Worker(new URL('./reader-worker.ts', import.meta.url), {
        type: 'module',
        name: 'samplemind-reader',
      }),
    );
    return remote.read(blob);
  };
}
