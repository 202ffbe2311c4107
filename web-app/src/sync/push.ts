import type { AnalysisResult, Mutation, PushResponse } from '@samplemind/contract';
import type { ApiClient } from '../account/api-client';
import { ApiError } from '../account/api-error';
import type { SampleMindDb } from '../db/database';
import type { OutboxRow } from '../db/types';
import { type Draft, entityId, isSampleEntity } from './entity-state';

export const MAX_BATCH = 500;
/** The server takes 8 MB bodies by default; analyses are a few kB each. */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** The server has fewer of this client's mutations than it acknowledged before (restored from a backup). */
export class LostMutations extends Error {
  constructor(
    readonly serverLast: number,
    readonly firstPending: number,
  ) {
    super(
      `The server has this device's changes up to #${serverLast} but this device already dropped up to #${firstPending - 1}.`,
    );
  }
}

/**
 * A stand-in that changes nothing visible, for a mutation the server refuses as invalid (so one
 * bad record cannot block the queue; ids stay gap-free).
 */
export function noopDraft(row: Pick<OutboxRow, 'entity'>): Draft {
  const id = entityId(row.entity);
  return isSampleEntity(row.entity)
    ? { name: 'sample.removeTags', args: { id, tags: ['samplemind-noop'] } }
    : { name: 'collection.removeMembers', args: { id, sampleIds: ['0000000000000000'] } };
}

/** Outbox rows as contract mutations: upsertAnalysis gets its analysis from the samples table. */
export async function toMutations(
  db: SampleMindDb,
  clientId: string,
  rows: OutboxRow[],
): Promise<Mutation[]> {
  const upserts = rows.filter((r) => r.name === 'sample.upsertAnalysis');
  const found = await db.samples.bulkGet(
    upserts.map((r) => [r.args.id as string, r.args.analyserVersion as string] as [string, string]),
  );
  const analysis = new Map<number, AnalysisResult | undefined>();
  for (let i = 0; i < upserts.length; i++) {
    analysis.set(
      upserts[i].mutationId,
      found[i] ??
        (await db.samples
          .where('contentHash')
          .equals(upserts[i].args.id as string)
          .last()),
    );
  }
  return rows.map((r) => {
    const envelope = { clientId, mutationId: r.mutationId, hlc: r.hlc };
    if (r.name !== 'sample.upsertAnalysis') return { ...envelope, name: r.name, args: r.args } as Mutation;
    const a = analysis.get(r.mutationId);
    if (!a) return { ...envelope, ...noopDraft(r) } as Mutation;
    const { analyserVersion: _v, ...rest } = r.args;
    return { ...envelope, name: r.name, args: { ...rest, analysis: a } } as Mutation;
  });
}

/** Drops rows the server has applied (at or below its last applied id for this client). */
export async function dropAcknowledged(db: SampleMindDb, acked: number): Promise<number> {
  if (acked <= 0) return 0;
  return db.outbox.where('mutationId').belowOrEqual(acked).delete();
}

export type PushOutcome = { sent: number; acked: number; isEmpty: boolean };

/**
 * Sends the oldest pending mutations (≤ 500, ≤ 4 MB) and drops what the server acknowledged. A 409
 * (some out of order, e.g. an earlier batch still on its way) drops the acknowledged ones: the
 * next call resends from there. A 400 (invalid mutation) replaces the mutations that fail the
 * contract with no-ops and lets the next call resend.
 */
export async function pushOnce(
  db: SampleMindDb,
  api: ApiClient,
  clientId: string,
  options: { signal?: AbortSignal; maxBatch?: number; maxBytes?: number } = {},
): Promise<PushOutcome> {
  const rows = await db.outbox
    .orderBy('mutationId')
    .limit(options.maxBatch ?? MAX_BATCH)
    .toArray();
  if (!rows.length) return { sent: 0, acked: 0, isEmpty: true };
  const all = await toMutations(db, clientId, rows);
  const parts: string[] = [];
  let bytes = 0;
  for (const m of all) {
    const text = JSON.stringify(m);
    if (parts.length && bytes + text.length > (options.maxBytes ?? MAX_BATCH_BYTES)) break;
    parts.push(text);
    bytes += text.length;
  }
  const sent = all.slice(0, parts.length);
  let res: Response;
  try {
    res = await api.request('/api/v1/sync/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: `{"mutations":[${parts.join(',')}]}`,
      okStatuses: [409],
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) {
      if (await replaceInvalid(db, sent, rows)) return { sent: 0, acked: 0, isEmpty: false };
    }
    if (e instanceof ApiError && e.status === 413 && sent.length > 1) {
      return pushOnce(db, api, clientId, { ...options, maxBatch: Math.ceil(sent.length / 2) });
    }
    throw e;
  }
  let body: PushResponse;
  try {
    body = (await res.json()) as PushResponse;
  } catch (e) {
    throw api.readFailure(e, options.signal);
  }
  if (!body || typeof body.clients !== 'object' || body.clients === null)
    throw new ApiError('bad-response', 'The server answered the upload without saying what it applied.');
  // A client with nothing applied yet is left out of `clients`.
  const acked = body.clients[clientId] ?? 0;
  if (acked < rows[0].mutationId - 1) throw new LostMutations(acked, rows[0].mutationId);
  await dropAcknowledged(db, acked);
  return { sent: sent.length, acked, isEmpty: false };
}

/** Rewrites rows that fail the contract as no-ops; false when none do (the server disagrees with us). */
async function replaceInvalid(db: SampleMindDb, sent: Mutation[], rows: OutboxRow[]): Promise<boolean> {
  const { failsContract } = await import('./invalid-mutations');
  const bad = rows.filter((_, i) => i < sent.length && failsContract(sent[i]!));
  if (!bad.length) return false;
  await db.outbox.bulkPut(bad.map((r) => ({ ...r, ...noopDraft(r) })));
  return true;
}
