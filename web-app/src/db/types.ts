import type { AnalysisError, PitchClass, SampleType, Scale } from '@samplemind/contract';

/** Where a file stands in the library. */
export type FileStatus = 'queued' | 'done' | 'error' | 'missing';

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

export type TagRow = { id?: number; name: string; createdAt: number };
export type CollectionRow = { id?: number; name: string; createdAt: number };
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
  updatedAt: number;
};

export type MetaRow = { key: string; value: unknown };
