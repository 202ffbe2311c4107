import type { AiProviderId, AiSampleAnalysis } from '@samplemind/contract';
import { AI_PROMPT_VERSION } from '@samplemind/contract/ai-version';
import type { AiRecord } from '../db/types';

/**
 * The sync server keeps one AI description per sample: a text (≤ 4000 chars) and the model. The
 * app's record is richer (tags, genres, moods, tips), so the text is the readable description
 * followed by a marked JSON tail with the rest: other clients show the sentence first, and this
 * app gets the whole record back. Tips and ideas are dropped when the text would not fit.
 */
const MARK = '\n\n--samplemind-ai ';
const MAX = 4000;

type Extras = {
  v: string;
  provider: AiProviderId;
  tags: AiSampleAnalysis['tags'];
  freeTags: string[];
  genres: AiSampleAnalysis['genres'];
  moods: AiSampleAnalysis['moods'];
  productionTips: string[];
  creativeIdeas: string[];
};

export function encodeAiText(r: Pick<AiRecord, 'analysis' | 'provider' | 'promptVersion'>): string {
  const a = r.analysis;
  const extras: Extras = {
    v: r.promptVersion,
    provider: r.provider,
    tags: a.tags ?? [],
    freeTags: a.freeTags ?? [],
    genres: a.genres ?? [],
    moods: a.moods ?? [],
    productionTips: a.productionTips ?? [],
    creativeIdeas: a.creativeIdeas ?? [],
  };
  const attempts: Extras[] = [
    extras,
    { ...extras, creativeIdeas: [] },
    { ...extras, creativeIdeas: [], productionTips: [] },
  ];
  for (const e of attempts) {
    const text = `${a.description}${MARK}${JSON.stringify(e)}`;
    if (text.length <= MAX) return text;
  }
  return a.description.slice(0, MAX);
}

function guessProvider(model: string): AiProviderId {
  if (/claude/i.test(model)) return 'anthropic';
  if (/gemini/i.test(model)) return 'gemini';
  if (/gpt|^o\d/i.test(model)) return 'openai';
  return 'ollama';
}

const stringList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The record a synced text stands for (any text: one written by another client is a bare description). */
export function decodeAiText(hash: string, text: string, model: string | null, now = Date.now()): AiRecord {
  const at = text.lastIndexOf(MARK);
  let extras: Partial<Extras> = {};
  let description = text;
  if (at >= 0) {
    try {
      const parsed = JSON.parse(text.slice(at + MARK.length)) as Partial<Extras>;
      if (parsed && typeof parsed === 'object') {
        extras = parsed;
        description = text.slice(0, at);
      }
    } catch {
      // Not our tail after all: the whole text is the description.
    }
  }
  return {
    contentHash: hash,
    promptVersion: typeof extras.v === 'string' ? extras.v : AI_PROMPT_VERSION,
    analysis: {
      description,
      tags: stringList(extras.tags) as AiSampleAnalysis['tags'],
      freeTags: stringList(extras.freeTags),
      genres: Array.isArray(extras.genres) ? extras.genres : [],
      moods: Array.isArray(extras.moods) ? extras.moods : [],
      productionTips: stringList(extras.productionTips),
      creativeIdeas: stringList(extras.creativeIdeas),
    },
    provider: extras.provider ?? guessProvider(model ?? ''),
    model: model ?? '',
    cached: false,
    describedAt: now,
    syncText: text,
  };
}

/** The record that represents a sound (the current prompt version's, else the newest). */
export function pickAiRecord(records: AiRecord[]): AiRecord | undefined {
  let best: AiRecord | undefined;
  for (const r of records) {
    if (!best) best = r;
    else if ((r.promptVersion === AI_PROMPT_VERSION) !== (best.promptVersion === AI_PROMPT_VERSION)) {
      if (r.promptVersion === AI_PROMPT_VERSION) best = r;
    } else if (r.describedAt > best.describedAt) best = r;
  }
  return best;
}

/** The sync register's value for a stored record. */
export function aiRegisterOf(r: AiRecord | undefined): {
  aiDescription: string | null;
  aiModel: string | null;
} {
  if (!r) return { aiDescription: null, aiModel: null };
  return { aiDescription: r.syncText ?? encodeAiText(r), aiModel: r.model || null };
}
