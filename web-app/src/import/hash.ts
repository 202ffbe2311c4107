import { createXXHash128, xxhash128 } from 'hash-wasm';

const CHUNK = 4 * 1024 * 1024;

/**
 * Content identity: xxhash128 hex, the same digest the engine computes. Large files are hashed
 * in chunks with a yield between them so a 100 MB file never blocks the main thread for long.
 */
export async function contentHash(bytes: Uint8Array): Promise<string> {
  if (bytes.byteLength <= CHUNK) return xxhash128(bytes);
  const h = await createXXHash128();
  h.init();
  for (let off = 0; off < bytes.byteLength; off += CHUNK) {
    h.update(bytes.subarray(off, off + CHUNK));
    await new Promise((r) => setTimeout(r, 0));
  }
  return h.digest('hex');
}
