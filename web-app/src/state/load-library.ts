import type { SampleMindDb } from '../db/database';
import type { EditRow } from '../db/types';
import { loadSnapshot } from './index-snapshot';
import { LibraryIndex } from './library-index';

/**
 * Builds the in-memory index from the compact tables only (files, edits, tags, collection
 * items), in one read transaction so the picture is consistent.
 */
export async function loadLibrary(db: SampleMindDb): Promise<LibraryIndex> {
  const { files, edits, tags, items } = await db.transaction(
    'r',
    [db.files, db.edits, db.tags, db.collectionItems],
    async () => ({
      files: await db.files.toArray(),
      edits: await db.edits.toArray(),
      tags: await db.tags.toArray(),
      items: await db.collectionItems.toArray(),
    }),
  );
  const index = new LibraryIndex();
  index.setTagNames(tags);
  const editOf = new Map<number, EditRow>(edits.map((e) => [e.fileId, e]));
  index.reserve(files.length);
  for (const f of files) index.upsertFile(f, editOf.get(f.id!) ?? null);
  const members = new Map<number, number[]>();
  for (const it of items) {
    const list = members.get(it.collectionId);
    if (list) list.push(it.fileId);
    else members.set(it.collectionId, [it.fileId]);
  }
  for (const [id, list] of members) index.setCollectionMembers(id, list);
  return index;
}

/** Opens the library: from the snapshot when it is current, else from the rows (and says which). */
export async function openLibrary(
  db: SampleMindDb,
  options: { rebuild?: boolean } = {},
): Promise<{ index: LibraryIndex; source: 'snapshot' | 'rows' }> {
  if (!options.rebuild) {
    try {
      const index = await loadSnapshot(db);
      if (index) return { index, source: 'snapshot' };
    } catch {
      // A damaged snapshot is only a cache: fall back to the rows.
    }
  }
  return { index: await loadLibrary(db), source: 'rows' };
}
