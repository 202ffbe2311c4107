import type { SampleMindDb } from '../db/database';
import type { EditRow } from '../db/types';
import type { LibraryIndex } from '../state/library-index';
import { loadLibrary } from '../state/load-library';
import type { IndexPatch } from './project';

/** Applies what a sync write changed to the in-memory index: bulk, once per page. */
export async function patchIndex(db: SampleMindDb, index: LibraryIndex, patch: IndexPatch): Promise<void> {
  // Tag names first: rows' search text includes them.
  if (patch.tagsChanged) index.setTagNames(await db.tags.toArray());
  if (patch.removed.length) index.remove(patch.removed);
  if (patch.upserts.length) index.reserve(patch.upserts.length);
  for (const { file, edit } of patch.upserts) index.upsertFile(file, edit);
  for (const { fileId, edit } of patch.edits) index.applyEdit(fileId, edit);
  for (const [id, fileIds] of patch.collections) {
    if (fileIds === null) {
      index.setCollectionMembers(id, []);
      index.collections.delete(id);
    } else index.setCollectionMembers(id, fileIds);
  }
}

/** Above this many hashes, re-reading the whole library is cheaper than patching row by row. */
const FULL_RELOAD_AT = 5000;

/**
 * Brings this tab's index up to date after another tab changed the library (a pull, an edit):
 * re-reads the files of the given hashes, or everything when `hashes` is null or large.
 */
export async function refreshIndex(
  db: SampleMindDb,
  index: LibraryIndex,
  hashes: string[] | null,
  collections: boolean,
): Promise<void> {
  if (hashes === null || hashes.length > FULL_RELOAD_AT) {
    index.replaceWith(await loadLibrary(db));
    return;
  }
  if (hashes.length) {
    const wanted = new Set(hashes);
    const { files, edits, tags } = await db.transaction('r', [db.files, db.edits, db.tags], async () => {
      const files = await db.files.where('contentHash').anyOf(hashes).toArray();
      return {
        files,
        edits: await db.edits.bulkGet(files.map((f) => f.id!)),
        tags: await db.tags.toArray(),
      };
    });
    index.setTagNames(tags);
    const present = new Set(files.map((f) => f.id!));
    const gone: number[] = [];
    for (let r = 0; r < index.size; r++)
      if (wanted.has(index.hash[r]) && !present.has(index.fileId[r])) gone.push(index.fileId[r]);
    if (gone.length) index.remove(gone);
    files.forEach((f, i) => {
      index.upsertFile(f, (edits[i] as EditRow | undefined) ?? null);
    });
  }
  if (collections || hashes.length) {
    const items = await db.collectionItems.toArray();
    const ids = new Set((await db.collections.toArray()).map((c) => c.id!));
    const members = new Map<number, number[]>();
    for (const id of ids) members.set(id, []);
    for (const it of items) members.get(it.collectionId)?.push(it.fileId);
    for (const id of [...index.collections.keys()]) if (!ids.has(id)) index.collections.delete(id);
    for (const [id, list] of members) index.setCollectionMembers(id, list);
  }
}
