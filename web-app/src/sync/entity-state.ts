import type {
  KeyCorrection,
  MutationName,
  SampleType,
  SyncCollection,
  SyncSample,
} from '@samplemind/contract';

/**
 * A sample as sync sees it (keyed by content hash), without the analysis: what the server holds,
 * or what this device will show once its pending mutations land. `hasAnalysis`: some device sent
 * the analysis (until then the sample is not listed anywhere).
 */
export type SampleState = {
  id: string;
  deleted: boolean;
  hasAnalysis: boolean;
  name: string | null;
  path: string | null;
  /** Lower-cased, sorted, unique. */
  tags: string[];
  rating: number | null;
  favorite: boolean;
  notes: string;
  aiDescription: string | null;
  aiModel: string | null;
  bpm: number | null;
  /** 'none': corrected to "no key"; null: no correction. */
  key: KeyCorrection | null;
  type: SampleType | null;
};

export type CollectionState = {
  id: string;
  deleted: boolean;
  name: string | null;
  description: string;
  color: string | null;
  /** Sorted, unique. */
  sampleIds: string[];
};

/**
 * A mutation before it gets its id and stamp. sample.upsertAnalysis carries `analyserVersion`
 * instead of the analysis (read from the samples table at push time).
 */
export type Draft = { name: MutationName; args: Record<string, unknown> & { id: string } };

export const sampleEntity = (hash: string) => `s:${hash}`;
export const collectionEntity = (syncId: string) => `c:${syncId}`;
export const entityOf = (d: Pick<Draft, 'name' | 'args'>) =>
  d.name.startsWith('sample.') ? sampleEntity(d.args.id) : collectionEntity(d.args.id);
export const isSampleEntity = (entity: string) => entity.startsWith('s:');
export const entityId = (entity: string) => entity.slice(2);

export function emptySample(id: string): SampleState {
  return {
    id,
    deleted: false,
    hasAnalysis: false,
    name: null,
    path: null,
    tags: [],
    rating: null,
    favorite: false,
    notes: '',
    aiDescription: null,
    aiModel: null,
    bpm: null,
    key: null,
    type: null,
  };
}

/** A collection this device does not have behaves like a deleted one. */
export function absentCollection(id: string): CollectionState {
  return { id, deleted: true, name: null, description: '', color: null, sampleIds: [] };
}

const sortedUnique = (xs: Iterable<string>) => [...new Set(xs)].sort();

export function sampleFromSync(s: SyncSample): SampleState {
  return {
    id: s.id,
    deleted: s.deleted,
    hasAnalysis: !!(s.summary ?? s.analysis),
    name: s.name ?? null,
    path: s.path ?? null,
    tags: sortedUnique((s.tags ?? []).map((t) => t.toLowerCase())),
    rating: s.rating ?? null,
    favorite: !!s.favorite,
    notes: s.notes ?? '',
    aiDescription: s.aiDescription ?? null,
    aiModel: s.aiModel ?? null,
    // Older servers do not send the corrections yet: none.
    bpm: s.bpm ?? null,
    key: s.key ?? null,
    type: s.type ?? null,
  };
}

export function collectionFromSync(c: SyncCollection): CollectionState {
  return {
    id: c.id,
    deleted: c.deleted,
    name: c.name ?? null,
    description: c.description ?? '',
    color: c.color ?? null,
    sampleIds: sortedUnique(c.sampleIds ?? []),
  };
}

/**
 * Applies a pending mutation the way the server will once it arrives (ignoring stamps: pending
 * mutations are this device's newest word). Returns a new state.
 */
export function applyToSample(s: SampleState, d: Pick<Draft, 'name' | 'args'>): SampleState {
  const a = d.args as Record<string, unknown>;
  const next = { ...s };
  switch (d.name) {
    case 'sample.upsertAnalysis':
      next.hasAnalysis = true;
      next.deleted = false;
      if (a.name !== undefined) next.name = a.name as string;
      if (a.path !== undefined) next.path = a.path as string | null;
      break;
    case 'sample.setField': {
      const v = a.value;
      switch (a.field) {
        case 'name':
          next.name = v as string;
          break;
        case 'path':
          next.path = v as string | null;
          break;
        case 'rating':
          next.rating = v as number | null;
          break;
        case 'favorite':
          next.favorite = v as boolean;
          break;
        case 'notes':
          next.notes = v as string;
          break;
        case 'bpm':
          next.bpm = v as number | null;
          break;
        case 'key':
          next.key = v as KeyCorrection | null;
          break;
        case 'type':
          next.type = v as SampleType | null;
          break;
      }
      break;
    }
    case 'sample.addTags':
      next.tags = sortedUnique([...s.tags, ...(a.tags as string[])]);
      break;
    case 'sample.removeTags': {
      const gone = new Set(a.tags as string[]);
      next.tags = s.tags.filter((t) => !gone.has(t));
      break;
    }
    case 'sample.setAiDescription':
      next.aiDescription = a.description as string | null;
      next.aiModel = (a.model as string | null | undefined) ?? null;
      break;
    case 'sample.delete':
      next.deleted = true;
      break;
    default:
      break;
  }
  return next;
}

export function applyToCollection(c: CollectionState, d: Pick<Draft, 'name' | 'args'>): CollectionState {
  const a = d.args as Record<string, unknown>;
  const next = { ...c };
  switch (d.name) {
    case 'collection.upsert':
      next.deleted = false;
      if (a.name !== undefined) next.name = a.name as string;
      if (a.description !== undefined) next.description = a.description as string;
      if (a.color !== undefined) next.color = a.color as string | null;
      break;
    case 'collection.addMembers':
      next.sampleIds = sortedUnique([...c.sampleIds, ...(a.sampleIds as string[])]);
      break;
    case 'collection.removeMembers': {
      const gone = new Set(a.sampleIds as string[]);
      next.sampleIds = c.sampleIds.filter((x) => !gone.has(x));
      break;
    }
    case 'collection.delete':
      next.deleted = true;
      break;
    default:
      break;
  }
  return next;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// --- values as the contract accepts them: clamp rather than have the server refuse a batch ---

export const cleanTag = (t: string) => t.trim().toLowerCase().slice(0, 64).trim();

function cleanBpm(v: number | null): number | null {
  if (v === null || !Number.isFinite(v) || v <= 0) return null;
  return Math.min(999, v);
}

function cleanRating(v: number | null): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  return Math.min(5, Math.max(0, Math.round(v)));
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * Normalises a state to what the server would store, with a fixed property order, so states
 * built in different places compare as JSON.
 */
export function normaliseSample(s: SampleState): SampleState {
  return {
    id: s.id,
    deleted: s.deleted,
    hasAnalysis: s.hasAnalysis,
    name: s.name,
    path: s.path,
    tags: sortedUnique(s.tags.map(cleanTag).filter((t) => t.length > 0)),
    rating: cleanRating(s.rating),
    favorite: s.favorite,
    notes: s.notes.slice(0, 10_000),
    aiDescription: s.aiDescription === null ? null : s.aiDescription.slice(0, 4000),
    aiModel: s.aiModel === null ? null : s.aiModel.slice(0, 128),
    bpm: cleanBpm(s.bpm),
    key: s.key === 'none' || s.key === null ? s.key : { tonic: s.key.tonic, scale: s.key.scale },
    type: s.type,
  };
}

export function normaliseCollection(c: CollectionState): CollectionState {
  return {
    id: c.id,
    deleted: c.deleted,
    name: c.name,
    description: c.description,
    color: c.color,
    sampleIds: sortedUnique(c.sampleIds),
  };
}

/**
 * The mutations that take a sample from `from` to `to` (edits only: analysis, name and path are
 * sent by the importer). Diffing from emptySample gives what describes a sample from scratch.
 */
export function diffSample(fromRaw: SampleState, toRaw: SampleState): Draft[] {
  const from = normaliseSample(fromRaw);
  const to = normaliseSample(toRaw);
  const id = to.id;
  const out: Draft[] = [];
  const had = new Set(from.tags);
  const has = new Set(to.tags);
  const added = to.tags.filter((t) => !had.has(t));
  const removed = from.tags.filter((t) => !has.has(t));
  for (const tags of chunks(added, 100)) out.push({ name: 'sample.addTags', args: { id, tags } });
  for (const tags of chunks(removed, 100)) out.push({ name: 'sample.removeTags', args: { id, tags } });
  const field = (f: string, value: unknown) =>
    out.push({ name: 'sample.setField', args: { id, field: f, value } });
  if (from.favorite !== to.favorite) field('favorite', to.favorite);
  if (from.bpm !== to.bpm) field('bpm', to.bpm);
  if (!sameJson(from.key, to.key)) field('key', to.key);
  if (from.type !== to.type) field('type', to.type);
  if (from.rating !== to.rating) field('rating', to.rating);
  if (from.notes !== to.notes) field('notes', to.notes);
  if (from.aiDescription !== to.aiDescription || from.aiModel !== to.aiModel)
    out.push({
      name: 'sample.setAiDescription',
      args: { id, description: to.aiDescription, model: to.aiModel },
    });
  return out;
}

export function cleanCollectionName(name: string): string {
  const n = name.trim().slice(0, 200).trim();
  return n || 'Untitled';
}

/** Member changes as mutations of at most 1000 ids each. */
export function memberDrafts(id: string, add: string[], remove: string[]): Draft[] {
  return [
    ...chunks(sortedUnique(add), 1000).map(
      (sampleIds): Draft => ({ name: 'collection.addMembers', args: { id, sampleIds } }),
    ),
    ...chunks(sortedUnique(remove), 1000).map(
      (sampleIds): Draft => ({ name: 'collection.removeMembers', args: { id, sampleIds } }),
    ),
  ];
}

export const sameSample = (a: SampleState, b: SampleState) =>
  sameJson(normaliseSample(a), normaliseSample(b));

export const sameCollection = (a: CollectionState, b: CollectionState) =>
  sameJson(normaliseCollection(a), normaliseCollection(b));
