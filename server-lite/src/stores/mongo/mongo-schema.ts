import type { SampleFilters, SampleSummary } from '@samplemind/contract';
import type { Db, Filter } from 'mongodb';

export type UserDoc = {
  _id: string;
  email: string;
  username: string;
  usernameLower: string;
  passwordHash: string;
  createdAt: number;
};
export type SessionDoc = {
  _id: string;
  userId: string;
  tokenHash: string;
  expiresAt: number;
  expiresAtDate: Date;
  revoked: boolean;
  createdAt: number;
};
export type SampleRowDoc = {
  _id: string;
  userId: string;
  id: string;
  seq: number;
  visible: boolean;
  type: string | null;
  bpm: number;
  keyTonic: string | null;
  keyScale: string | null;
  camelot: string | null;
  duration: number;
  isLoop: boolean;
  lufs: number;
  favorite: boolean;
  nameKey: string;
  search: string;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  summary: SampleSummary | null;
  /** JSON text: tag and member names may contain '.' or '$', which Mongo keys may not. */
  doc: string;
  /**
   * The compact pull text (library/sync-json.ts) and its COMPACT_FORMAT; absent on rows written
   * before it existed (rendered from doc on read).
   */
  compact?: string;
  compactV?: string;
};
export type CollectionRowDoc = {
  _id: string;
  userId: string;
  id: string;
  seq: number;
  members: string[];
  doc: string;
};
export type ClientDoc = { _id: string; userId: string; clientId: string; last: number };
export type SeqDoc = { _id: string; seq: number };
export type OutboxDoc = { _id: string; userId: string; id: string };

export const SORT_FIELD: Record<string, keyof SampleRowDoc> = {
  nameKey: 'nameKey',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  bpm: 'bpm',
  duration: 'duration',
  lufs: 'lufs',
};

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function mongoFilter(userId: string, f: SampleFilters): Filter<SampleRowDoc> {
  const q: Filter<SampleRowDoc> = { userId, visible: true };
  const and: Filter<SampleRowDoc>[] = [];
  if (f.type && f.type.length > 0) q.type = { $in: f.type };
  if (f.key) q.keyTonic = f.key;
  if (f.scale) q.keyScale = f.scale;
  if (f.camelot) q.camelot = f.camelot;
  if (f.bpmMin !== undefined) and.push({ bpm: { $gte: f.bpmMin } });
  if (f.bpmMax !== undefined) and.push({ bpm: { $gte: 0, $lte: f.bpmMax } });
  if (f.durationMin !== undefined) and.push({ duration: { $gte: f.durationMin } });
  if (f.durationMax !== undefined) and.push({ duration: { $lte: f.durationMax } });
  if (f.tags && f.tags.length > 0) q.tags = { $all: f.tags.map((t) => t.toLowerCase()) };
  if (f.q) q.search = { $regex: escapeRegex(f.q.toLowerCase()) };
  if (f.isLoop !== undefined) q.isLoop = f.isLoop;
  if (f.favorite !== undefined) q.favorite = f.favorite;
  if (and.length > 0) q.$and = and;
  return q;
}

/** Indexes every query relies on; run by `make setup-db-indexes` and (idempotently) at start. */
export async function ensureMongoIndexes(db: Db): Promise<void> {
  await db.collection('users').createIndexes([
    { key: { email: 1 }, unique: true },
    { key: { usernameLower: 1 }, unique: true },
  ]);
  await db
    .collection('sessions')
    .createIndexes([{ key: { userId: 1 } }, { key: { expiresAtDate: 1 }, expireAfterSeconds: 0 }]);
  const sorts = ['createdAt', 'updatedAt', 'nameKey', 'bpm', 'duration', 'lufs'];
  await db
    .collection('samples')
    .createIndexes([
      { key: { userId: 1, seq: 1 } },
      { key: { userId: 1, visible: 1, tags: 1 } },
      ...sorts.map((s) => ({ key: { userId: 1, visible: 1, [s]: 1, id: 1 } })),
    ]);
  await db
    .collection('collections')
    .createIndexes([{ key: { userId: 1, seq: 1 } }, { key: { userId: 1, members: 1 } }]);
  await db.collection('syncClients').createIndexes([{ key: { userId: 1 } }]);
}
