import { currentGeneration } from '../db/change-tracking';
import type { SampleMindDb } from '../db/database';
import type { CollectionItemRow, EditRow, TagRow } from '../db/types';
import { LibraryIndex, STRING_COLUMNS, TYPED_COLUMNS, type TypedColumn } from './library-index';

export const SNAPSHOT_KEY = 'index-snapshot';
const FORMAT = 3;

export type IndexSnapshot = {
  format: number;
  generation: string;
  size: number;
  typed: Record<TypedColumn, ArrayBuffer>;
  strings: Record<(typeof STRING_COLUMNS)[number], string[]>;
  editRows: Int32Array;
  editValues: EditRow[];
  takenAt: number;
};

/**
 * The whole index as a handful of typed arrays and string arrays: reading it back is a few
 * large structured clones instead of one per file, which is what makes a 100k library open fast.
 */
export function toSnapshot(index: LibraryIndex, generation: string): IndexSnapshot {
  const n = index.size;
  const typed = {} as Record<TypedColumn, ArrayBuffer>;
  for (const [name] of TYPED_COLUMNS)
    typed[name] = (index[name] as { slice(a: number, b: number): { buffer: ArrayBuffer } }).slice(
      0,
      n,
    ).buffer;
  const strings = {} as IndexSnapshot['strings'];
  for (const name of STRING_COLUMNS) strings[name] = index[name].slice(0, n);
  const editRows: number[] = [];
  const editValues: EditRow[] = [];
  for (let r = 0; r < n; r++) {
    const e = index.edits[r];
    if (e) {
      editRows.push(r);
      editValues.push(e);
    }
  }
  return {
    format: FORMAT,
    generation,
    size: n,
    typed,
    strings,
    editRows: Int32Array.from(editRows),
    editValues,
    takenAt: Date.now(),
  };
}

export function fromSnapshot(snap: IndexSnapshot, tags: TagRow[], items: CollectionItemRow[]): LibraryIndex {
  const index = new LibraryIndex();
  const n = snap.size;
  for (const [name, Ctor] of TYPED_COLUMNS) {
    (index as unknown as Record<string, unknown>)[name] = new Ctor(snap.typed[name]);
  }
  for (const name of STRING_COLUMNS) index[name] = snap.strings[name];
  index.edits = new Array(n).fill(null);
  index.tags = new Array(n).fill(null);
  snap.editRows.forEach((r, i) => {
    const e = snap.editValues[i];
    index.edits[r] = e;
    index.tags[r] = e.tags?.length ? e.tags : null;
  });
  index.size = n;
  index.setTagNames(tags);
  const members = new Map<number, number[]>();
  for (const it of items) {
    const list = members.get(it.collectionId);
    if (list) list.push(it.fileId);
    else members.set(it.collectionId, [it.fileId]);
  }
  for (const [id, list] of members) index.setCollectionMembers(id, list);
  index.reindex();
  return index;
}

/** Loads the snapshot if it matches the library's current generation, else null. */
export async function loadSnapshot(db: SampleMindDb): Promise<LibraryIndex | null> {
  const gen = currentGeneration();
  const { snap, tags, items } = await db.transaction(
    'r',
    [db.meta, db.tags, db.collectionItems],
    async () => ({
      snap: (await db.meta.get(SNAPSHOT_KEY))?.value as IndexSnapshot | undefined,
      tags: await db.tags.toArray(),
      items: await db.collectionItems.toArray(),
    }),
  );
  if (!snap || snap.format !== FORMAT || snap.generation !== gen || gen === '0') return null;
  return fromSnapshot(snap, tags, items);
}

export async function saveSnapshot(db: SampleMindDb, index: LibraryIndex, generation: string): Promise<void> {
  await db.meta.put({ key: SNAPSHOT_KEY, value: toSnapshot(index, generation) });
}
