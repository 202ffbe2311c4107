import type { Mutation, SampleFieldValue } from '@samplemind/contract';
import {
  type CollectionDoc,
  emptyCollection,
  emptySample,
  type LwwSet,
  type Reg,
  type SampleDoc,
  type Stamp,
  stampOf,
} from './model';

/** Mutations applied by the server itself (e.g. an upload stored from POST /audio/analyze). */
export const SERVER_CLIENT_ID = 'server~lite';

/**
 * The time a changed document reports as `updatedAt`: never before the clock of any stamp it holds,
 * so a device that moves its HLC past the `updatedAt` values it pulls (sync.md) outruns a device
 * whose clock is fast, instead of losing to its writes until the wall clock catches up.
 */
function touchedAt(previous: number, now: number, t: Stamp): number {
  return Math.max(previous, now, Number(t.slice(0, 13)));
}

/** Writes `v` when `t` is newer than the register's stamp. Returns whether it changed anything. */
function put<T>(reg: Reg<T>, v: T, t: Stamp): boolean {
  if (t <= reg.t) return false;
  reg.v = v;
  reg.t = t;
  return true;
}

function addAll(set: LwwSet, keys: string[], t: Stamp): boolean {
  let changed = false;
  for (const k of keys) {
    const e = set[k] ?? { a: '', r: '' };
    if (t > e.a) {
      set[k] = { a: t, r: e.r };
      changed = true;
    }
  }
  return changed;
}

function removeAll(set: LwwSet, keys: string[], t: Stamp): boolean {
  let changed = false;
  for (const k of keys) {
    const e = set[k] ?? { a: '', r: '' };
    if (t > e.r) {
      set[k] = { a: e.a, r: t };
      changed = true;
    }
  }
  return changed;
}

function setField(d: SampleDoc, a: SampleFieldValue, t: Stamp): boolean {
  switch (a.field) {
    case 'name':
      return put(d.name, a.value, t);
    case 'path':
      return put(d.path, a.value, t);
    case 'rating':
      return put(d.rating, a.value, t);
    case 'favorite':
      return put(d.favorite, a.value, t);
    case 'notes':
      return put(d.notes, a.value, t);
    case 'bpm':
      return put(d.bpm, a.value, t);
    case 'key':
      // A copy of just the two parts: the register never shares the mutation's object.
      return put(
        d.key,
        a.value === null || a.value === 'none' ? a.value : { tonic: a.value.tonic, scale: a.value.scale },
        t,
      );
    case 'type':
      return put(d.type, a.value, t);
    default: {
      const never: never = a;
      throw new Error(`unknown sample field: ${JSON.stringify(never)}`);
    }
  }
}

/** Entity ids a mutation reads or writes, so a store can load them before reducing a batch. */
export function touchedEntity(m: Mutation): { kind: 'sample' | 'collection'; id: string } {
  return { kind: m.name.startsWith('sample.') ? 'sample' : 'collection', id: m.args.id };
}

/**
 * Applies one mutation to the entity it names (created when missing). Pure apart from mutating the
 * given document; commutative across mutations because every write is guarded by its stamp.
 */
export function reduceSample(
  doc: SampleDoc | undefined,
  m: Mutation,
  now: number,
): { doc: SampleDoc; changed: boolean } {
  const d = doc ?? emptySample(m.args.id, now);
  const t = stampOf(m);
  let changed = doc === undefined;
  switch (m.name) {
    case 'sample.upsertAnalysis': {
      changed = put(d.analysis, m.args.analysis, t) || changed;
      changed = put(d.deleted, false, t) || changed;
      if (m.args.name !== undefined) changed = put(d.name, m.args.name, t) || changed;
      if (m.args.path !== undefined) changed = put(d.path, m.args.path, t) || changed;
      break;
    }
    case 'sample.setField': {
      changed = setField(d, m.args, t) || changed;
      break;
    }
    case 'sample.addTags':
      changed = addAll(d.tags, m.args.tags, t) || changed;
      break;
    case 'sample.removeTags':
      changed = removeAll(d.tags, m.args.tags, t) || changed;
      break;
    case 'sample.setAiDescription':
      changed = put(d.ai, { description: m.args.description, model: m.args.model ?? null }, t) || changed;
      break;
    case 'sample.delete':
      changed = put(d.deleted, true, t) || changed;
      break;
    default:
      throw new Error(`not a sample mutation: ${m.name}`);
  }
  if (changed) d.updatedAt = touchedAt(d.updatedAt, now, t);
  return { doc: d, changed };
}

export function reduceCollection(
  doc: CollectionDoc | undefined,
  m: Mutation,
  now: number,
): { doc: CollectionDoc; changed: boolean } {
  const d = doc ?? emptyCollection(m.args.id, now);
  const t = stampOf(m);
  let changed = doc === undefined;
  switch (m.name) {
    case 'collection.upsert': {
      changed = put(d.deleted, false, t) || changed;
      if (m.args.name !== undefined) changed = put(d.name, m.args.name, t) || changed;
      if (m.args.description !== undefined) changed = put(d.description, m.args.description, t) || changed;
      if (m.args.color !== undefined) changed = put(d.color, m.args.color, t) || changed;
      break;
    }
    case 'collection.addMembers':
      changed = addAll(d.members, m.args.sampleIds, t) || changed;
      break;
    case 'collection.removeMembers':
      changed = removeAll(d.members, m.args.sampleIds, t) || changed;
      break;
    case 'collection.delete':
      changed = put(d.deleted, true, t) || changed;
      break;
    default:
      throw new Error(`not a collection mutation: ${m.name}`);
  }
  if (changed) d.updatedAt = touchedAt(d.updatedAt, now, t);
  return { doc: d, changed };
}

export type MutationResult = {
  clientId: string;
  mutationId: number;
  status: 'applied' | 'duplicate' | 'rejected';
  reason?: string;
};

/** What a store loads for a batch and writes back afterwards. */
export type BatchState = {
  clients: Map<string, number>;
  samples: Map<string, SampleDoc>;
  collections: Map<string, CollectionDoc>;
};

export type BatchOutcome = {
  results: MutationResult[];
  changedSamples: Set<string>;
  changedCollections: Set<string>;
  changedClients: Set<string>;
};

/**
 * Applies a batch in order. Per client, each id is judged against the last applied one at that
 * point: at or below it is a duplicate (skipped, so retries change nothing), exactly one above it is
 * applied, anything further is rejected as out of order (the client resends from last + 1).
 * Mutations from SERVER_CLIENT_ID (which no client can send: '~' fails clientIdSchema) are applied
 * without ordering checks.
 */
export function reduceBatch(state: BatchState, mutations: Mutation[], now: number): BatchOutcome {
  const out: BatchOutcome = {
    results: [],
    changedSamples: new Set(),
    changedCollections: new Set(),
    changedClients: new Set(),
  };
  for (const m of mutations) {
    const internal = m.clientId === SERVER_CLIENT_ID;
    const last = state.clients.get(m.clientId) ?? 0;
    const base = { clientId: m.clientId, mutationId: m.mutationId };
    if (!internal && m.mutationId <= last) {
      out.results.push({ ...base, status: 'duplicate' });
      continue;
    }
    if (!internal && m.mutationId !== last + 1) {
      out.results.push({
        ...base,
        status: 'rejected',
        reason: `out of order: expected mutationId ${last + 1} from this client`,
      });
      continue;
    }
    const { kind, id } = touchedEntity(m);
    if (kind === 'sample') {
      const r = reduceSample(state.samples.get(id), m, now);
      state.samples.set(id, r.doc);
      if (r.changed) out.changedSamples.add(id);
    } else {
      const r = reduceCollection(state.collections.get(id), m, now);
      state.collections.set(id, r.doc);
      if (r.changed) out.changedCollections.add(id);
    }
    if (!internal) {
      state.clients.set(m.clientId, m.mutationId);
      out.changedClients.add(m.clientId);
    }
    out.results.push({ ...base, status: 'applied' });
  }
  return out;
}
