import { ANALYSER_VERSION } from '@samplemind/contract';
import type { FileRow, SampleSummary } from '../db/types';

let nextId = 1;

export function summary(over: Partial<SampleSummary> = {}): SampleSummary {
  return {
    type: 'kick',
    typeConfidence: 0.9,
    bpm: null,
    bpmConfidence: 0,
    tonic: null,
    scale: null,
    keyConfidence: 0,
    durationSec: 0.5,
    lufs: -12,
    rootNote: null,
    isLoop: false,
    ...over,
  };
}

/** A file row as the importer writes it; `summary: null` means not analysed yet. */
export function fileRow(path: string, over: Partial<FileRow> = {}): FileRow {
  const id = over.id ?? nextId++;
  return {
    id,
    name: path.split('/').pop()!,
    path,
    folderId: null,
    size: 1000,
    mtime: 0,
    addedAt: 1_700_000_000_000 + id * 1000,
    contentHash: `h${id}`,
    analyserVersion: ANALYSER_VERSION,
    status: 'done',
    error: null,
    summary: summary(),
    ...over,
  };
}
