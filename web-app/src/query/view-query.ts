import type { SampleType } from '@samplemind/contract';

export const SORT_FIELDS = ['name', 'type', 'bpm', 'key', 'duration', 'lufs', 'root', 'added'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export const STATUS_FILTERS = [
  'any',
  'done',
  'queued',
  'error',
  'missing',
  /** Synced from another device; the audio file is not on this one. */
  'remote',
  'duplicates',
  'favourites',
  'outdated',
] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export type LoopFilter = 'any' | 'loop' | 'oneshot';

/** Everything that defines what the table shows; serialised into the URL. */
export type ViewQuery = {
  text: string;
  types: SampleType[];
  /** Key codes (see keys.ts). */
  keys: number[];
  /** Widen `keys` to their Camelot neighbours. */
  compatible: boolean;
  bpmMin: number | null;
  bpmMax: number | null;
  /** Also match samples at half or double the tempo range. */
  halfDouble: boolean;
  durMin: number | null;
  durMax: number | null;
  loop: LoopFilter;
  /** Tag ids; a row must carry all of them. */
  tags: number[];
  collection: number | null;
  /** Folder path prefix, e.g. "Drums/Kicks". */
  folder: string | null;
  status: StatusFilter;
  sort: SortField;
  desc: boolean;
};

export const DEFAULT_QUERY: ViewQuery = {
  text: '',
  types: [],
  keys: [],
  compatible: false,
  bpmMin: null,
  bpmMax: null,
  halfDouble: false,
  durMin: null,
  durMax: null,
  loop: 'any',
  tags: [],
  collection: null,
  folder: null,
  status: 'any',
  sort: 'added',
  desc: true,
};
