import type { AiAnalyzeResponse, AiProviderId, AiSampleAnalysis } from '@samplemind/contract';
import { Dexie, type Table } from 'dexie';

// The prompt version is shared with the server (contract/src/api/ai-version.ts).
export { AI_PROMPT_VERSION } from '@samplemind/contract/ai-version';

import { AI_PROMPT_VERSION } from '@samplemind/contract/ai-version';

/** One AI description, per sound (content hash) and prompt version. Duplicated files share it. */
export type AiRecord = {
  contentHash: string;
  promptVersion: string;
  analysis: AiSampleAnalysis;
  provider: AiProviderId;
  model: string;
  /** The server answered from its cache. */
  cached: boolean;
  describedAt: number;
};

export type AiDb = Dexie & { descriptions: Table<AiRecord, [string, string]> };

export const AI_DB_NAME = 'samplemind-ai';

/**
 * Its own small database, so the library's schema and migrations stay untouched while this
 * feature settles; the records may later move into the main database (a table of the same shape).
 */
export function openAiDb(name = AI_DB_NAME): AiDb {
  const db = new Dexie(name) as AiDb;
  db.version(1).stores({ descriptions: '[contentHash+promptVersion], contentHash, describedAt' });
  return db;
}

let shared: AiDb | null = null;

export function getAiDb(): AiDb {
  shared ??= openAiDb();
  return shared;
}

export function setAiDb(db: AiDb | null): void {
  shared = db;
}

/** The records of an answer, keyed by the ids the request used (content hashes). */
export function recordsFrom(res: AiAnalyzeResponse, now = Date.now()): AiRecord[] {
  return res.items.map((item) => ({
    contentHash: item.id,
    promptVersion: AI_PROMPT_VERSION,
    analysis: item.analysis,
    provider: item.provider,
    model: item.model,
    cached: item.cached,
    describedAt: now,
  }));
}

export async function saveRecords(db: AiDb, records: AiRecord[]): Promise<void> {
  if (records.length) await db.descriptions.bulkPut(records);
}

/** The description of a sound: the current prompt version's, else the newest older one. */
export async function getRecord(db: AiDb, contentHash: string): Promise<AiRecord | undefined> {
  const current = await db.descriptions.get([contentHash, AI_PROMPT_VERSION]);
  if (current) return current;
  const all = await db.descriptions.where('contentHash').equals(contentHash).toArray();
  return all.sort((a, b) => b.describedAt - a.describedAt)[0];
}

/** Which of these sounds already have a description for the current prompt version. */
export async function describedHashes(db: AiDb, hashes: string[]): Promise<Set<string>> {
  const rows = await db.descriptions.bulkGet(hashes.map((h) => [h, AI_PROMPT_VERSION] as [string, string]));
  return new Set(rows.filter((r): r is AiRecord => !!r).map((r) => r.contentHash));
}
