import type { Table } from 'dexie';

/**
 * Whether a table has any row. Chromium's IndexedDB counts by walking every key, so `count()` on
 * a 100k-row table costs tens of milliseconds; this reads at most one key.
 */
export async function hasRows(table: Table): Promise<boolean> {
  return (await table.limit(1).primaryKeys()).length > 0;
}
