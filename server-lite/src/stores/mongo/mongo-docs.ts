import type { Mutation, SampleFilters, SortSpec } from '@samplemind/contract';
import { type Collection, type Db, type Filter, MongoClient, MongoServerError } from 'mongodb';
import { COMPACT_FORMAT, compactSampleJson } from '../../library/sync-json';
import { type CursorPos, parseSort, toRow, toSummary } from '../../library/views';
import { type CollectionDoc, liveElements, parseSampleDoc, type SampleDoc } from '../../sync/model';
import { type BatchOutcome, type BatchState, touchedEntity } from '../../sync/reduce';
import type { CompactPullPage, DocumentStore, ListPage, PullPage, SessionRecord, UserRecord } from '../types';
import {
  type ClientDoc,
  type CollectionRowDoc,
  ensureMongoIndexes,
  mongoFilter,
  type OutboxDoc,
  type SampleRowDoc,
  type SeqDoc,
  type SessionDoc,
  SORT_FIELD,
  type UserDoc,
} from './mongo-schema';

/**
 * MongoDB document store (official driver). Sync batches run in a multi-document transaction, so
 * MongoDB must be a replica set (a single-node one is enough; see docker/docker-compose.yml).
 */
export class MongoDocumentStore implements DocumentStore {
  readonly backend = 'mongo' as const;
  private readonly client: MongoClient;
  private readonly db: Db;
  private readonly users: Collection<UserDoc>;
  private readonly sessions: Collection<SessionDoc>;
  private readonly samples: Collection<SampleRowDoc>;
  private readonly collections: Collection<CollectionRowDoc>;
  private readonly clients: Collection<ClientDoc>;
  private readonly seqs: Collection<SeqDoc>;
  private readonly outbox: Collection<OutboxDoc>;

  private constructor(client: MongoClient, dbName: string) {
    this.client = client;
    this.db = client.db(dbName);
    this.users = this.db.collection('users');
    this.sessions = this.db.collection('sessions');
    this.samples = this.db.collection('samples');
    this.collections = this.db.collection('collections');
    this.clients = this.db.collection('syncClients');
    this.seqs = this.db.collection('userSeq');
    this.outbox = this.db.collection('vectorOutbox');
  }

  static async connect(url: string, dbName: string): Promise<MongoDocumentStore> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000, maxPoolSize: 50 });
    await client.connect();
    const store = new MongoDocumentStore(client, dbName);
    await ensureMongoIndexes(store.db);
    return store;
  }

  async ping() {
    await this.db.command({ ping: 1 });
  }

  async close() {
    await this.client.close();
  }

  async createUser(u: UserRecord) {
    try {
      await this.users.insertOne({
        _id: u.id,
        email: u.email,
        username: u.username,
        usernameLower: u.username.toLowerCase(),
        passwordHash: u.passwordHash,
        createdAt: u.createdAt,
      });
      return 'ok' as const;
    } catch (e) {
      if (e instanceof MongoServerError && e.code === 11000) {
        return JSON.stringify(e.keyPattern ?? {}).includes('email')
          ? ('email-taken' as const)
          : ('username-taken' as const);
      }
      throw e;
    }
  }

  private static user(d: UserDoc | null): UserRecord | null {
    return d
      ? {
          id: d._id,
          email: d.email,
          username: d.username,
          passwordHash: d.passwordHash,
          createdAt: d.createdAt,
        }
      : null;
  }

  async findUserByLogin(login: string) {
    const l = login.toLowerCase();
    return MongoDocumentStore.user(
      await this.users.findOne(l.includes('@') ? { email: l } : { usernameLower: l }),
    );
  }

  async getUser(id: string) {
    return MongoDocumentStore.user(await this.users.findOne({ _id: id }));
  }

  async createSession(s: SessionRecord) {
    await this.sessions.insertOne({
      _id: s.id,
      userId: s.userId,
      tokenHash: s.tokenHash,
      expiresAt: s.expiresAt,
      expiresAtDate: new Date(s.expiresAt),
      revoked: s.revoked,
      createdAt: s.createdAt,
    });
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const d = await this.sessions.findOne({ _id: id });
    return d
      ? {
          id: d._id,
          userId: d.userId,
          tokenHash: d.tokenHash,
          expiresAt: d.expiresAt,
          revoked: d.revoked,
          createdAt: d.createdAt,
        }
      : null;
  }

  async rotateSession(id: string, expectedHash: string, next: { tokenHash: string; expiresAt: number }) {
    const r = await this.sessions.updateOne(
      { _id: id, tokenHash: expectedHash, revoked: false },
      {
        $set: {
          tokenHash: next.tokenHash,
          expiresAt: next.expiresAt,
          expiresAtDate: new Date(next.expiresAt),
        },
      },
    );
    return r.modifiedCount === 1;
  }

  async revokeSession(id: string) {
    await this.sessions.updateOne({ _id: id }, { $set: { revoked: true } });
  }

  async listSamples(
    userId: string,
    q: { filters: SampleFilters; sort: SortSpec; limit: number; after: CursorPos | null },
  ): Promise<ListPage> {
    const { field, desc } = parseSort(q.sort);
    const f = SORT_FIELD[field];
    const filter = mongoFilter(userId, q.filters);
    if (q.after) {
      const op = desc ? '$lt' : '$gt';
      filter.$and = filter.$and ?? [];
      filter.$and.push({
        $or: [{ [f]: { [op]: q.after.v } }, { [f]: q.after.v, id: { [op]: q.after.id } }],
      } as Filter<SampleRowDoc>);
    }
    const dir = desc ? -1 : 1;
    const rows = await this.samples
      .find(filter, {
        projection: { summary: 1, id: 1, [f]: 1 },
        sort: { [f]: dir, id: dir },
        limit: q.limit + 1,
      })
      .toArray();
    const hasMore = rows.length > q.limit;
    if (hasMore) rows.length = q.limit;
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => r.summary!),
      last: last ? { v: last[f] as string | number, id: last.id } : null,
      hasMore,
    };
  }

  async getSample(userId: string, id: string) {
    const r = await this.samples.findOne({ _id: `${userId}:${id}`, userId }, { projection: { doc: 1 } });
    return r ? parseSampleDoc(r.doc) : null;
  }

  async filterSamples(userId: string, ids: string[], filters: SampleFilters) {
    if (ids.length === 0) return [];
    const rows = await this.samples
      .find({ ...mongoFilter(userId, filters), id: { $in: ids } }, { projection: { id: 1, summary: 1 } })
      .toArray();
    const byId = new Map(rows.map((r) => [r.id, r.summary!]));
    return ids.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
  }

  async sampleCollections(userId: string, sampleId: string) {
    const rows = await this.collections
      .find({ userId, members: sampleId }, { projection: { id: 1 } })
      .toArray();
    return rows.map((r) => r.id).sort();
  }

  async vectors(userId: string) {
    const rows = await this.samples.find({ userId, visible: true }, { projection: { doc: 1 } }).toArray();
    return rows.map((r) => {
      const doc = parseSampleDoc(r.doc);
      return { id: doc.id, vector: doc.analysis.v!.features, doc };
    });
  }

  async pushBatch(userId: string, mutations: Mutation[], reduce: (state: BatchState) => BatchOutcome) {
    const session = this.client.startSession();
    try {
      let result!: BatchOutcome & { clients: Record<string, number>; samples: Map<string, SampleDoc> };
      await session.withTransaction(async () => {
        const state: BatchState = { clients: new Map(), samples: new Map(), collections: new Map() };
        const clientIds = [...new Set(mutations.map((m) => m.clientId))];
        for (const c of await this.clients
          .find({ userId, clientId: { $in: clientIds } }, { session })
          .toArray()) {
          state.clients.set(c.clientId, c.last);
        }
        for (const c of clientIds) if (!state.clients.has(c)) state.clients.set(c, 0);
        const sampleIds = new Set<string>();
        const collectionIds = new Set<string>();
        for (const m of mutations) {
          const t = touchedEntity(m);
          (t.kind === 'sample' ? sampleIds : collectionIds).add(t.id);
        }
        for (const r of await this.samples
          .find({ userId, id: { $in: [...sampleIds] } }, { session })
          .toArray()) {
          state.samples.set(r.id, parseSampleDoc(r.doc));
        }
        for (const r of await this.collections
          .find({ userId, id: { $in: [...collectionIds] } }, { session })
          .toArray()) {
          state.collections.set(r.id, JSON.parse(r.doc));
        }
        const outcome = reduce(state);
        const n = outcome.changedSamples.size + outcome.changedCollections.size;
        const seqDoc = await this.seqs.findOneAndUpdate(
          { _id: userId },
          { $inc: { seq: n } },
          { upsert: true, returnDocument: 'after', session },
        );
        let seq = (seqDoc?.seq ?? n) - n;
        for (const id of outcome.changedSamples) {
          const doc = state.samples.get(id)!;
          const row = toRow(doc);
          await this.samples.replaceOne(
            { _id: `${userId}:${id}` },
            {
              userId,
              id,
              seq: ++seq,
              ...row,
              summary: row.visible ? toSummary(doc) : null,
              doc: JSON.stringify(doc),
              compact: compactSampleJson(doc),
              compactV: COMPACT_FORMAT,
            },
            { upsert: true, session },
          );
        }
        for (const id of outcome.changedCollections) {
          const doc = state.collections.get(id)!;
          await this.collections.replaceOne(
            { _id: `${userId}:${id}` },
            {
              userId,
              id,
              seq: ++seq,
              members: doc.deleted.v ? [] : liveElements(doc.members),
              doc: JSON.stringify(doc),
            },
            { upsert: true, session },
          );
        }
        for (const clientId of outcome.changedClients) {
          await this.clients.updateOne(
            { _id: `${userId}:${clientId}` },
            { $set: { userId, clientId, last: state.clients.get(clientId)! } },
            { upsert: true, session },
          );
        }
        const clients: Record<string, number> = {};
        for (const [c, v] of state.clients) if (v > 0) clients[c] = v;
        result = { ...outcome, clients, samples: state.samples };
      });
      return result;
    } finally {
      await session.endSession();
    }
  }

  async pull(userId: string, cursor: number, limit: number): Promise<PullPage> {
    const page = await this.page(userId, cursor, limit, { seq: 1, doc: 1 });
    return { ...page, samples: page.samples.map((r) => parseSampleDoc(r.doc!)) };
  }

  async pullCompact(userId: string, cursor: number, limit: number): Promise<CompactPullPage> {
    const page = await this.page(userId, cursor, limit, { seq: 1, compact: 1, compactV: 1 });
    // Rows written before the compact text existed: fetch their documents and render them.
    const stale = page.samples.filter((r) => r.compactV !== COMPACT_FORMAT).map((r) => r._id);
    const docs = new Map<string, string>();
    if (stale.length > 0) {
      for (const r of await this.samples
        .find({ _id: { $in: stale } }, { projection: { doc: 1 } })
        .toArray()) {
        docs.set(r._id, r.doc);
      }
    }
    const rebuilt: { _id: string; seq: number; compact: string }[] = [];
    const samples = page.samples.map((r) => {
      if (r.compactV === COMPACT_FORMAT) return r.compact!;
      const compact = compactSampleJson(parseSampleDoc(docs.get(r._id)!));
      rebuilt.push({ _id: r._id, seq: r.seq, compact });
      return compact;
    });
    if (rebuilt.length > 0) {
      // Written back so only the first compact pull pays; only where the sample is unchanged.
      await this.samples
        .bulkWrite(
          rebuilt.map((r) => ({
            updateOne: {
              filter: { _id: r._id, seq: r.seq },
              update: { $set: { compact: r.compact, compactV: COMPACT_FORMAT } },
            },
          })),
          { ordered: false },
        )
        .catch(() => undefined);
    }
    return { ...page, samples };
  }

  private async page(
    userId: string,
    cursor: number,
    limit: number,
    projection: Partial<Record<keyof SampleRowDoc, 1>>,
  ) {
    const [s, c, clients] = await Promise.all([
      this.samples
        .find({ userId, seq: { $gt: cursor } }, { sort: { seq: 1 }, limit: limit + 1, projection })
        .toArray(),
      this.collections
        .find(
          { userId, seq: { $gt: cursor } },
          { sort: { seq: 1 }, limit: limit + 1, projection: { seq: 1, doc: 1 } },
        )
        .toArray(),
      this.clients.find({ userId }).toArray(),
    ]);
    const merged = [
      ...s.map((r) => ({ seq: r.seq, s: r as Partial<SampleRowDoc> & { _id: string; seq: number } })),
      ...c.map((r) => ({ seq: r.seq, c: JSON.parse(r.doc) as CollectionDoc })),
    ].sort((a, b) => a.seq - b.seq);
    const page = merged.slice(0, limit);
    return {
      samples: page.flatMap((r) => ('s' in r && r.s ? [r.s] : [])),
      collections: page.flatMap((r) => ('c' in r && r.c ? [r.c] : [])),
      cursor: page.length > 0 ? page[page.length - 1].seq : cursor,
      hasMore: merged.length > limit,
      clients: Object.fromEntries(clients.map((d) => [d.clientId, d.last])),
    };
  }

  async outboxAdd(userId: string, ids: string[]) {
    if (ids.length === 0) return;
    await this.outbox.bulkWrite(
      ids.map((id) => ({
        updateOne: { filter: { _id: `${userId}:${id}` }, update: { $set: { userId, id } }, upsert: true },
      })),
    );
  }

  async outboxTake(limit: number) {
    const rows = await this.outbox.find({}, { limit }).toArray();
    return rows.map((r) => ({ userId: r.userId, id: r.id }));
  }

  async outboxRemove(items: { userId: string; id: string }[]) {
    if (items.length === 0) return;
    await this.outbox.deleteMany({ _id: { $in: items.map((i) => `${i.userId}:${i.id}`) } });
  }
}

export { ensureMongoIndexes };
