import { z } from 'zod';
import {
  AI_GENRES,
  AI_MOODS,
  AI_TAGS,
  type AiGenre,
  type AiMood,
  type AiSampleAnalysis,
  type AiTag,
  aiSampleAnalysisSchema,
} from './contract';
import { refOf } from './prompt';

/**
 * The contract's item schema compiled once (zod's generated fast path; invalid input falls back to
 * the runtime parser, so issues read the same). Every answer and every cache read goes through it.
 */
export const analysisSchema = z.compile(aiSampleAnalysisSchema);

export type ParseOutcome = { ok: true; items: AiSampleAnalysis[] } | { ok: false; problem: string };

/**
 * Turns a model's reply into one validated analysis per sample, or says what is wrong in words a
 * model can act on (used for the one repair round). Lenient about form (code fences, prose around
 * the JSON, a bare item instead of {"items": [...]}, "80%" for 0.8, tags in the wrong list), strict
 * about content: every sample needs an item with a description, and what comes out passes the
 * contract's schema.
 */
export function parseModelOutput(text: string, expected: number): ParseOutcome {
  const json = extractJson(text);
  if (json === undefined) return { ok: false, problem: 'it was not valid JSON' };
  const rawItems = itemsOf(json);
  if (rawItems === undefined) return { ok: false, problem: 'the JSON had no "items" array' };

  const byRef = new Map<string, unknown>();
  for (const it of rawItems) {
    const ref = isRecord(it) && typeof it.ref === 'string' ? it.ref.trim().toLowerCase() : undefined;
    if (ref !== undefined && !byRef.has(ref)) byRef.set(ref, it);
  }
  // Refs are the reliable match; without them, order is, but only when the count is right.
  const useOrder = byRef.size === 0 && rawItems.length === expected;
  const out: AiSampleAnalysis[] = [];
  const missing: string[] = [];
  const invalid: string[] = [];
  for (let i = 0; i < expected; i++) {
    const raw = useOrder ? rawItems[i] : byRef.get(refOf(i));
    if (raw === undefined) {
      missing.push(refOf(i));
      continue;
    }
    const item = normaliseItem(raw);
    if (typeof item === 'string') {
      invalid.push(`${refOf(i)}: ${item}`);
      continue;
    }
    out.push(item);
  }
  if (missing.length > 0) return { ok: false, problem: `items missing for ${missing.join(', ')}` };
  if (invalid.length > 0) return { ok: false, problem: invalid.join('; ') };
  return { ok: true, items: out };
}

/** The first JSON value in the text: the whole text, a fenced block, or the outermost {...} / [...]. */
export function extractJson(text: string): unknown {
  const whole = text.trim();
  // JSON mode answers are the whole text: one parse, no searching.
  const isObjectLike = whole.startsWith('{') || whole.startsWith('[');
  if (isObjectLike) {
    try {
      return JSON.parse(whole);
    } catch {}
  }
  const candidates = isObjectLike ? [] : [whole];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence) candidates.push(fence[1]!.trim());
  for (const [open, close] of [
    ['{', '}'],
    ['[', ']'],
  ] as const) {
    const a = text.indexOf(open);
    const b = text.lastIndexOf(close);
    if (a >= 0 && b > a) candidates.push(text.slice(a, b + 1));
  }
  for (const c of candidates) {
    if (c === '') continue;
    try {
      return JSON.parse(c);
    } catch {}
  }
  return undefined;
}

function itemsOf(json: unknown): unknown[] | undefined {
  if (Array.isArray(json)) return json;
  if (!isRecord(json)) return undefined;
  for (const k of ['items', 'samples', 'results']) {
    if (Array.isArray(json[k])) return json[k] as unknown[];
  }
  // A single sample answered without the wrapper.
  if (typeof json.description === 'string') return [json];
  return undefined;
}

const TAGS = new Set<string>(AI_TAGS);
const GENRES = new Set<string>(AI_GENRES);
const MOODS = new Set<string>(AI_MOODS);

const ALIASES: Record<string, string> = {
  'hi-hat': 'hihat',
  'hi-hats': 'hihat',
  hat: 'hihat',
  hats: 'hihat',
  'open-hat': 'open-hihat',
  'open-hi-hat': 'open-hihat',
  rim: 'rimshot',
  perc: 'percussion',
  sub: 'sub-bass',
  subbass: 'sub-bass',
  vox: 'vocal',
  vocals: 'vocal',
  sfx: 'fx',
  lofi: 'lo-fi',
  'lo-fi-hiphop': 'lo-fi-hip-hop',
  'lofi-hip-hop': 'lo-fi-hip-hop',
  dnb: 'drum-and-bass',
  'd-and-b': 'drum-and-bass',
  'drum-n-bass': 'drum-and-bass',
  hiphop: 'hip-hop',
  'r-and-b': 'rnb',
  'uk-garage': 'garage',
  ukg: 'garage',
  calm: 'relaxed',
  chilled: 'chill',
  upbeat: 'energetic',
  energising: 'energetic',
  melancholy: 'melancholic',
  dreamlike: 'dreamy',
};

/** "Hi Hat", "hi_hat", "R&B" → "hi-hat", "hi-hat", "r-and-b"; then aliases. */
export function slug(s: string): string {
  const base = s
    .trim()
    .toLowerCase()
    .replace(/&/g, '-and-')
    .replace(/[\s_/]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return ALIASES[base] ?? base;
}

/** 0.8, "0.8", "80%", 80 → 0.8; anything else → undefined. */
function confidenceOf(v: unknown): number | undefined {
  let x: number;
  if (typeof v === 'number') x = v;
  else if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(v);
    if (!m) return undefined;
    x = Number(m[1]) / (m[2] ? 100 : 1);
  } else return undefined;
  if (!Number.isFinite(x) || x < 0) return undefined;
  if (x > 1) x = x <= 100 ? x / 100 : Number.NaN;
  return Number.isFinite(x) ? Math.round(x * 100) / 100 : undefined;
}

function guesses<T extends string>(raw: unknown, known: Set<string>): { name: T; confidence: number }[] {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const out = new Map<string, number>();
  for (const g of list) {
    let name: string | undefined;
    let c: number | undefined;
    if (typeof g === 'string') {
      name = slug(g);
      c = 0.5;
    } else if (isRecord(g)) {
      const n = g.name ?? g.genre ?? g.mood ?? g.label;
      name = typeof n === 'string' ? slug(n) : undefined;
      c = confidenceOf(g.confidence ?? g.score ?? g.probability);
    }
    if (name === undefined || c === undefined || !known.has(name)) continue;
    out.set(name, Math.max(c, out.get(name) ?? 0));
  }
  return [...out]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, confidence]) => ({ name: name as T, confidence }));
}

function strings(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return list
    .filter((s): s is string => typeof s === 'string')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Cuts at a word boundary and marks the cut, so a long tip is shortened rather than rejected. */
function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The first two sentences, within 400 characters. */
function description(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  // A sentence ends at . ! or ? followed by a space, so "124.5 BPM" stays whole.
  const sentences = text.split(/(?<=[.!?]["')\]]?)\s+/);
  return clip(sentences.slice(0, 2).join(' '), 400);
}

function normaliseItem(raw: unknown): AiSampleAnalysis | string {
  if (!isRecord(raw)) return 'the item is not an object';
  const desc = description(raw.description);
  if (desc === undefined) return 'no "description" text';
  const tags: AiTag[] = [];
  const free: string[] = [];
  for (const t of [...strings(raw.tags), ...strings(raw.freeTags ?? raw.free_tags)]) {
    const s = slug(t);
    if (s === '') continue;
    if (TAGS.has(s)) {
      if (!tags.includes(s as AiTag)) tags.push(s as AiTag);
    } else if (s.length <= 32 && s.split('-').length <= 3 && !free.includes(s)) free.push(s);
  }
  const item = {
    description: desc,
    tags: tags.slice(0, 12),
    freeTags: free.filter((f) => !GENRES.has(f) && !MOODS.has(f)).slice(0, 6),
    genres: guesses<AiGenre>(raw.genres ?? raw.genre, GENRES),
    moods: guesses<AiMood>(raw.moods ?? raw.mood, MOODS),
    productionTips: strings(raw.productionTips ?? raw.production_tips ?? raw.tips)
      .slice(0, 4)
      .map((s) => clip(s, 300)),
    creativeIdeas: strings(raw.creativeIdeas ?? raw.creative_ideas ?? raw.ideas)
      .slice(0, 4)
      .map((s) => clip(s, 300)),
  };
  const checked = analysisSchema.safeParse(item);
  return checked.success ? checked.data : `invalid item (${checked.error.issues[0]?.message ?? 'schema'})`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
