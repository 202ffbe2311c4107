import { SAMPLE_TYPES } from '@samplemind/contract';
import { type LibraryIndex, STATUS } from '../state/library-index';
import { compatibleKeys, KEY_COUNT } from './keys';
import type { SortCache } from './sort';
import type { ViewQuery } from './view-query';

const F = {
  text: 1,
  type: 2,
  key: 4,
  bpm: 8,
  dur: 16,
  loop: 32,
  tags: 64,
  coll: 128,
  folder: 256,
  status: 512,
};

export type QueryResult = {
  /** Row indices in display order. */
  rows: Int32Array;
  /** Per type code: rows that pass every filter except the type filter. */
  typeCounts: Uint32Array;
  /** Per key code: rows that pass every filter except the key filter. */
  keyCounts: Uint32Array;
  /** [one-shots, loops] passing every filter except the loop filter. */
  loopCounts: [number, number];
  ms: number;
};

export function expandKeys(q: ViewQuery): Set<number> {
  const keys = new Set<number>();
  for (const k of q.keys) {
    if (q.compatible) for (const c of compatibleKeys(k)) keys.add(c);
    else keys.add(k);
  }
  return keys;
}

/**
 * One pass over the index computes a bitmask of failed filters per row (so facet counts can
 * ignore their own filter), then the cached sort order is walked to emit the passing rows.
 */
export function runQuery(index: LibraryIndex, q: ViewQuery, sorts: SortCache): QueryResult {
  const t0 = performance.now();
  const n = index.size;
  const mask = new Uint16Array(n);
  const tokens = q.text.toLowerCase().split(/\s+/).filter(Boolean);
  const typeSet = q.types.length ? new Set(q.types.map((t) => SAMPLE_TYPES.indexOf(t))) : null;
  const keySet = q.keys.length ? expandKeys(q) : null;
  const keyOk = new Uint8Array(KEY_COUNT);
  if (keySet) for (const k of keySet) keyOk[k] = 1;
  const hasBpm = q.bpmMin !== null || q.bpmMax !== null;
  const bLo = q.bpmMin ?? 0;
  const bHi = q.bpmMax ?? Number.POSITIVE_INFINITY;
  const hasDur = q.durMin !== null || q.durMax !== null;
  const dLo = q.durMin ?? 0;
  const dHi = q.durMax ?? Number.POSITIVE_INFINITY;
  const loopWant = q.loop === 'loop' ? 1 : q.loop === 'oneshot' ? 0 : -1;
  const coll = q.collection !== null ? (index.collections.get(q.collection) ?? new Set<number>()) : null;
  const folder = q.folder ? `${q.folder}/` : null;
  const statusWant =
    q.status === 'done' ||
    q.status === 'queued' ||
    q.status === 'error' ||
    q.status === 'missing' ||
    q.status === 'remote'
      ? STATUS[q.status]
      : -1;
  const { search, path, type, key, bpm, duration, loop, tags, fileId, status, favourite } = index;

  for (let r = 0; r < n; r++) {
    let m = 0;
    if (tokens.length) {
      const s = search[r];
      for (const t of tokens)
        if (!s.includes(t)) {
          m |= F.text;
          break;
        }
    }
    if (typeSet && !typeSet.has(type[r])) m |= F.type;
    if (keySet && (key[r] < 0 || !keyOk[key[r]])) m |= F.key;
    if (hasBpm) {
      const b = bpm[r];
      const ok =
        b >= bLo && b <= bHi
          ? true
          : q.halfDouble && ((b * 2 >= bLo && b * 2 <= bHi) || (b / 2 >= bLo && b / 2 <= bHi));
      if (!ok) m |= F.bpm; // NaN fails every comparison
    }
    if (hasDur) {
      const d = duration[r];
      if (!(d >= dLo && d <= dHi)) m |= F.dur;
    }
    if (loopWant >= 0 && loop[r] !== loopWant) m |= F.loop;
    if (q.tags.length) {
      const t = tags[r];
      if (!t || !q.tags.every((id) => t.includes(id))) m |= F.tags;
    }
    if (coll && !coll.has(fileId[r])) m |= F.coll;
    if (folder && !path[r].startsWith(folder)) m |= F.folder;
    if (statusWant >= 0) {
      if (status[r] !== statusWant) m |= F.status;
    } else if (q.status === 'duplicates') {
      if (index.duplicateCount(r) < 2) m |= F.status;
    } else if (q.status === 'favourites' && !favourite[r]) m |= F.status;
    else if (q.status === 'outdated' && !index.outdated[r]) m |= F.status;
    mask[r] = m;
  }

  const typeCounts = new Uint32Array(SAMPLE_TYPES.length);
  const keyCounts = new Uint32Array(KEY_COUNT);
  const loopCounts: [number, number] = [0, 0];
  for (let r = 0; r < n; r++) {
    const m = mask[r];
    if ((m & ~F.type) === 0 && type[r] >= 0) typeCounts[type[r]]++;
    if ((m & ~F.key) === 0 && key[r] >= 0) keyCounts[key[r]]++;
    if ((m & ~F.loop) === 0 && loop[r] >= 0) loopCounts[loop[r]]++;
  }

  const order = sorts.get(index, q.sort);
  const out = new Int32Array(n);
  let count = 0;
  const present = n - order.missing;
  if (q.desc) {
    for (let i = present - 1; i >= 0; i--) if (mask[order.rows[i]] === 0) out[count++] = order.rows[i];
  } else {
    for (let i = 0; i < present; i++) if (mask[order.rows[i]] === 0) out[count++] = order.rows[i];
  }
  for (let i = present; i < n; i++) if (mask[order.rows[i]] === 0) out[count++] = order.rows[i];
  return { rows: out.slice(0, count), typeCounts, keyCounts, loopCounts, ms: performance.now() - t0 };
}
