import type { AnalysisResult, KeyCorrection, SampleType } from '@samplemind/contract';

/**
 * A stamp orders writes: `${hlc}~${clientId}~${mutationId padded}`. The hlc part is fixed-width, so
 * plain string comparison orders by clock first, then by client, then by mutation: unique per
 * mutation, so no two writes ever tie. '' (never written) is lower than every stamp.
 */
export type Stamp = string;
export const NEVER: Stamp = '';

export function stampOf(m: { hlc: string; clientId: string; mutationId: number }): Stamp {
  return `${m.hlc}~${m.clientId}~${m.mutationId.toString().padStart(12, '0')}`;
}

/** Last-writer-wins register. */
export type Reg<T> = { v: T; t: Stamp };
/** One element of a last-writer-wins element set: present when added after it was last removed. */
export type SetEntry = { a: Stamp; r: Stamp };
export type LwwSet = Record<string, SetEntry>;

export type AiDescription = { description: string | null; model: string | null };
export type { KeyCorrection };

export type SampleDoc = {
  id: string;
  analysis: Reg<AnalysisResult | null>;
  name: Reg<string | null>;
  path: Reg<string | null>;
  rating: Reg<number | null>;
  favorite: Reg<boolean>;
  notes: Reg<string>;
  /** The user's corrections of the analysis (null = none, the analysis value shows). */
  bpm: Reg<number | null>;
  key: Reg<KeyCorrection | null>;
  type: Reg<SampleType | null>;
  ai: Reg<AiDescription>;
  deleted: Reg<boolean>;
  tags: LwwSet;
  /** Server wall-clock ms: first time any mutation touched it, and the last time. */
  createdAt: number;
  updatedAt: number;
};

export type CollectionDoc = {
  id: string;
  name: Reg<string | null>;
  description: Reg<string>;
  color: Reg<string | null>;
  deleted: Reg<boolean>;
  members: LwwSet;
  createdAt: number;
  updatedAt: number;
};

export function emptySample(id: string, now: number): SampleDoc {
  return {
    id,
    analysis: { v: null, t: NEVER },
    name: { v: null, t: NEVER },
    path: { v: null, t: NEVER },
    rating: { v: null, t: NEVER },
    favorite: { v: false, t: NEVER },
    notes: { v: '', t: NEVER },
    bpm: { v: null, t: NEVER },
    key: { v: null, t: NEVER },
    type: { v: null, t: NEVER },
    ai: { v: { description: null, model: null }, t: NEVER },
    deleted: { v: false, t: NEVER },
    tags: {},
    createdAt: now,
    updatedAt: now,
  };
}

/** Registers added after the first release: documents stored before them lack these keys. */
const LATER_SAMPLE_REGISTERS = ['bpm', 'key', 'type'] as const;

/**
 * Parses a stored sample document, filling registers it predates with their never-written
 * defaults, so every store hands out complete documents whatever release wrote them.
 */
export function parseSampleDoc(json: string): SampleDoc {
  return normaliseSampleDoc(JSON.parse(json) as SampleDoc);
}

export function normaliseSampleDoc(doc: SampleDoc): SampleDoc {
  for (const k of LATER_SAMPLE_REGISTERS) if (doc[k] === undefined) doc[k] = { v: null, t: NEVER };
  return doc;
}

export function emptyCollection(id: string, now: number): CollectionDoc {
  return {
    id,
    name: { v: null, t: NEVER },
    description: { v: '', t: NEVER },
    color: { v: null, t: NEVER },
    deleted: { v: false, t: NEVER },
    members: {},
    createdAt: now,
    updatedAt: now,
  };
}

export const liveElements = (set: LwwSet): string[] =>
  Object.keys(set)
    .filter((k) => set[k].a > set[k].r)
    .sort();
