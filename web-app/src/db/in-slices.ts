import type { Table } from 'dexie';

/**
 * Rows handed to IndexedDB per call. The browser clones each row on the main thread when it is
 * handed over (about 25 µs for a file row), so one bulk call of a whole pull page (thousands of
 * rows) was one long task of 100–250 ms. A slice of 500 is about 12 ms.
 */
export const WRITE_SLICE = 500;

/**
 * bulkAdd in slices inside the caller's transaction. Each slice resolves on IndexedDB's success
 * event, which is a task of its own, so the browser can paint and handle input between slices
 * while the transaction (and with it, the page's all-or-nothing write) stays the same one.
 */
export async function bulkAddInSlices<T, K>(table: Table<T, K>, rows: T[]): Promise<K[]> {
  const keys: K[] = [];
  for (let i = 0; i < rows.length; i += WRITE_SLICE) {
    keys.push(...(await table.bulkAdd(rows.slice(i, i + WRITE_SLICE), { allKeys: true })));
  }
  return keys;
}

/** bulkPut in slices, as bulkAddInSlices. */
export async function bulkPutInSlices<T, K>(table: Table<T, K>, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += WRITE_SLICE) await table.bulkPut(rows.slice(i, i + WRITE_SLICE));
}
