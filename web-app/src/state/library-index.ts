import { ANALYSER_VERSION, SAMPLE_TYPES, type SampleType } from '@samplemind/contract';
import type { EditRow, FileRow, FileStatus, SampleSummary } from '../db/types';
import { keyCode, NO_KEY } from '../query/keys';

export const STATUS_CODES: readonly FileStatus[] = ['queued', 'done', 'error', 'missing', 'remote'];
export const STATUS = { queued: 0, done: 1, error: 2, missing: 3, remote: 4 } as const;
export const NO_TYPE = -1;

/** Bits of `edited`: which values the user overrode. */
export const EDITED = { bpm: 1, key: 2, type: 4 } as const;

const TYPE_CODE = new Map<string, number>(SAMPLE_TYPES.map((t, i) => [t, i]));
export const typeCode = (t: SampleType | null | undefined): number =>
  t ? (TYPE_CODE.get(t) ?? NO_TYPE) : NO_TYPE;

type Typed = Int32Array | Uint8Array | Int8Array | Float32Array | Float64Array;

/** The typed columns, by name: growing, moving rows and snapshots iterate over this list. */
export const TYPED_COLUMNS = [
  ['fileId', Int32Array],
  ['status', Uint8Array],
  ['type', Int8Array],
  ['bpm', Float32Array],
  ['key', Int8Array],
  ['mType', Int8Array],
  ['mBpm', Float32Array],
  ['mKey', Int8Array],
  ['duration', Float32Array],
  ['lufs', Float32Array],
  ['root', Float32Array],
  ['addedAt', Float64Array],
  ['loop', Int8Array],
  ['favourite', Uint8Array],
  ['edited', Uint8Array],
  ['folderId', Int32Array],
  ['outdated', Uint8Array],
] as const;
export type TypedColumn = (typeof TYPED_COLUMNS)[number][0];

export const STRING_COLUMNS = ['name', 'path', 'search', 'hash', 'error'] as const;

/**
 * The browser's working set: one row per file, columnar typed arrays of exactly the fields that
 * are filtered, sorted and shown in the table. Loaded at open from a snapshot or the compact file
 * rows (never from the analysis records), patched in place as imports and edits land, so every
 * query is a linear scan over typed arrays.
 */
export class LibraryIndex {
  size = 0;
  /** Bumped on every change; views and caches key on it. */
  version = 0;
  /** Bumped only when sort keys may have changed (values, names), so sorted orders can be reused. */
  sortVersion = 0;
  /** Bumped when rows are added or removed or names/paths change (name order, folder list). */
  rowsVersion = 0;
  /** Bumped when analysed content changes (new results, new hashes): similarity reloads on it. */
  contentVersion = 0;

  fileId = new Int32Array(0);
  status = new Uint8Array(0);
  /** Effective values: the user's edit where there is one, else the measured one. */
  type = new Int8Array(0);
  bpm = new Float32Array(0);
  key = new Int8Array(0);
  /** Measured values (what analysis said), kept to re-derive when edits change. */
  mType = new Int8Array(0);
  mBpm = new Float32Array(0);
  mKey = new Int8Array(0);
  duration = new Float32Array(0);
  lufs = new Float32Array(0);
  root = new Float32Array(0);
  addedAt = new Float64Array(0);
  /** -1 unknown, 0 one-shot, 1 loop. */
  loop = new Int8Array(0);
  favourite = new Uint8Array(0);
  edited = new Uint8Array(0);
  folderId = new Int32Array(0);
  /** 1 when the stored analysis came from an older analyser version. */
  outdated = new Uint8Array(0);

  name: string[] = [];
  /** Relative path (includes the name). */
  path: string[] = [];
  /** Lower-cased path + tag names, for text search. */
  search: string[] = [];
  /** Content hash, '' when not hashed yet. */
  hash: string[] = [];
  /** Error message, '' when none. */
  error: string[] = [];
  edits: (EditRow | null)[] = [];
  tags: (number[] | null)[] = [];

  private rowOf = new Map<number, number>();
  private hashCount = new Map<string, number>();
  private tagNames = new Map<number, string>();
  /** collection id -> file ids in it. */
  collections = new Map<number, Set<number>>();

  private col(name: TypedColumn): Typed {
    return this[name];
  }

  private grow(min: number) {
    const cap = Math.max(min, Math.ceil(this.fileId.length * 1.5), 1024);
    for (const [name, Ctor] of TYPED_COLUMNS) {
      const next = new Ctor(cap);
      next.set(this.col(name) as never);
      (this as unknown as Record<string, Typed>)[name] = next;
    }
  }

  reserve(n: number): void {
    if (this.size + n > this.fileId.length) this.grow(this.size + n);
  }

  /** Takes over another index's rows (after a bulk change such as a library import). */
  replaceWith(other: LibraryIndex): void {
    const versions = {
      version: this.version + other.version + 1,
      sortVersion: this.sortVersion + other.sortVersion + 1,
      rowsVersion: this.rowsVersion + other.rowsVersion + 1,
      contentVersion: this.contentVersion + other.contentVersion + 1,
    };
    Object.assign(this, other, versions);
  }

  /** Rebuilds the maps derived from the columns (after loading a snapshot). */
  reindex(): void {
    this.rowOf.clear();
    this.hashCount.clear();
    for (let r = 0; r < this.size; r++) {
      this.rowOf.set(this.fileId[r], r);
      const h = this.hash[r];
      if (h) this.hashCount.set(h, (this.hashCount.get(h) ?? 0) + 1);
    }
    this.touch(true, true);
    this.contentVersion++;
  }

  rowOfFile(fileId: number): number {
    return this.rowOf.get(fileId) ?? -1;
  }

  duplicateCount(row: number): number {
    const h = this.hash[row];
    return h ? (this.hashCount.get(h) ?? 1) : 1;
  }

  /** Rows of all files sharing this row's content hash (including itself). */
  duplicatesOf(row: number): number[] {
    const h = this.hash[row];
    if (!h || this.duplicateCount(row) < 2) return [row];
    const out: number[] = [];
    for (let r = 0; r < this.size; r++) if (this.hash[r] === h) out.push(r);
    return out;
  }

  hasHash(hash: string): boolean {
    return this.hashCount.has(hash);
  }

  /** File ids per content hash, for the given hashes that have rows (one pass over the rows). */
  filesWithHashes(hashes: Iterable<string>): Map<string, number[]> {
    const out = new Map<string, number[]>();
    const wanted = new Set<string>();
    for (const h of hashes) if (this.hashCount.has(h)) wanted.add(h);
    if (!wanted.size) return out;
    for (let r = 0; r < this.size; r++) {
      const h = this.hash[r];
      if (!wanted.has(h)) continue;
      const list = out.get(h);
      if (list) list.push(this.fileId[r]);
      else out.set(h, [this.fileId[r]]);
    }
    return out;
  }

  setTagNames(tags: Iterable<{ id?: number; name: string }>): void {
    this.tagNames = new Map([...tags].map((t) => [t.id!, t.name]));
    for (let r = 0; r < this.size; r++) if (this.tags[r]) this.search[r] = this.searchText(r);
    this.touch(false);
  }

  tagName(id: number): string {
    return this.tagNames.get(id) ?? `#${id}`;
  }

  allTags(): { id: number; name: string }[] {
    return [...this.tagNames]
      .map(([id, name]) => ({ id, name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Map of relative path -> file id, for recognising files dropped or scanned again. Samples known
   * only from another device are left out: a file dropped here is a new file (it replaces the
   * remote row by its content hash once analysed).
   */
  pathMap(): Map<string, number> {
    const m = new Map<string, number>();
    for (let r = 0; r < this.size; r++)
      if (this.status[r] !== STATUS.remote) m.set(this.path[r], this.fileId[r]);
    return m;
  }

  /** Adds or replaces a file row. */
  upsertFile(file: FileRow, edit?: EditRow | null): number {
    const id = file.id!;
    let row = this.rowOf.get(id);
    if (row === undefined) {
      this.reserve(1);
      row = this.size++;
      this.rowOf.set(id, row);
      this.fileId[row] = id;
      this.edits[row] = null;
      this.tags[row] = null;
      this.hash[row] = '';
    }
    this.setHash(row, file.contentHash ?? '');
    this.name[row] = file.name;
    this.path[row] = file.path;
    this.status[row] = STATUS[file.status];
    this.addedAt[row] = file.addedAt;
    this.folderId[row] = file.folderId ?? -1;
    this.error[row] = file.error?.message ?? '';
    this.setMeasured(row, file.summary);
    this.outdated[row] = file.analyserVersion && file.analyserVersion !== ANALYSER_VERSION ? 1 : 0;
    if (edit !== undefined) this.edits[row] = edit;
    this.derive(row);
    this.touch(true, true);
    this.contentVersion++;
    return row;
  }

  /** Applies changed fields of a stored file row (analysis landed, file went missing, …). */
  patchFile(fileId: number, patch: Partial<FileRow>): void {
    const row = this.rowOf.get(fileId);
    if (row === undefined) return;
    if (patch.contentHash !== undefined || patch.summary !== undefined) this.contentVersion++;
    if (patch.contentHash !== undefined) this.setHash(row, patch.contentHash ?? '');
    if (patch.name !== undefined) this.name[row] = patch.name;
    if (patch.path !== undefined) this.path[row] = patch.path;
    if (patch.status !== undefined) this.status[row] = STATUS[patch.status];
    if (patch.folderId !== undefined) this.folderId[row] = patch.folderId ?? -1;
    if (patch.error !== undefined) this.error[row] = patch.error?.message ?? '';
    if (patch.summary !== undefined) this.setMeasured(row, patch.summary);
    if (patch.analyserVersion !== undefined) {
      this.outdated[row] = patch.analyserVersion && patch.analyserVersion !== ANALYSER_VERSION ? 1 : 0;
    }
    this.derive(row);
    this.touch(true, patch.name !== undefined || patch.path !== undefined);
  }

  applyEdit(fileId: number, edit: EditRow | null): void {
    const row = this.rowOf.get(fileId);
    if (row === undefined) return;
    this.edits[row] = edit;
    this.derive(row);
    this.touch(true);
  }

  /** Drops rows (files removed from the library); rebuilds the row map. */
  remove(fileIds: Iterable<number>): void {
    const gone = new Set(fileIds);
    let w = 0;
    for (let r = 0; r < this.size; r++) {
      if (gone.has(this.fileId[r])) continue;
      if (w !== r) this.moveRow(r, w);
      w++;
    }
    for (const name of STRING_COLUMNS) this[name].length = w;
    this.edits.length = w;
    this.tags.length = w;
    this.size = w;
    for (const members of this.collections.values()) for (const id of gone) members.delete(id);
    this.reindex();
  }

  setCollectionMembers(collectionId: number, fileIds: Iterable<number>): void {
    this.collections.set(collectionId, new Set(fileIds));
    this.touch(false);
  }

  private moveRow(from: number, to: number) {
    for (const [name] of TYPED_COLUMNS) {
      const a = this.col(name);
      a[to] = a[from];
    }
    for (const name of STRING_COLUMNS) this[name][to] = this[name][from];
    this.edits[to] = this.edits[from];
    this.tags[to] = this.tags[from];
  }

  private setHash(row: number, hash: string) {
    const old = this.hash[row];
    if (old === hash) return;
    if (old) {
      const n = (this.hashCount.get(old) ?? 1) - 1;
      if (n > 0) this.hashCount.set(old, n);
      else this.hashCount.delete(old);
    }
    if (hash) this.hashCount.set(hash, (this.hashCount.get(hash) ?? 0) + 1);
    this.hash[row] = hash;
  }

  private setMeasured(row: number, s: SampleSummary | null) {
    this.mType[row] = typeCode(s?.type);
    this.mBpm[row] = s?.bpm ?? Number.NaN;
    this.mKey[row] = s ? keyCode(s.tonic, s.scale) : NO_KEY;
    this.duration[row] = s ? s.durationSec : Number.NaN;
    this.lufs[row] = s?.lufs ?? Number.NaN;
    this.root[row] = s?.rootNote ?? Number.NaN;
    this.loop[row] = s ? (s.isLoop ? 1 : 0) : -1;
  }

  /** Effective values = the user's edit where there is one, else what analysis measured. */
  private derive(row: number) {
    const e = this.edits[row];
    let edited = 0;
    let type = this.mType[row];
    if (e?.type) {
      type = typeCode(e.type);
      edited |= EDITED.type;
    }
    let bpm = this.mBpm[row];
    if (e && e.bpm !== undefined) {
      bpm = e.bpm ?? Number.NaN;
      edited |= EDITED.bpm;
    }
    let key = this.mKey[row];
    if (e && e.key !== undefined) {
      key = e.key ? keyCode(e.key.tonic, e.key.scale) : NO_KEY;
      edited |= EDITED.key;
    }
    this.type[row] = type;
    this.bpm[row] = bpm;
    this.key[row] = key;
    this.favourite[row] = e?.favourite ? 1 : 0;
    this.edited[row] = edited;
    this.tags[row] = e?.tags?.length ? e.tags : null;
    this.search[row] = this.searchText(row);
  }

  private searchText(row: number): string {
    const tags = this.tags[row];
    const tagText = tags ? ` ${tags.map((t) => this.tagName(t)).join(' ')}` : '';
    return `${this.path[row]}${tagText}`.toLowerCase();
  }

  touch(sortKeysChanged: boolean, rowsChanged = false): void {
    this.version++;
    if (sortKeysChanged) this.sortVersion++;
    if (rowsChanged) this.rowsVersion++;
  }
}
