import type { SampleMindDb } from '../db/database';
import { newId } from '../db/ids';
import { beginBootstrap } from './bootstrap';
import { HLC_ZERO } from './hlc';
import { deleteFileRows } from './project';
import { applyScope } from './pull';
import { clearSyncState, getBinding, putBinding, putCursor } from './sync-store';

/**
 * Ties the library to the signed-in account. The first sign-in (or one to another account or
 * server) starts from a clean slate: a new client id, an empty queue (the old one belongs to the
 * old account), the samples shown from the old account gone, and a bootstrap that describes the
 * whole library to the new one. Returns the ids of removed rows (for the index), or null when
 * the library was already tied to this account.
 */
export async function ensureBinding(
  db: SampleMindDb,
  serverUrl: string,
  userId: string,
): Promise<number[] | null> {
  return db.transaction('rw', applyScope(db), async () => {
    const b = await getBinding(db);
    if (b && b.serverUrl === serverUrl && b.userId === userId) return null;
    const remote = await db.files.where('status').equals('remote').toArray();
    const ids = remote.map((f) => f.id!);
    await deleteFileRows(db, ids);
    // The old account's pulled vectors: its sounds are gone from this library.
    await db.vectorPacks.clear();
    await db.collections.toCollection().modify((c) => {
      delete c.sampleIds;
    });
    await clearSyncState(db);
    await putBinding(db, { serverUrl, userId, clientId: newId(), counter: 0, hlc: HLC_ZERO });
    await beginBootstrap(db);
    return ids;
  });
}

/**
 * The server knows fewer of this device's mutations than it acknowledged earlier (restored from
 * an older backup): the acknowledged ones are gone from the queue and cannot be resent. Start a
 * new client id (its numbering restarts at 1, which the server accepts), renumber what is still
 * pending, and describe the whole library again so nothing the server lost stays missing.
 */
export async function recoverLostMutations(db: SampleMindDb): Promise<void> {
  await db.transaction('rw', applyScope(db), async () => {
    const b = await getBinding(db);
    if (!b) return;
    const rows = await db.outbox.orderBy('mutationId').toArray();
    await db.outbox.clear();
    const renumbered = rows.map((r, i) => ({ ...r, mutationId: i + 1 }));
    await db.outbox.bulkAdd(renumbered);
    await putBinding(db, { ...b, clientId: newId(), counter: renumbered.length });
    await putCursor(db, '0');
    await beginBootstrap(db);
  });
}
