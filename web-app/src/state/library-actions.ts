import type { SampleMindDb } from '../db/database';
import { newId } from '../db/ids';
import { describeStorageError } from '../db/storage-errors';
import type { CollectionRow, EditRow } from '../db/types';
import { ensureCollectionSynced } from '../sync/bootstrap';
import {
  cleanCollectionName,
  cleanTag,
  type Draft,
  diffSample,
  emptySample,
  memberDrafts,
} from '../sync/entity-state';
import { editFields, tagNames } from '../sync/local-read';
import { announceLocalChange } from '../sync/notify';
import { enqueue, withSyncTables } from '../sync/outbox';
import { deleteFileRows } from '../sync/project';
import { getBinding } from '../sync/sync-store';
import type { LibraryIndex } from './library-index';

type Mutate = (edit: EditRow) => EditRow;

const unique = <T>(xs: Iterable<T>) => [...new Set(xs)];

/**
 * While the library syncs, an edit is an edit of the sample (the content hash), as on the server:
 * it reaches every file with that content, so duplicates never disagree.
 */
async function withDuplicates(db: SampleMindDb, fileIds: number[]): Promise<number[]> {
  const files = await db.files.bulkGet(fileIds);
  const hashes = unique(files.flatMap((f) => (f?.contentHash ? [f.contentHash] : [])));
  if (!hashes.length) return fileIds;
  const more = (await db.files.where('contentHash').anyOf(hashes).primaryKeys()) as number[];
  return unique([...fileIds, ...more]);
}

/**
 * Every user change goes through here: read the edit rows, change them, write them back in one
 * transaction, then patch the index. Edits never touch analysis rows, so re-analysis keeps them.
 * While the library syncs, the same transaction queues the mutations that describe the change.
 */
export async function editFiles(db: SampleMindDb, index: LibraryIndex, fileIds: number[], mutate: Mutate) {
  if (!fileIds.length) return;
  const updatedAt = Date.now();
  const { rows, hashes, enqueued } = await db.transaction('rw', withSyncTables(db, []), async () => {
    const binding = await getBinding(db);
    const ids = binding ? await withDuplicates(db, fileIds) : fileIds;
    const current = await db.edits.bulkGet(ids);
    const rows = ids.map((fileId, i) => mutate({ ...(current[i] ?? { fileId, updatedAt }), updatedAt }));
    const hashes = new Set<string>();
    let enqueued = 0;
    if (binding) {
      const files = await db.files.bulkGet(ids);
      const names = await tagNames(db);
      const drafts = new Map<string, Draft>();
      ids.forEach((_, i) => {
        const h = files[i]?.contentHash;
        if (!h) return;
        hashes.add(h);
        const from = { ...emptySample(h), ...editFields(current[i], names) };
        const to = { ...emptySample(h), ...editFields(rows[i], names) };
        for (const d of diffSample(from, to)) drafts.set(JSON.stringify(d), d);
      });
      enqueued = (await enqueue(db, [...drafts.values()], binding)).length;
    }
    await db.edits.bulkPut(rows);
    return { rows, hashes: [...hashes], enqueued };
  });
  for (const e of rows) index.applyEdit(e.fileId, e);
  announceLocalChange({ db: db.name, hashes, collections: false, enqueued });
}

/** Tags are lower-case, as the sync server keeps them (so the same word is one tag everywhere). */
export async function getOrCreateTag(db: SampleMindDb, index: LibraryIndex, name: string): Promise<number> {
  const clean = cleanTag(name) || name.trim();
  const existing =
    (await db.tags.where('name').equals(clean).first()) ??
    (await db.tags.where('name').equalsIgnoreCase(clean).first());
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
  const { id, enqueued } = await db.transaction('rw', withSyncTables(db, []), async () => {
    const binding = await getBinding(db);
    const row: CollectionRow = {
      name: name.trim(),
      createdAt: Date.now(),
      syncId: newId(),
      ...(binding ? { sampleIds: [] } : {}),
    };
    const id = (await db.collections.add(row)) as number;
    const rows = await enqueue(
      db,
      [{ name: 'collection.upsert', args: { id: row.syncId!, name: cleanCollectionName(row.name) } }],
      binding ?? null,
    );
    return { id, enqueued: rows.length };
  });
  announceLocalChange({ db: db.name, hashes: [], collections: true, enqueued });
  return id;
}

/** Adds or removes members; while syncing, every file with a member's content follows. */
async function changeMembers(
  db: SampleMindDb,
  index: LibraryIndex,
  collectionId: number,
  fileIds: number[],
  isAdd: boolean,
) {
  const addedAt = Date.now();
  const { ids, enqueued } = await db.transaction('rw', withSyncTables(db, []), async () => {
    const binding = await getBinding(db);
    let ids = fileIds;
    let enqueued = 0;
    const row = binding ? await db.collections.get(collectionId) : undefined;
    if (binding && row) {
      ids = await withDuplicates(db, fileIds);
      const synced = await ensureCollectionSynced(db, row);
      const hashes = unique(
        (await db.files.bulkGet(ids)).flatMap((f) => (f?.contentHash ? [f.contentHash] : [])),
      );
      const members = new Set(synced.sampleIds);
      for (const h of hashes) {
        if (isAdd) members.add(h);
        else members.delete(h);
      }
      const rows = await enqueue(
        db,
        memberDrafts(synced.syncId!, isAdd ? hashes : [], isAdd ? [] : hashes),
        binding,
      );
      enqueued = rows.length;
      await db.collections.put({ ...synced, sampleIds: [...members].sort() });
    }
    if (isAdd) await db.collectionItems.bulkPut(ids.map((fileId) => ({ collectionId, fileId, addedAt })));
    else await db.collectionItems.bulkDelete(ids.map((fileId) => [collectionId, fileId] as [number, number]));
    return { ids, enqueued };
  });
  const members = new Set(index.collections.get(collectionId) ?? []);
  for (const id of ids) {
    if (isAdd) {
      if (index.rowOfFile(id) >= 0) members.add(id);
    } else members.delete(id);
  }
  index.setCollectionMembers(collectionId, members);
  announceLocalChange({ db: db.name, hashes: [], collections: true, enqueued });
}

export async function addToCollection(
  db: SampleMindDb,
  index: LibraryIndex,
  collectionId: number,
  fileIds: number[],
) {
  await changeMembers(db, index, collectionId, fileIds, true);
}

export async function removeFromCollection(
  db: SampleMindDb,
  index: LibraryIndex,
  collectionId: number,
  fileIds: number[],
) {
  await changeMembers(db, index, collectionId, fileIds, false);
}

export async function deleteCollection(db: SampleMindDb, index: LibraryIndex, collectionId: number) {
  const enqueued = await db.transaction('rw', withSyncTables(db, []), async () => {
    const row = await db.collections.get(collectionId);
    const rows = row?.syncId
      ? await enqueue(db, [{ name: 'collection.delete', args: { id: row.syncId } }])
      : [];
    await db.collectionItems
      .where('[collectionId+fileId]')
      .between([collectionId, -Infinity], [collectionId, Infinity])
      .delete();
    await db.collections.delete(collectionId);
    return rows.length;
  });
  index.setCollectionMembers(collectionId, []);
  index.collections.delete(collectionId);
  announceLocalChange({ db: db.name, hashes: [], collections: true, enqueued });
}

/**
 * Removes files from the library (rows, queue, kept copies, edits, memberships); samples stay for
 * duplicates. While syncing, a sound whose last file goes is deleted on every device.
 */
export async function removeFiles(db: SampleMindDb, index: LibraryIndex, fileIds: number[]) {
  const scope = withSyncTables(db, [db.queue, db.blobs, db.vectors]);
  const { hashes, enqueued } = await db.transaction('rw', scope, async () => {
    const binding = await getBinding(db);
    let hashes: string[] = [];
    let enqueued = 0;
    if (binding) {
      const files = await db.files.bulkGet(fileIds);
      hashes = unique(files.flatMap((f) => (f?.contentHash ? [f.contentHash] : [])));
      const gone = new Set(fileIds);
      const left = new Set(
        (await db.files.where('contentHash').anyOf(hashes).toArray())
          .filter((f) => !gone.has(f.id!))
          .map((f) => f.contentHash!),
      );
      const deleted = hashes.filter((h) => !left.has(h));
      enqueued = (
        await enqueue(
          db,
          deleted.map((id): Draft => ({ name: 'sample.delete', args: { id } })),
          binding,
        )
      ).length;
    }
    await deleteFileRows(db, fileIds);
    return { hashes, enqueued };
  });
  index.remove(fileIds);
  announceLocalChange({ db: db.name, hashes, collections: false, enqueued });
}

export { describeStorageError };
