import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Mutation, SampleFilters, SampleSummary } from '@samplemind/contract';
import { COMPACT_FORMAT, compactSampleJson } from '../../library/sync-json';
import { type CursorPos, parseSort, type SampleRow, toRow, toSummary } from '../../library/views';
import type { CollectionDoc, SampleDoc } from '../../sync/model';
import { liveElements, parseSampleDoc } from '../../sync/model';
import { type BatchState, touchedEntity } from '../../sync/reduce';
import type { CompactPullPage, DocumentStore, ListPage, PullPage, SessionRecord, UserRecord } from '../types';
import { openSqlite, type SqlDatabase, type SqlStatement } from './sqlite-driver';
import { filterSql, SCHEMA, SORT_COLUMN, TEXT_INDEX_MAX_CANDIDATES, textIndexable } from './sqlite-schema';

type UserRow = {
  id: string;
  email: string;
  username: string;
  password_hash: string;
  created_at: number;
};
const toUser = (r: UserRow | undefined): UserRecord | null =>
  r
    ? {
        id: r.id,
        email: r.email,
        username: r.username,
        passwordHash: r.password_hash,
        createdAt: r.created_at,
      }
    : null;

/**
 * Embedded document store: one SQLite file (WAL) under SAMPLEMIND_DATA_DIR. Calls are synchronous
 * underneath; several processes on one host may share the file (WAL + busy timeout), which is how
 * the Mongo-less scale-out mode runs two instances.
 */
export class SqliteDocumentStore implements DocumentStore {
  readonly backend = 'sqlite' as const;
  private readonly db: SqlDatabase;
  private readonly stmts = new Map<string, SqlStatement>();

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = openSqlite(file);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
    // Files written before the search index existed: fill it once.
    if (!this.db.prepare('SELECT 1 FROM samples_fts LIMIT 1').get()) {
      this.db.exec(
        'INSERT INTO samples_fts (rowid, search) SELECT rowid, search FROM samples WHERE visible = 1',
      );
    }
    this.analyze();
  }

  private writesSinceAnalyze = 0;
  private rowsAtAnalyze = 0;

  /**
   * Refreshes the planner's statistics (sampled, so cheap). Without them SQLite may pick the index
   * of a filter column and sort the whole library instead of walking the sort index: measured 9x
   * slower for a BPM filter on a 2,000-sample library.
   */
  private analyze(): void {
    this.db.exec('PRAGMA analysis_limit = 1000; ANALYZE;');
    this.stmts.clear();
    this.writesSinceAnalyze = 0;
    this.rowsAtAnalyze = (this.db.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n;
  }

  private st(sql: string): SqlStatement {
    let s = this.stmts.get(sql);
    if (!s) {
      if (this.stmts.size > 500) this.stmts.clear();
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  async ping(): Promise<void> {
    this.st('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  async createUser(u: UserRecord): Promise<'ok' | 'email-taken' | 'username-taken'> {
    try {
      this.st(
        'INSERT INTO users (id, email, username, username_lower, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(u.id, u.email, u.username, u.username.toLowerCase(), u.passwordHash, u.createdAt);
      return 'ok';
    } catch (e) {
      const msg = String((e as Error).message);
      if (msg.includes('users.email')) return 'email-taken';
      if (msg.includes('users.username_lower')) return 'username-taken';
      throw e;
    }
  }

  async findUserByLogin(login: string): Promise<UserRecord | null> {
    const l = login.toLowerCase();
    const sql = l.includes('@')
      ? 'SELECT * FROM users WHERE email = ?'
      : 'SELECT * FROM users WHERE username_lower = ?';
    return toUser(this.st(sql).get(l) as UserRow | undefined);
  }

  async getUser(id: string): Promise<UserRecord | null> {
    return toUser(this.st('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined);
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.st(
      'INSERT INTO sessions (id, user_id, token_hash, expires_at, revoked, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(s.id, s.userId, s.tokenHash, s.expiresAt, s.revoked ? 1 : 0, s.createdAt);
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const r = this.st('SELECT * FROM sessions WHERE id = ?').get(id) as
      | {
          id: string;
          user_id: string;
          token_hash: string;
          expires_at: number;
          revoked: number;
          created_at: number;
        }
      | undefined;
    return r
      ? {
          id: r.id,
          userId: r.user_id,
          tokenHash: r.token_hash,
          expiresAt: r.expires_at,
          revoked: r.revoked === 1,
          createdAt: r.created_at,
        }
      : null;
  }

  async rotateSession(id: string, expectedHash: string, next: { tokenHash: string; expiresAt: number }) {
    const r = this.st(
      'UPDATE sessions SET token_hash = ?, expires_at = ? WHERE id = ? AND token_hash = ? AND revoked = 0',
    ).run(next.tokenHash, next.expiresAt, id, expectedHash);
    return r.changes === 1;
  }

  async revokeSession(id: string): Promise<void> {
    this.st('UPDATE sessions SET revoked = 1 WHERE id = ?').run(id);
  }

  /**
   * Rare terms: the few rowids the trigram index finds (the query then touches only those). Common
   * terms (or no index use possible): null, and LIKE filters while walking the sort order.
   */
  private textCandidates(q: string | undefined): number[] | null {
    if (!textIndexable(q?.toLowerCase())) return null;
    const rows = this.st('SELECT rowid FROM samples_fts WHERE search LIKE ? LIMIT ?').all(
      `%${q!.toLowerCase()}%`,
      TEXT_INDEX_MAX_CANDIDATES + 1,
    ) as { rowid: number }[];
    return rows.length > TEXT_INDEX_MAX_CANDIDATES ? null : rows.map((r) => r.rowid);
  }

  async listSamples(
    userId: string,
    q: {
      filters: SampleFilters;
      sort: import('@samplemind/contract').SortSpec;
      limit: number;
      after: CursorPos | null;
    },
  ): Promise<ListPage> {
    const { field, desc } = parseSort(q.sort);
    const col = SORT_COLUMN[field];
    const params: unknown[] = [userId];
    let sql = `SELECT s.${col} AS sv, s.id, s.summary FROM samples s WHERE s.user_id = ? AND s.visible = 1`;
    sql += filterSql(q.filters, params, userId, this.textCandidates(q.filters.q));
    if (q.after) {
      const op = desc ? '<' : '>';
      sql += ` AND (s.${col} ${op} ? OR (s.${col} = ? AND s.id ${op} ?))`;
      params.push(q.after.v, q.after.v, q.after.id);
    }
    const dir = desc ? 'DESC' : 'ASC';
    sql += ` ORDER BY s.${col} ${dir}, s.id ${dir} LIMIT ?`;
    params.push(q.limit + 1);
    const rows = this.st(sql).all(...params) as { sv: string | number; id: string; summary: string }[];
    const hasMore = rows.length > q.limit;
    if (hasMore) rows.length = q.limit;
    const last = rows.length > 0 ? rows[rows.length - 1] : null;
    return {
      items: rows.map((r) => JSON.parse(r.summary) as SampleSummary),
      last: last ? { v: last.sv, id: last.id } : null,
      hasMore,
    };
  }

  async getSample(userId: string, id: string): Promise<SampleDoc | null> {
    const r = this.st('SELECT doc FROM samples WHERE user_id = ? AND id = ?').get(userId, id) as
      | { doc: string }
      | undefined;
    return r ? parseSampleDoc(r.doc) : null;
  }

  async filterSamples(userId: string, ids: string[], filters: SampleFilters): Promise<SampleSummary[]> {
    if (ids.length === 0) return [];
    const params: unknown[] = [userId, ...ids];
    const sql = `SELECT s.id, s.summary FROM samples s WHERE s.user_id = ? AND s.visible = 1 AND s.id IN (${ids
      .map(() => '?')
      .join(',')})${filterSql(filters, params, userId, this.textCandidates(filters.q))}`;
    const rows = this.st(sql).all(...params) as { id: string; summary: string }[];
    const byId = new Map(rows.map((r) => [r.id, r.summary]));
    return ids.filter((id) => byId.has(id)).map((id) => JSON.parse(byId.get(id)!) as SampleSummary);
  }

  async sampleCollections(userId: string, sampleId: string): Promise<string[]> {
    const rows = this.st(
      'SELECT collection_id FROM collection_members WHERE user_id = ? AND sample_id = ? ORDER BY collection_id',
    ).all(userId, sampleId) as { collection_id: string }[];
    return rows.map((r) => r.collection_id);
  }

  async vectors(userId: string) {
    const rows = this.st('SELECT doc FROM samples WHERE user_id = ? AND visible = 1').all(userId) as {
      doc: string;
    }[];
    return rows.map((r) => {
      const doc = parseSampleDoc(r.doc);
      return { id: doc.id, vector: doc.analysis.v!.features, doc };
    });
  }

  async pushBatch(
    userId: string,
    mutations: Mutation[],
    reduce: (state: BatchState) => ReturnType<typeof import('../../sync/reduce').reduceBatch>,
  ) {
    const out = this.db.transaction(() => {
      const state: BatchState = { clients: new Map(), samples: new Map(), collections: new Map() };
      for (const clientId of new Set(mutations.map((m) => m.clientId))) {
        const r = this.st(
          'SELECT last_mutation_id FROM sync_clients WHERE user_id = ? AND client_id = ?',
        ).get(userId, clientId) as { last_mutation_id: number } | undefined;
        state.clients.set(clientId, r?.last_mutation_id ?? 0);
      }
      for (const m of mutations) {
        const { kind, id } = touchedEntity(m);
        if (kind === 'sample' && !state.samples.has(id)) {
          const r = this.st('SELECT doc FROM samples WHERE user_id = ? AND id = ?').get(userId, id) as
            | { doc: string }
            | undefined;
          if (r) state.samples.set(id, parseSampleDoc(r.doc));
        } else if (kind === 'collection' && !state.collections.has(id)) {
          const r = this.st('SELECT doc FROM collections WHERE user_id = ? AND id = ?').get(userId, id) as
            | { doc: string }
            | undefined;
          if (r) state.collections.set(id, JSON.parse(r.doc));
        }
      }
      const outcome = reduce(state);
      let seq =
        (this.st('SELECT seq FROM user_seq WHERE user_id = ?').get(userId) as { seq: number } | undefined)
          ?.seq ?? 0;
      for (const id of outcome.changedSamples) this.writeSample(userId, state.samples.get(id)!, ++seq);
      for (const id of outcome.changedCollections)
        this.writeCollection(userId, state.collections.get(id)!, ++seq);
      this.st(
        'INSERT INTO user_seq (user_id, seq) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET seq = excluded.seq',
      ).run(userId, seq);
      for (const clientId of outcome.changedClients) {
        this.st(
          `INSERT INTO sync_clients (user_id, client_id, last_mutation_id) VALUES (?, ?, ?)
           ON CONFLICT (user_id, client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id`,
        ).run(userId, clientId, state.clients.get(clientId));
      }
      const clients: Record<string, number> = {};
      for (const [c, n] of state.clients) if (n > 0) clients[c] = n;
      return { ...outcome, clients, samples: state.samples };
    }, 'immediate');
    this.writesSinceAnalyze += out.changedSamples.size + out.changedCollections.size;
    // Again whenever the data may have doubled since the last time.
    if (this.writesSinceAnalyze >= Math.max(200, this.rowsAtAnalyze)) this.analyze();
    return out;
  }

  private writeSample(userId: string, doc: SampleDoc, seq: number): void {
    const row: SampleRow = toRow(doc);
    this.st(
      `INSERT INTO samples (user_id, id, seq, visible, type, bpm, key_tonic, key_scale, camelot, duration, is_loop,
         lufs, favorite, name_key, created_at, updated_at, search, summary, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, id) DO UPDATE SET seq = excluded.seq, visible = excluded.visible, type = excluded.type,
         bpm = excluded.bpm, key_tonic = excluded.key_tonic, key_scale = excluded.key_scale, camelot = excluded.camelot,
         duration = excluded.duration, is_loop = excluded.is_loop, lufs = excluded.lufs, favorite = excluded.favorite,
         name_key = excluded.name_key, updated_at = excluded.updated_at, search = excluded.search,
         summary = excluded.summary, doc = excluded.doc`,
    ).run(
      userId,
      doc.id,
      seq,
      row.visible ? 1 : 0,
      row.type,
      row.bpm,
      row.keyTonic,
      row.keyScale,
      row.camelot,
      row.duration,
      row.isLoop ? 1 : 0,
      row.lufs,
      row.favorite ? 1 : 0,
      row.nameKey,
      row.createdAt,
      row.updatedAt,
      row.search,
      row.visible ? JSON.stringify(toSummary(doc)) : null,
      JSON.stringify(doc),
    );
    this.st('DELETE FROM sample_tags WHERE user_id = ? AND sample_id = ?').run(userId, doc.id);
    const ins = this.st('INSERT OR IGNORE INTO sample_tags (user_id, tag, sample_id) VALUES (?, ?, ?)');
    for (const tag of row.tags) ins.run(userId, tag, doc.id);
    const { rowid } = this.st('SELECT rowid FROM samples WHERE user_id = ? AND id = ?').get(
      userId,
      doc.id,
    ) as {
      rowid: number;
    };
    this.st('DELETE FROM samples_fts WHERE rowid = ?').run(rowid);
    if (row.visible) this.st('INSERT INTO samples_fts (rowid, search) VALUES (?, ?)').run(rowid, row.search);
    this.st('INSERT OR REPLACE INTO samples_compact (rowid, v, body) VALUES (?, ?, ?)').run(
      rowid,
      COMPACT_FORMAT,
      compactSampleJson(doc),
    );
  }

  private writeCollection(userId: string, doc: CollectionDoc, seq: number): void {
    this.st(
      `INSERT INTO collections (user_id, id, seq, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id, id) DO UPDATE SET seq = excluded.seq, doc = excluded.doc`,
    ).run(userId, doc.id, seq, JSON.stringify(doc));
    this.st('DELETE FROM collection_members WHERE user_id = ? AND collection_id = ?').run(userId, doc.id);
    if (doc.deleted.v) return;
    const ins = this.st(
      'INSERT INTO collection_members (user_id, sample_id, collection_id) VALUES (?, ?, ?)',
    );
    for (const sampleId of liveElements(doc.members)) ins.run(userId, sampleId, doc.id);
  }

  async pull(userId: string, cursor: number, limit: number): Promise<PullPage> {
    const s = this.st('SELECT seq, doc FROM samples WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(
      userId,
      cursor,
      limit + 1,
    ) as { seq: number; doc: string }[];
    const page = this.pageOf(userId, cursor, limit, s);
    return {
      ...page,
      samples: page.samples.map((r) => parseSampleDoc(r.doc)),
      collections: page.collections.map((r) => JSON.parse(r.doc)),
    };
  }

  async pullCompact(userId: string, cursor: number, limit: number): Promise<CompactPullPage> {
    // seq and rowid come from the samples_seq index; the samples row (and its big doc) is read
    // only for rows without a current compact text.
    const s = this.st(
      `SELECT s.seq, s.rowid AS rowid, c.body, CASE WHEN c.v IS ? THEN NULL ELSE s.doc END AS doc
       FROM samples s LEFT JOIN samples_compact c ON c.rowid = s.rowid
       WHERE s.user_id = ? AND s.seq > ? ORDER BY s.seq LIMIT ?`,
    ).all(COMPACT_FORMAT, userId, cursor, limit + 1) as {
      seq: number;
      rowid: number;
      body: string | null;
      doc: string | null;
    }[];
    const page = this.pageOf(userId, cursor, limit, s);
    const rebuilt: { rowid: number; seq: number; body: string }[] = [];
    const samples = page.samples.map((r) => {
      if (r.doc === null) return r.body!;
      const body = compactSampleJson(parseSampleDoc(r.doc));
      rebuilt.push({ rowid: r.rowid, seq: r.seq, body });
      return body;
    });
    if (rebuilt.length > 0) this.writeBackCompact(rebuilt);
    return { ...page, samples, collections: page.collections.map((r) => JSON.parse(r.doc)) };
  }

  /**
   * Stores compact texts rendered on read (rows from before the table, or of an older format), so
   * only the first compact pull pays for them. Only where the sample has not changed since it was
   * read (same seq); a failure (e.g. another process holds the write lock) just leaves them for
   * next time.
   */
  private writeBackCompact(rows: { rowid: number; seq: number; body: string }[]): void {
    const put = this.st(
      'INSERT OR REPLACE INTO samples_compact (rowid, v, body) SELECT rowid, ?, ? FROM samples WHERE rowid = ? AND seq = ?',
    );
    try {
      this.db.transaction(() => {
        for (const r of rows) put.run(COMPACT_FORMAT, r.body, r.rowid, r.seq);
      });
    } catch {}
  }

  /** Merges a page of sample rows with the collections changed in the same range, in seq order. */
  private pageOf<S extends { seq: number }>(userId: string, cursor: number, limit: number, samples: S[]) {
    const c = this.st(
      'SELECT seq, doc FROM collections WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ).all(userId, cursor, limit + 1) as { seq: number; doc: string }[];
    // Both lists are in seq order: merge them rather than sort thousands of rows.
    const pickedS: S[] = [];
    const pickedC: { seq: number; doc: string }[] = [];
    let i = 0;
    let j = 0;
    let last = cursor;
    while (pickedS.length + pickedC.length < limit && (i < samples.length || j < c.length)) {
      if (j >= c.length || (i < samples.length && samples[i].seq < c[j].seq)) {
        last = samples[i].seq;
        pickedS.push(samples[i++]);
      } else {
        last = c[j].seq;
        pickedC.push(c[j++]);
      }
    }
    const hasMore = i < samples.length || j < c.length;
    const clientRows = this.st('SELECT client_id, last_mutation_id FROM sync_clients WHERE user_id = ?').all(
      userId,
    ) as { client_id: string; last_mutation_id: number }[];
    return {
      samples: pickedS,
      collections: pickedC,
      cursor: last,
      hasMore,
      clients: Object.fromEntries(clientRows.map((r) => [r.client_id, r.last_mutation_id])),
    };
  }

  async outboxAdd(userId: string, ids: string[]): Promise<void> {
    const ins = this.st('INSERT OR IGNORE INTO vector_outbox (user_id, sample_id) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const id of ids) ins.run(userId, id);
    });
  }

  async outboxTake(limit: number) {
    const rows = this.st('SELECT user_id, sample_id FROM vector_outbox LIMIT ?').all(limit) as {
      user_id: string;
      sample_id: string;
    }[];
    return rows.map((r) => ({ userId: r.user_id, id: r.sample_id }));
  }

  async outboxRemove(items: { userId: string; id: string }[]): Promise<void> {
    const del = this.st('DELETE FROM vector_outbox WHERE user_id = ? AND sample_id = ?');
    this.db.transaction(() => {
      for (const i of items) del.run(i.userId, i.id);
    });
  }
}
