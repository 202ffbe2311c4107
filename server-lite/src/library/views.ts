import {
  camelotOf,
  type PitchClass,
  type SampleDetail,
  type SampleFilters,
  type SampleSummary,
  type SampleType,
  type Scale,
  type SortSpec,
  type SyncCollection,
  type SyncSample,
  summaryFromAnalysis,
} from '@samplemind/contract';
import { type CollectionDoc, liveElements, type SampleDoc } from '../sync/model';

const iso = (ms: number) => new Date(ms).toISOString();

/** A sample is listed once some client sent its analysis and nobody deleted it since. */
export const isVisible = (d: SampleDoc): boolean => d.analysis.v !== null && !d.deleted.v;

/** Display name: the set name, else the file's own title claim, else the hash prefix. */
export function displayName(d: SampleDoc): string {
  return d.name.v ?? d.analysis.v?.claimed.title ?? d.id.slice(0, 12);
}

/**
 * What lists, filters and the vector index show: the user's correction where there is one, else
 * the analysis value (the same rule the apps follow).
 */
function effective(d: SampleDoc): {
  type: SampleType | null;
  bpm: number | null;
  keyTonic: PitchClass | null;
  keyScale: Scale | null;
  camelot: string | null;
} {
  const a = d.analysis.v;
  const key = d.key.v;
  const base = { type: d.type.v ?? a?.type.label ?? null, bpm: d.bpm.v ?? a?.tempo.bpm ?? null };
  // 'none': the user says it has no key, whatever the analyser found.
  if (key === 'none') return { ...base, keyTonic: null, keyScale: null, camelot: null };
  return {
    ...base,
    keyTonic: key ? key.tonic : (a?.key.tonic ?? null),
    keyScale: key ? key.scale : (a?.key.scale ?? null),
    camelot: key ? camelotOf(key.tonic, key.scale) : (a?.key.camelot ?? null),
  };
}

/** Only for visible samples (analysis present). */
export function toSummary(d: SampleDoc): SampleSummary {
  const a = d.analysis.v!;
  const e = effective(d);
  return {
    id: d.id,
    name: displayName(d),
    path: d.path.v,
    tags: liveElements(d.tags),
    rating: d.rating.v,
    favorite: d.favorite.v,
    type: e.type!,
    bpm: e.bpm,
    keyTonic: e.keyTonic,
    keyScale: e.keyScale,
    camelot: e.camelot,
    durationSec: a.format.durationSec,
    isLoop: a.loop.isLoop,
    lufs: a.levels.lufs,
    midiNote: a.pitch.midiNote,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}

export function toDetail(d: SampleDoc, collections: string[]): SampleDetail {
  return {
    ...toSummary(d),
    notes: d.notes.v,
    aiDescription: d.ai.v.description,
    aiModel: d.ai.v.model,
    collections,
    analysis: d.analysis.v!,
  };
}

export type PullView = 'full' | 'compact';

/** A sample as pull returns it: `analysis` in the full view, `summary` (no waveform, bytes for features) in the compact one. */
export function toSyncSample(d: SampleDoc, view: PullView = 'full'): SyncSample {
  const a = d.analysis.v;
  return {
    id: d.id,
    deleted: d.deleted.v,
    name: d.name.v,
    path: d.path.v,
    tags: liveElements(d.tags),
    rating: d.rating.v,
    favorite: d.favorite.v,
    notes: d.notes.v,
    aiDescription: d.ai.v.description,
    aiModel: d.ai.v.model,
    bpm: d.bpm.v,
    key: d.key.v,
    type: d.type.v,
    ...(view === 'full' ? { analysis: a } : { summary: a ? summaryFromAnalysis(a) : null }),
    updatedAt: iso(d.updatedAt),
  };
}

export function toSyncCollection(d: CollectionDoc): SyncCollection {
  return {
    id: d.id,
    deleted: d.deleted.v,
    name: d.name.v,
    description: d.description.v,
    color: d.color.v,
    sampleIds: liveElements(d.members),
    updatedAt: iso(d.updatedAt),
  };
}

/** Denormalised, filterable and sortable columns of a sample (sentinels instead of null so indexes sort). */
export type SampleRow = {
  visible: boolean;
  type: string | null;
  bpm: number; // -1 when unknown
  keyTonic: string | null;
  keyScale: string | null;
  camelot: string | null;
  duration: number;
  isLoop: boolean;
  lufs: number; // -1000 when unknown
  favorite: boolean;
  nameKey: string;
  search: string;
  tags: string[];
  createdAt: number;
  updatedAt: number;
};

export const NO_BPM = -1;
export const NO_LUFS = -1000;

export function toRow(d: SampleDoc): SampleRow {
  const a = d.analysis.v;
  const e = effective(d);
  const tags = liveElements(d.tags);
  const name = displayName(d);
  return {
    visible: isVisible(d),
    type: e.type,
    bpm: e.bpm ?? NO_BPM,
    keyTonic: e.keyTonic,
    keyScale: e.keyScale,
    camelot: e.camelot,
    duration: a?.format.durationSec ?? 0,
    isLoop: a?.loop.isLoop ?? false,
    lufs: a?.levels.lufs ?? NO_LUFS,
    favorite: d.favorite.v,
    nameKey: name.toLowerCase(),
    search: [name, d.path.v ?? '', tags.join(' '), d.ai.v.description ?? ''].join('\n').toLowerCase(),
    tags,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** The same filters the stores apply in their query languages; used where filtering happens in process. */
export function matchesFilters(r: SampleRow, f: SampleFilters): boolean {
  if (!r.visible) return false;
  if (f.type && f.type.length > 0 && !f.type.includes(r.type as never)) return false;
  if (f.key && r.keyTonic !== f.key) return false;
  if (f.scale && r.keyScale !== f.scale) return false;
  if (f.camelot && r.camelot !== f.camelot) return false;
  if (f.bpmMin !== undefined && !(r.bpm >= f.bpmMin)) return false;
  if (f.bpmMax !== undefined && !(r.bpm >= 0 && r.bpm <= f.bpmMax)) return false;
  if (f.durationMin !== undefined && r.duration < f.durationMin) return false;
  if (f.durationMax !== undefined && r.duration > f.durationMax) return false;
  if (f.tags && !f.tags.every((t) => r.tags.includes(t.toLowerCase()))) return false;
  if (f.q && !r.search.includes(f.q.toLowerCase())) return false;
  if (f.isLoop !== undefined && r.isLoop !== f.isLoop) return false;
  if (f.favorite !== undefined && r.favorite !== f.favorite) return false;
  return true;
}

export type SortField = 'nameKey' | 'createdAt' | 'updatedAt' | 'bpm' | 'duration' | 'lufs';
export function parseSort(s: SortSpec): { field: SortField; desc: boolean } {
  const desc = s.startsWith('-');
  const name = desc ? s.slice(1) : s;
  const field: SortField = name === 'name' ? 'nameKey' : (name as SortField);
  return { field, desc };
}

/** Keyset pagination position: the last item's sort value and id. */
export type CursorPos = { v: string | number; id: string };

export function encodeCursor(sort: SortSpec, pos: CursorPos): string {
  return Buffer.from(JSON.stringify([sort, pos.v, pos.id])).toString('base64url');
}

/** Returns null for a cursor that is malformed or was made for another sort. */
export function decodeCursor(sort: SortSpec, cursor: string): CursorPos | null {
  try {
    const [s, v, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (s !== sort || typeof id !== 'string' || (typeof v !== 'string' && typeof v !== 'number')) return null;
    return { v, id };
  } catch {
    return null;
  }
}
