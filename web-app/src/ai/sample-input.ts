import {
  type AiSampleInput,
  ANALYSER_VERSION,
  type AnalysisResult,
  toAiSampleInput,
} from '@samplemind/contract';
import type { SampleMindDb } from '../db/database';
import type { LibraryIndex } from '../state/library-index';
import { STATUS } from '../state/library-index';

/** The stored analysis of a sound: the current analyser's, else what an older version stored. */
export async function loadAnalysis(db: SampleMindDb, hash: string): Promise<AnalysisResult | undefined> {
  return (
    (await db.samples.get([hash, ANALYSER_VERSION])) ??
    (await db.samples.where('contentHash').equals(hash).last())
  );
}

/** The user's tag names on a file (sent as hints, never as orders). */
export function tagNamesOf(index: LibraryIndex, fileId: number): string[] {
  const r = index.rowOfFile(fileId);
  return r < 0 ? [] : (index.tags[r] ?? []).map((t) => index.tagName(t));
}

/**
 * What leaves the browser for one file: the analysis numbers and the file name, keyed by content
 * hash (toAiSampleInput decides the fields; no audio, waveform or feature vector). Null when the
 * file has no analysis yet.
 */
export async function sampleInputFor(
  db: SampleMindDb,
  index: LibraryIndex,
  fileId: number,
  result?: AnalysisResult | null,
): Promise<AiSampleInput | null> {
  const r = index.rowOfFile(fileId);
  if (r < 0 || index.status[r] !== STATUS.done || !index.hash[r]) return null;
  const hash = index.hash[r];
  const analysis = result?.contentHash === hash ? result : await loadAnalysis(db, hash);
  if (!analysis) return null;
  // Within the request schema's limits, so one long name does not fail a whole batch.
  const name = (index.name[r] || '').trim().slice(0, 255) || 'sample';
  const tags = tagNamesOf(index, fileId)
    .map((t) => t.trim().slice(0, 64))
    .filter(Boolean);
  return toAiSampleInput(hash, name, analysis, tags);
}
