import { type LibraryIndex, NO_TYPE } from '../state/library-index';
import { CAMELOT_RANK, NO_KEY } from './keys';
import type { SortField } from './view-query';

/** A full ascending order of the index's rows for one field; rows without a value come last. */
export type SortOrder = { rows: Int32Array; missing: number };

const ROW_BITS = 2 ** 21; // up to 2M rows; key * ROW_BITS + row stays an exact double below 2^53
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Maps a float to an unsigned int with the same order (IEEE-754 trick). */
function orderedBits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  return b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
}

/**
 * Argsort by packing (sort key, row) into one double and using the native numeric sort of a
 * Float64Array: several times faster than a comparator sort over 100k rows, and stable by row.
 */
function argsort(n: number, keyOf: (row: number) => number | null): SortOrder {
  const packed = new Float64Array(n);
  let present = 0;
  const missingRows: number[] = [];
  for (let r = 0; r < n; r++) {
    const k = keyOf(r);
    if (k === null) missingRows.push(r);
    else packed[present++] = k * ROW_BITS + r;
  }
  const sorted = packed.subarray(0, present).sort();
  const rows = new Int32Array(n);
  for (let i = 0; i < present; i++) rows[i] = sorted[i] % ROW_BITS;
  for (let i = 0; i < missingRows.length; i++) rows[present + i] = missingRows[i];
  return { rows, missing: missingRows.length };
}

function nameRanks(index: LibraryIndex): Uint32Array {
  const n = index.size;
  const names = index.name;
  const lower = new Array<string>(n);
  for (let r = 0; r < n; r++) lower[r] = names[r].toLowerCase();
  const order = Array.from({ length: n }, (_, r) => r);
  order.sort((a, b) => (lower[a] < lower[b] ? -1 : lower[a] > lower[b] ? 1 : a - b));
  const rank = new Uint32Array(n);
  for (let i = 0; i < n; i++) rank[order[i]] = i;
  return rank;
}

const floatKey = (col: Float32Array | Float64Array) => (r: number) => {
  const v = col[r];
  return Number.isNaN(v) ? null : orderedBits(v);
};

export function computeSortOrder(index: LibraryIndex, field: SortField): SortOrder {
  const n = index.size;
  switch (field) {
    case 'name': {
      const rank = nameRanks(index);
      return argsort(n, (r) => rank[r]);
    }
    case 'type':
      return argsort(n, (r) => (index.type[r] === NO_TYPE ? null : index.type[r]));
    case 'key':
      return argsort(n, (r) => (index.key[r] === NO_KEY ? null : CAMELOT_RANK[index.key[r]]));
    case 'bpm':
      return argsort(n, floatKey(index.bpm));
    case 'duration':
      return argsort(n, floatKey(index.duration));
    case 'lufs':
      return argsort(n, floatKey(index.lufs));
    case 'root':
      return argsort(n, floatKey(index.root));
    case 'added': {
      // Whole seconds since the oldest row fit the packing; ties keep import (row) order.
      let base = Number.POSITIVE_INFINITY;
      for (let r = 0; r < n; r++) base = Math.min(base, index.addedAt[r]);
      return argsort(n, (r) => Math.floor((index.addedAt[r] - base) / 1000));
    }
  }
}

/** What invalidates a field's order: names only change with rows; values with any analysis/edit. */
const versionOf = (index: LibraryIndex, field: SortField) =>
  field === 'name' || field === 'added' ? index.rowsVersion : index.sortVersion;

/** Caches one order per field until that field's sort keys change. */
export class SortCache {
  private cache = new Map<SortField, { version: number; order: SortOrder }>();

  get(index: LibraryIndex, field: SortField): SortOrder {
    const hit = this.cache.get(field);
    const version = versionOf(index, field);
    if (hit && hit.version === version) return hit.order;
    const order = computeSortOrder(index, field);
    this.cache.set(field, { version, order });
    return order;
  }

  /** Precomputes every order that is stale, one field per idle slice, so the first sort is instant. */
  warm(index: LibraryIndex, fields: readonly SortField[]): void {
    const idle =
      (globalThis as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => void })
        .requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 50));
    const next = (i: number) => {
      if (i >= fields.length) return;
      idle(
        () => {
          this.get(index, fields[i]);
          next(i + 1);
        },
        { timeout: 2000 },
      );
    };
    next(0);
  }
}
