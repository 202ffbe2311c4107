import type { SampleMindDb } from '../db/database';
import { hasRows } from '../db/has-rows';
import { type CollectionState, isSampleEntity, type SampleState } from './entity-state';
import { emptyPatch, type IndexPatch, projectStates } from './project';
import { applyScope } from './pull';

/**
 * After a full pull: entities whose pending mutations are all acknowledged show the server's state
 * again. Those that came back in the pull already do; those that did not were not changed by
 * their mutations (a newer edit elsewhere won), so the server still holds their base: show that.
 * A sample deleted here whose delete lost returns as a 'remote' row from its base's summary.
 */
export async function reconcile(db: SampleMindDb): Promise<IndexPatch> {
  return db.transaction('rw', applyScope(db), async () => {
    if (!(await hasRows(db.syncBase))) return emptyPatch();
    const pending = new Set((await db.outbox.orderBy('entity').uniqueKeys()) as string[]);
    const settled = (await db.syncBase.toArray()).filter((b) => !pending.has(b.entity));
    if (!settled.length) return emptyPatch();
    const samples = settled
      .filter((b) => isSampleEntity(b.entity))
      .map((b) => ({ state: b.state as SampleState, summary: b.summary ?? null }));
    const collections = settled
      .filter((b) => !isSampleEntity(b.entity))
      .map((b) => b.state as CollectionState);
    const patch = await projectStates(db, samples, collections);
    await db.syncBase.bulkDelete(settled.map((b) => b.entity));
    return patch;
  });
}
