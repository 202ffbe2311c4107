import type { SampleMindDb } from '../../db/database';
import { HLC_ZERO } from '../hlc';
import { putBinding, putBootstrap } from '../sync-store';

/** Ties a test library to an account without a server: changes are queued from now on. */
export async function bindForTest(db: SampleMindDb, clientId = 'client-test-1'): Promise<void> {
  await db.transaction('rw', db.syncState, async () => {
    await putBinding(db, {
      serverUrl: 'http://sync.test',
      userId: 'u1',
      clientId,
      counter: 0,
      hlc: HLC_ZERO,
    });
    await putBootstrap(db, { state: 'done', afterFileId: 0, done: 0, total: 0, collectionsDone: true });
  });
}

/** The pending mutations, oldest first, without their stamps (for comparing). */
export async function pending(db: SampleMindDb) {
  return (await db.outbox.orderBy('mutationId').toArray()).map(({ mutationId, name, args }) => ({
    mutationId,
    name,
    args,
  }));
}
