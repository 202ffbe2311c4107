import { type PullResponse, summaryFromAnalysis } from '@samplemind/contract';
import type { ApiClient } from '../account/api-client';
import { ApiError } from '../account/api-error';
import type { SampleMindDb } from '../db/database';
import { hasRows } from '../db/has-rows';
import { bulkPutInSlices } from '../db/in-slices';
import type { OutboxRow, SyncBaseRow } from '../db/types';
import {
  applyToCollection,
  applyToSample,
  type CollectionState,
  collectionEntity,
  collectionFromSync,
  type SampleState,
  sampleEntity,
  sampleFromSync,
} from './entity-state';
import { observeHlc } from './hlc';
import { withSyncTables } from './outbox';
import { type Candidates, type IndexPatch, projectStates, type SampleInput } from './project';
import { dropAcknowledged } from './push';
import { getBinding, getCursor, putBinding, putCursor } from './sync-store';

export const PULL_LIMIT = 5000;

export async function fetchPage(
  api: ApiClient,
  cursor: string,
  options: { signal?: AbortSignal; limit?: number } = {},
): Promise<PullResponse> {
  const q = new URLSearchParams({ cursor, limit: String(options.limit ?? PULL_LIMIT), view: 'compact' });
  const page = await api.json<PullResponse>(`/api/v1/sync/pull?${q}`, {
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (
    !page ||
    typeof page.cursor !== 'string' ||
    !Array.isArray(page.samples) ||
    !Array.isArray(page.collections) ||
    typeof page.clients !== 'object'
  )
    throw new ApiError('bad-response', 'The server answered the sync pull with something unexpected.');
  return page;
}

/** The latest `updatedAt` of a page's entities (ms since epoch; 0 for an empty page). */
export function latestUpdate(page: Pick<PullResponse, 'samples' | 'collections'>): number {
  let seen = 0;
  for (const s of page.samples) seen = Math.max(seen, Date.parse(s.updatedAt) || 0);
  for (const c of page.collections) seen = Math.max(seen, Date.parse(c.updatedAt) || 0);
  return seen;
}

/** Pending mutations of these entities, oldest first. */
async function pendingFor(db: SampleMindDb, entities: string[]): Promise<Map<string, OutboxRow[]>> {
  const out = new Map<string, OutboxRow[]>();
  if (!entities.length || !(await hasRows(db.outbox))) return out;
  const rows = await db.outbox.where('entity').anyOf(entities).toArray();
  rows.sort((a, b) => a.mutationId - b.mutationId);
  for (const r of rows) {
    const list = out.get(r.entity);
    if (list) list.push(r);
    else out.set(r.entity, [r]);
  }
  return out;
}

export type AppliedPage = { patch: IndexPatch; samples: number; collections: number };

/** The transaction scope of applying server states to the library. */
export const applyScope = (db: SampleMindDb) =>
  withSyncTables(db, [
    db.files,
    db.edits,
    db.tags,
    db.vectors,
    db.vectorPacks,
    db.queue,
    db.blobs,
    db.descriptions,
  ]);

/**
 * Applies one pull page in one transaction: drops acknowledged mutations, re-applies the pending
 * ones on top of the pulled states (so local edits not yet on the server neither vanish nor
 * flicker), writes the result to the library and moves the cursor. Returns null when the page is
 * stale (the cursor moved since it was asked for: a duplicate answer) or the library was re-bound.
 */
export async function applyPage(
  db: SampleMindDb,
  requestCursor: string,
  clientId: string,
  page: PullResponse,
  candidates?: Candidates,
): Promise<AppliedPage | null> {
  return db.transaction('rw', applyScope(db), async () => {
    if ((await getCursor(db)) !== requestCursor) return null;
    const binding = await getBinding(db);
    if (!binding || binding.clientId !== clientId) return null;
    await dropAcknowledged(db, page.clients[clientId] ?? 0);

    const samples = page.samples.map(sampleFromSync);
    const collections = page.collections.map(collectionFromSync);
    const entities = [
      ...samples.map((s) => sampleEntity(s.id)),
      ...collections.map((c) => collectionEntity(c.id)),
    ];
    const summaries = page.samples.map(
      (s) => s.summary ?? (s.analysis ? summaryFromAnalysis(s.analysis) : null),
    );
    // Entities with a base keep the server's latest word there (see SyncBaseRow).
    const bases = entities.length && (await hasRows(db.syncBase)) ? await db.syncBase.bulkGet(entities) : [];
    const rebased = bases.flatMap((b, i): SyncBaseRow[] =>
      !b
        ? []
        : i < samples.length
          ? [{ entity: b.entity, state: samples[i], summary: summaries[i] }]
          : [{ entity: b.entity, state: collections[i - samples.length] }],
    );
    if (rebased.length) await bulkPutInSlices(db.syncBase, rebased);

    const pending = await pendingFor(db, entities);
    const effSamples: SampleInput[] = samples.map((pulled, i) => {
      let state: SampleState = pulled;
      for (const m of pending.get(sampleEntity(state.id)) ?? []) state = applyToSample(state, m);
      return { state, summary: summaries[i] };
    });
    const effCollections = collections.map((c) => {
      let state: CollectionState = c;
      for (const m of pending.get(collectionEntity(c.id)) ?? []) state = applyToCollection(state, m);
      return state;
    });
    const patch = await projectStates(db, effSamples, effCollections, candidates ? { candidates } : {});

    // sync.md: the clock moves past every updatedAt pulled (the server keeps those at or above the
    // clock of every stamp an entity holds), so this device's next edit outranks what it has seen.
    const seen = latestUpdate(page);
    const hlc = seen > 0 ? observeHlc(binding.hlc, seen) : binding.hlc;
    if (hlc !== binding.hlc) await putBinding(db, { ...binding, hlc });
    await putCursor(db, page.cursor);
    return { patch, samples: samples.length, collections: collections.length };
  });
}
