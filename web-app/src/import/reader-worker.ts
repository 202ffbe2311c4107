import { expose, transfer } from 'comlink';
import { contentHash } from './hash';

/**
 * Reads and hashes files off the main thread: Blob.arrayBuffer() and the hash both cost main
 * thread time per file, which adds up to long tasks at thousands of files. The bytes come back
 * transferred (no copy) and go on, transferred again, to an engine worker.
 */
const api = {
  async read(blob: Blob): Promise<{ bytes: ArrayBuffer; hash: string }> {
    const bytes = await blob.arrayBuffer();
    const hash = await contentHash(new Uint8Array(bytes));
    return transfer({ bytes, hash }, [bytes]);
  },
};

export type ReaderApi = typeof api;
expose(api);
