import type {
  AiProviderId,
  AiSampleAnalysis,
  AnalysisError,
  MutationName,
  PitchClass,
  SampleType,
  Scale,
  SyncSummary,
} from '@samplemind/contract';

/**
 * Where a file stands in the library. 'remote': a sample synced from another device whose audio
 * is not on this one (listed, searchable and tagged, but nothing to play or re-analyse).
 */
export type FileStatus = 'queued' | 'done' | 'error' | 'missing' | 'remote';

/**
 * The measured values the browser filters and sorts on, copied from the analysis result into the
 * file row so opening the library never reads the (large) analysis records.
 */
export type SampleSummary = {
  type: SampleType;
  typeConfidence: number;
  bpm: number | null;
  bpmConfidence: number;
  tonic: PitchClass | null;
  scale: Scale | null;
  keyConfidence: number;
  durationSec: number;
  lufs: number | null;
  rootNote: number | null;
  isLoop: boolean;
};

/** One file in the library (one path). Several files may share a content hash (duplicates). */
export type FileRow = {
  id?: number;
  name: string;
  /** Relative path including the dropped folder's name, e.g. "Drums/Kicks/kick 01.wav". */
  path: string;
  folderId: number | null;
  size: number;
  /** File's lastModified (ms since epoch). */
  mtime: number;
  addedAt: number;
  contentHash: string | null;
  analyserVersion: string | null;
  status: FileStatus;
  error: AnalysisError | null;
  summary: SampleSummary | null;
  /** Present when the browser gave a handle for the single file (File System Access). */
  handle?: FileSystemFileHandle;
};

/** A folder the user granted (File System Access): kept so it can be rescanned later. */
export type FolderRow = {
  id?: number;
  name: string;
  handle: FileSystemDirectoryHandle | null;
  addedAt: number;
  lastScanAt: number | null;
};

/** A copy of a dropped file's bytes, kept when no file/folder handle can reach it again. */
export type BlobRow = { fileId: number; blob: Blob };

/** A file waiting for analysis; removed in the same transaction that stores its result. */
export type QueueRow = { fileId: number; enqueuedAt: number };

/** Analysis result as stored: the AnalysisResult plus its compound key. */
export type VectorRow = { contentHash: string; v: Float32Array };

/**
 * Feature vectors of sounds pulled from the server, one record per pulled page (see
 * db/vector-source.ts): `v` holds hashes.length × FEATURE_VECTOR_LENGTH floats, row-major.
 */
export type VectorPackRow = { id?: number; hashes: string[]; v: Float32Array };

export type TagRow = { id?: number; name: string; createdAt: number };
export type CollectionRow = {
  id?: number;
  name: string;
  createdAt: number;
  /** The collection's id on the sync server (a UUID), stable across devices. */
  syncId?: string;
  /** Kept for sync (the server has them; the app does not show them yet). */
  description?: string;
  color?: string | null;
  /**
   * While the library syncs: the members as content hashes (what the server holds, plus this
   * device's pending changes), so a sample that shows up later (pulled, imported) rejoins it.
   */
  sampleIds?: string[];
};
export type CollectionItemRow = { collectionId: number; fileId: number; addedAt: number };

/**
 * Everything a user changed on a file. Kept apart from analysis so re-analysis never overwrites
 * it; a moved file relinked by hash keeps its row id and so its edits.
 */
export type EditRow = {
  fileId: number;
  bpm?: number | null;
  key?: { tonic: PitchClass; scale: Scale } | null;
  type?: SampleType | null;
  tags?: number[];
  favourite?: boolean;
  /** Synced from other devices (0-5); the app does not edit it yet. */
  rating?: number | null;
  /** Synced from other devices; the app does not edit it yet. */
  notes?: string;
  updatedAt: number;
};

export type MetaRow = { key: string; value: unknown };

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
  /** The synced text this record came from (see sync/ai-bridge.ts), so it round-trips exactly. */
  syncText?: string;
};

/**
 * A local change waiting for the sync server, numbered 1, 2, 3, … per client with no gaps. Written
 * in the same transaction as the change itself. `args` are the contract's mutation args, except
 * that sample.upsertAnalysis carries `analyserVersion` instead of the (large) analysis, which the
 * push reads from the samples table.
 */
export type OutboxRow = {
  mutationId: number;
  hlc: string;
  name: MutationName;
  args: Record<string, unknown> & { id: string };
  /** "s:<content hash>" or "c:<collection syncId>". */
  entity: string;
};

/**
 * The server's state of an entity as this device last knew it, kept while the entity has pending
 * mutations: when they are acknowledged but change nothing on the server (an edit elsewhere won),
 * the entity does not come back in a pull, and this is what the library returns to. A sample's
 * base taken from a pull keeps the pulled summary too: if this device deleted the sample and the
 * delete lost, the sample comes back as a 'remote' row, which needs it.
 */
export type SyncBaseRow = { entity: string; state: unknown; summary?: SyncSummary | null };

export type SyncStateRow = { key: string; value: unknown };
