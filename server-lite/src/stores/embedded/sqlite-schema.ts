import type { SampleFilters } from '@samplemind/contract';

/** Tables and indexes of the embedded document store (created at open, idempotent). */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, username TEXT NOT NULL,
  username_lower TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, token_hash TEXT NOT NULL, expires_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS samples (
  user_id TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, visible INTEGER NOT NULL,
  type TEXT, bpm REAL NOT NULL, key_tonic TEXT, key_scale TEXT, camelot TEXT, duration REAL NOT NULL,
  is_loop INTEGER NOT NULL, lufs REAL NOT NULL, favorite INTEGER NOT NULL, name_key TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, search TEXT NOT NULL,
  summary TEXT, doc TEXT NOT NULL, PRIMARY KEY (user_id, id));
CREATE INDEX IF NOT EXISTS samples_seq ON samples (user_id, seq);
CREATE INDEX IF NOT EXISTS samples_created ON samples (user_id, visible, created_at, id);
CREATE INDEX IF NOT EXISTS samples_updated ON samples (user_id, visible, updated_at, id);
CREATE INDEX IF NOT EXISTS samples_name ON samples (user_id, visible, name_key, id);
CREATE INDEX IF NOT EXISTS samples_bpm ON samples (user_id, visible, bpm, id);
CREATE INDEX IF NOT EXISTS samples_duration ON samples (user_id, visible, duration, id);
CREATE INDEX IF NOT EXISTS samples_lufs ON samples (user_id, visible, lufs, id);
CREATE TABLE IF NOT EXISTS sample_tags (
  user_id TEXT NOT NULL, tag TEXT NOT NULL, sample_id TEXT NOT NULL, PRIMARY KEY (user_id, tag, sample_id));
-- Rewriting one sample's tags (every sample write) must not scan all of the user's tags: without
-- this, seeding 100k samples took minutes instead of seconds (quadratic).
CREATE INDEX IF NOT EXISTS sample_tags_sample ON sample_tags (user_id, sample_id);
CREATE TABLE IF NOT EXISTS collections (
  user_id TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (user_id, id));
CREATE INDEX IF NOT EXISTS collections_seq ON collections (user_id, seq);
CREATE TABLE IF NOT EXISTS collection_members (
  user_id TEXT NOT NULL, sample_id TEXT NOT NULL, collection_id TEXT NOT NULL,
  PRIMARY KEY (user_id, sample_id, collection_id));
CREATE INDEX IF NOT EXISTS collection_members_collection ON collection_members (user_id, collection_id);
CREATE TABLE IF NOT EXISTS sync_clients (
  user_id TEXT NOT NULL, client_id TEXT NOT NULL, last_mutation_id INTEGER NOT NULL,
  PRIMARY KEY (user_id, client_id));
CREATE TABLE IF NOT EXISTS user_seq (user_id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
-- Each sample's compact pull text (library/sync-json.ts), keyed by samples.rowid: a compact pull reads
-- seq and rowid from samples_seq and then only this small row, never the big doc. v = COMPACT_FORMAT;
-- samples written before this table (or with another v) are rendered from doc on read and written back.
CREATE TABLE IF NOT EXISTS samples_compact (rowid INTEGER PRIMARY KEY, v TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vector_outbox (user_id TEXT NOT NULL, sample_id TEXT NOT NULL, PRIMARY KEY (user_id, sample_id));
-- Substring search without scanning the library: trigram index over samples.search (rowid = samples.rowid).
CREATE VIRTUAL TABLE IF NOT EXISTS samples_fts USING fts5(search, tokenize = 'trigram');
`;

export const SORT_COLUMN: Record<string, string> = {
  nameKey: 'name_key',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  bpm: 'bpm',
  duration: 'duration',
  lufs: 'lufs',
};

/**
 * Builds the WHERE clause for the shared filters; `s` is the samples alias. `textRowids`: when the
 * text search index found few candidates, their rowids (see textCandidates).
 */
export function filterSql(
  f: SampleFilters,
  params: unknown[],
  userId: string,
  textRowids: number[] | null = null,
): string {
  const w: string[] = [];
  if (f.type && f.type.length > 0) {
    w.push(`s.type IN (${f.type.map(() => '?').join(',')})`);
    params.push(...f.type);
  }
  if (f.key) {
    w.push('s.key_tonic = ?');
    params.push(f.key);
  }
  if (f.scale) {
    w.push('s.key_scale = ?');
    params.push(f.scale);
  }
  if (f.camelot) {
    w.push('s.camelot = ?');
    params.push(f.camelot);
  }
  if (f.bpmMin !== undefined) {
    w.push('s.bpm >= ?');
    params.push(f.bpmMin);
  }
  if (f.bpmMax !== undefined) {
    w.push('s.bpm >= 0 AND s.bpm <= ?');
    params.push(f.bpmMax);
  }
  if (f.durationMin !== undefined) {
    w.push('s.duration >= ?');
    params.push(f.durationMin);
  }
  if (f.durationMax !== undefined) {
    w.push('s.duration <= ?');
    params.push(f.durationMax);
  }
  for (const tag of f.tags ?? []) {
    // IN (not a correlated EXISTS): the tag's rows come straight from the primary key.
    w.push('s.id IN (SELECT t.sample_id FROM sample_tags t WHERE t.user_id = ? AND t.tag = ?)');
    params.push(userId, tag.toLowerCase());
  }
  if (f.q) {
    const q = f.q.toLowerCase();
    if (textRowids) {
      w.push('s.rowid IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(textRowids));
    }
    w.push("s.search LIKE ? ESCAPE '\\'");
    params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (f.isLoop !== undefined) {
    w.push('s.is_loop = ?');
    params.push(f.isLoop ? 1 : 0);
  }
  if (f.favorite !== undefined) {
    w.push('s.favorite = ?');
    params.push(f.favorite ? 1 : 0);
  }
  return w.length > 0 ? ` AND ${w.join(' AND ')}` : '';
}

/** Above this many index hits a term is common: walking the sort index with LIKE finds a page sooner. */
export const TEXT_INDEX_MAX_CANDIDATES = 300;

/** The trigram index can answer terms of 3+ characters without LIKE wildcards. */
export const textIndexable = (q: string | undefined): q is string =>
  q !== undefined && q.length >= 3 && !/[\\%_]/.test(q);
