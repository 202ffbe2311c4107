import type { SampleMindDb } from '../db/database';
import { describeStorageError } from '../db/storage-errors';
import type { EditRow } from '../db/types';
import type { LibraryIndex } from './library-index';

type Mutate = (edit: EditRow) => EditRow;

/**
 * Every user change goes through here: read the edit rows, change them, write them back in one
 * transaction, then patch the index. Edits never touch analysis rows, so re-analysis keeps them.
 */
export async function editFiles(db: SampleMindDb, index: LibraryIndex, fileIds: number[], mutate: Mutate) {
  if (!fileIds.length) return;
  const updatedAt = Date.now();
  const next = await db.transaction('rw', db.edits, async () => {
    const current = await db.edits.bulkGet(fileIds);
    const rows = fileIds.map((fileId, i) => mutate({ ...(current[i] ?? { fileId, updatedAt }), updatedAt }));
    await db.edits.bulkPut(rows);
    return rows;
  });
  for (const e of next) index.applyEdit(e.fileId, e);
}

export async function getOrCreateTag(db: SampleMindDb, index: LibraryIndex, name: string): Promise<number> {
  const clean = name.trim();
  const existing = await db.tags.where('name').equals(clean).first();
  if (existing) return existing.id!;
  const id = (await db.tags.add({ name: clean, createdAt: Date.now() })) as number;
  index.setTagNames(await db.tags.toArray());
  return id;
}

export async function addTag(db: SampleMindDb, index: LibraryIndex, fileIds: number[], name: string) {
  const id = await getOrCreateTag(db, index, name);
  await editFiles(db, index, fileIds, (e) => ({ ...e, tags: [...new Set([...(e.tags ?? []), id])] }));
}

export async function removeTag(db: SampleMindDb, index: LibraryIndex, fileIds: number[], tagId: number) {
  await editFiles(db, index, fileIds, (e) => ({ ...e, tags: (e.tags ?? []).filter((t) => t !== tagId) }));
}

export async function setFavourite(
  db: SampleMindDb,
  index: LibraryIndex,
  fileIds: number[],
  favourite: boolean,
) {
  await editFiles(db, index, fileIds, (e) => ({ ...e, favourite }));
}

export async function createCollection(db: SampleMindDb, name: string): Promise<number> {
  return (await db.collections.add({ name: name.trim(), createdAt: Date.now() })) as number;
}

export async function addToCollection(
  db: SampleMindDb,
  index: LibraryIndex,
  collectionId: number,
  fileIds: number[],
) {
  const addedAt = Date.now();
  await db.collectionItems.bulkPut(fileIds.map((fileId) => ({ collectionId, fileId, addedAt })));
  const members = new Set(index.collections.get(collectionId) ?? []);
  for (const id of fileIds) members.add(id);
  index.setCollectionMembers(collectionId, members);
}

export async function removeFromCollection(
  db: SampleMindDb,
  index: LibraryIndex,
  collectionId: number,
  fileIds: number[],
) {
  await db.collectionItems.bulkDelete(fileIds.map((fileId) => [collectionId, fileId] as [number, number]));
  const members = new Set(index.collections.get(collectionId) ?? []);
  for (const id of fileIds) members.delete(id);
  index.setCollectionMembers(collectionId, members);
}

export async function deleteCollection(db: SampleMindDb, index: LibraryIndex, collectionId: number) {
  await db.transaction('rw', [db.collections, db.collectionItems], async () => {
    await db.collectionItems
      .where('[collectionId+fileId]')
      .between([collectionId, -Infinity], [collectionId, Infinity])
      .delete();
    await db.collections.delete(collectionId);
  });
  index.collections.delete(collectionId);
  index.setCollectionMembers(collectionId, []);
  index.collections.delete(collectionId);
}

/** Removes files from the library (rows, queue, kept copies, edits, memberships); samples stay for duplicates. */
export async function removeFiles(db: SampleMindDb, index: LibraryIndex, fileIds: number[]) {
  await db.transaction('rw', [db.files, db.queue, db.blobs, db.edits, db.collectionItems], async () => {
    await db.files.bulkDelete(fileIds);
    await db.queue.bulkDelete(fileIds);
    await db.blobs.bulkDelete(fileIds);
    await db.edits.bulkDelete(fileIds);
    await db.collectionItems.where('fileId').anyOf(fileIds).delete();
  });
  index.remove(fileIds);
}

export { describeStorageError };
