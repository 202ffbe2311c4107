import type { Mutation, SampleFilters, SampleSummary, SortSpec } from '@samplemind/contract';
import type { CursorPos } from '../library/views';
import type { CollectionDoc, SampleDoc } from '../sync/model';
import type { BatchOutcome, BatchState } from '../sync/reduce';

export type UserRecord = {
  id: string;
  email: string;
  username: string;
  passwordHash: string;
  createdAt: number;
};

/** One refresh-token family: rotation replaces tokenHash; reuse of an old token revokes it. */
export type SessionRecord = {
  id: string;
  userId: string;
  tokenHash: string;
  expiresAt: number;
  revoked: boolean;
  createdAt: number;
};

export type ListPage = { items: SampleSummary[]; last: CursorPos | null; hasMore: boolean };

export type PullPage = {
  samples: SampleDoc[];
  collections: CollectionDoc[];
  cursor: number;
  hasMore: boolean;
  clients: Record<string, number>;
};

/** A pull page in the compact view: each sample as its compact JSON text (library/sync-json.ts). */
export type CompactPullPage = Omit<PullPage, 'samples'> & { samples: string[] };

export type PushOutcome = BatchOutcome & { clients: Record<string, number> };

/** Durable documents: users, sessions, the library and sync state. Every library call is scoped by userId. */
export interface DocumentStore {
  readonly backend: 'sqlite' | 'mongo';
  ping(): Promise<void>;
  close(): Promise<void>;

  /** 'email-taken' / 'username-taken' when unique keys collide (usernames compare case-insensitively). */
  createUser(user: UserRecord): Promise<'ok' | 'email-taken' | 'username-taken'>;
  /** By email (when it contains '@') or username. */
  findUserByLogin(login: string): Promise<UserRecord | null>;
  getUser(id: string): Promise<UserRecord | null>;

  createSession(s: SessionRecord): Promise<void>;
  getSession(id: string): Promise<SessionRecord | null>;
  /** Compare-and-swap on tokenHash; false when another rotation (or a revocation) got there first. */
  rotateSession(
    id: string,
    expectedHash: string,
    next: { tokenHash: string; expiresAt: number },
  ): Promise<boolean>;
  revokeSession(id: string): Promise<void>;

  listSamples(
    userId: string,
    q: { filters: SampleFilters; sort: SortSpec; limit: number; after: CursorPos | null },
  ): Promise<ListPage>;
  getSample(userId: string, id: string): Promise<SampleDoc | null>;
  /** Visible samples among `ids` that match the filters, in the order of `ids`. */
  filterSamples(userId: string, ids: string[], filters: SampleFilters): Promise<SampleSummary[]>;
  /** Ids of live collections that contain the sample. */
  sampleCollections(userId: string, sampleId: string): Promise<string[]>;
  /** Every visible sample's feature vector (rebuilds the in-process index). */
  vectors(userId: string): Promise<{ id: string; vector: number[]; doc: SampleDoc }[]>;

  /** Loads the batch's entities and client positions, runs `reduce`, writes back: all in one transaction. */
  pushBatch(
    userId: string,
    mutations: Mutation[],
    reduce: (state: BatchState) => BatchOutcome,
  ): Promise<PushOutcome & { samples: Map<string, SampleDoc> }>;
  pull(userId: string, cursor: number, limit: number): Promise<PullPage>;
  /**
   * The same page as `pull`, with each sample as compactSampleJson text. Stores keep that text
   * beside the document (written with it) so this never parses an analysis; documents written
   * before that (or under another COMPACT_FORMAT) are rendered on read.
   */
  pullCompact(userId: string, cursor: number, limit: number): Promise<CompactPullPage>;

  /** Samples whose vector could not reach the vector store (e.g. Chroma down); retried later. */
  outboxAdd(userId: string, ids: string[]): Promise<void>;
  outboxTake(limit: number): Promise<{ userId: string; id: string }[]>;
  outboxRemove(items: { userId: string; id: string }[]): Promise<void>;
}

/**
 * Cache of serialized answers. Entries live in per-user groups so one write invalidates all of a
 * user's cached pages at once; `gen` makes a fill that raced with an invalidation a no-op.
 * Failures never throw: a broken cache reads as a miss.
 */
export interface Cache {
  readonly backend: 'memory' | 'redis';
  /** Values come back as Buffers: they are sent as they are, with no decoding or re-encoding. */
  read(group: string, field: string): Promise<{ gen: string | null; value: Buffer | null }>;
  fill(group: string, field: string, value: Buffer, gen: string | null, ttlSec: number): Promise<void>;
  invalidate(group: string): Promise<void>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSec: number): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Fixed-window counters for rate limits; shared between instances when backed by Redis. */
export interface Counters {
  incr(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }>;
  reset(key: string): Promise<void>;
}

/** "Something changed for this user" pokes, fanned out to every instance. */
export interface Pokes {
  publish(userId: string): Promise<void>;
  subscribe(listener: (userId: string) => void): () => void;
}

export type VectorMeta = {
  type: string | null;
  bpm: number;
  duration: number;
  keyTonic: string | null;
  keyScale: string | null;
  isLoop: boolean;
};

export class VectorsUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'VectorsUnavailable';
  }
}

/** Nearest-neighbour search over feature vectors, cosine, scoped by user. Throws VectorsUnavailable when down. */
export interface VectorIndex {
  readonly backend: 'memory' | 'chroma';
  upsert(userId: string, items: { id: string; vector: number[]; meta: VectorMeta }[]): Promise<void>;
  remove(userId: string, ids: string[]): Promise<void>;
  /**
   * Best first. The index applies the filters it can on its own metadata (type, key, BPM, duration,
   * loop); callers re-check every filter on the documents.
   */
  query(
    userId: string,
    vector: number[],
    k: number,
    filters: SampleFilters,
  ): Promise<{ id: string; score: number }[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type Stores = {
  docs: DocumentStore;
  cache: Cache;
  counters: Counters;
  pokes: Pokes;
  vectors: VectorIndex;
  close(): Promise<void>;
};
