import type { SampleMindDb } from '../db/database';
import type { AiRecord } from '../db/types';
import { aiRegisterOf, pickAiRecord } from './ai-bridge';
import type { Draft } from './entity-state';
import { aiByHash } from './local-read';
import { announceLocalChange } from './notify';
import { enqueue, withSyncTables } from './outbox';
import { getBinding } from './sync-store';

/**
 * Stores AI descriptions and, while the library syncs, queues the sample's new description in the
 * same transaction (the AI records live in the library database for exactly this).
 */
export async function saveAiRecords(db: SampleMindDb, records: AiRecord[]): Promise<void> {
  if (!records.length) return;
  const { hashes, enqueued } = await db.transaction('rw', withSyncTables(db, [db.descriptions]), async () => {
    const binding = await getBinding(db);
    const hashes = [...new Set(records.map((r) => r.contentHash))];
    let enqueued = 0;
    if (binding) {
      const have = await aiByHash(db, hashes);
      const drafts: Draft[] = [];
      for (const h of hashes) {
        const before = have.get(h) ?? [];
        const fresh = records.filter((r) => r.contentHash === h);
        const keys = new Set(fresh.map((r) => r.promptVersion));
        const after = [...before.filter((r) => !keys.has(r.promptVersion)), ...fresh];
        const a = aiRegisterOf(pickAiRecord(before));
        const b = aiRegisterOf(pickAiRecord(after));
        if (a.aiDescription !== b.aiDescription || a.aiModel !== b.aiModel)
          drafts.push({
            name: 'sample.setAiDescription',
            args: { id: h, description: b.aiDescription, model: b.aiModel },
          });
      }
      // Before the write: the base snapshot must see the description as it was.
      enqueued = (await enqueue(db, drafts, binding)).length;
    }
    await db.descriptions.bulkPut(records);
    return { hashes, enqueued };
  });
  announceLocalChange({ db: db.name, hashes, collections: false, enqueued });
}
