import type { AiAnalyzeResponse } from '@samplemind/contract';
import { Dexie, type Table } from 'dexie';
import { DB_NAME, getDb, openDb, type SampleMindDb } from '../db/database';
import type { AiRecord } from '../db/types';
import { saveAiRecords } from '../sync/ai-sync';

// The prompt version is shared with the server (contract/src/api/ai-version.ts).
export { AI_PROMPT_VERSION } from '@samplemind/contract/ai-version';

import { AI_PROMPT_VERSION } from '@samplemind/contract/ai-version';

export type { AiRecord };

export type AiDb = Dexie & { descriptions: Table<AiRecord, [string, string]> };

/** The database the AI records lived in before they moved into the library's (schema v2). */
export const AI_DB_NAME = 'samplemind-ai';

/**
 * The AI records are a table of the library database, so that saving a description and queueing
 * it for sync happen in one transaction. Tests open a library database of their own.
 */
export function openAiDb(name = DB_NAME): AiDb {
  return openDb(name);
}

let shared: AiDb | null = null;

export function getAiDb(): AiDb {
  shared ??= getDb();
  return shared;
}

export function setAiDb(db: AiDb | null): void {
  shared = db;
}

const isLibraryDb = (db: AiDb): db is SampleMindDb & AiDb => db.tables.some((t) => t.name === 'outbox');

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
  if (!records.length) return;
  if (isLibraryDb(db)) await saveAiRecords(db, records);
  else await db.descriptions.bulkPut(records);
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

/**
 * Moves the records of the old separate AI database (builds before schema v2) into the library's,
 * keeping any record the library already has, then deletes the old database. Safe to repeat: an
 * interrupted move copies again and the old database goes only after the copy committed.
 */
export async function moveLegacyAiRecords(db: SampleMindDb, legacyName = AI_DB_NAME): Promise<number> {
  if (!(await Dexie.exists(legacyName))) return 0;
  const legacy = new Dexie(legacyName) as AiDb;
  legacy.version(1).stores({ descriptions: '[contentHash+promptVersion], contentHash, describedAt' });
  let moved = 0;
  try {
    const records = await legacy.descriptions.toArray();
    const have = await db.descriptions.bulkGet(
      records.map((r) => [r.contentHash, r.promptVersion] as [string, string]),
    );
    const missing = records.filter((_, i) => !have[i]);
    await saveRecords(db, missing);
    moved = missing.length;
  } finally {
    legacy.close();
  }
  await Dexie.delete(legacyName);
  return moved;
}
