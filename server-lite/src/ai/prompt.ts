import { hash } from 'node:crypto';
import { camelotOf, midiNoteName } from '@samplemind/contract';
import { AI_PROMPT_VERSION } from '@samplemind/contract/ai-version';
import { AI_CHARACTER_TAGS, AI_GENRES, AI_MOODS, AI_SOURCE_TAGS, type AiSampleInput } from './contract';

/** Bump whenever the prompt or the parsing changes what a model would answer: it is part of the cache key. */
/** The shared prompt version (contract/src/api/ai-version.ts). */
export const PROMPT_VERSION = AI_PROMPT_VERSION;

/**
 * The input after rounding to the precision a model can use. Rounding is what makes two analyses
 * of the same sample on different devices (float noise) share one cache entry, and it is also what
 * the prompt shows, so the cache key and the prompt always agree. The caller's id is left out.
 */
export type NormalisedSample = {
  fileName: string;
  durationSec: number;
  type: string;
  typeConfidence: number;
  isLoop: boolean;
  loopConfidence: number;
  bpm: number | null;
  bpmConfidence: number;
  beatsPerBar: number | null;
  key: string | null;
  keyConfidence: number;
  midiNote: number | null;
  pitchConfidence: number;
  lufs: number | null;
  truePeakDb: number | null;
  rmsDb: number | null;
  loudnessRangeLu: number | null;
  isSilent: boolean;
  attackMs: number;
  decayMs: number;
  effectiveLengthSec: number;
  temporalCentroidSec: number;
  centroidHz: number;
  rolloffHz: number;
  bandwidthHz: number;
  flatness: number;
  zeroCrossingRate: number;
  claimedGenre: string | null;
  claimedComment: string | null;
  tags: string[];
};

const round = (x: number, step: number) => Math.round(x / step) * step;
const fixed = (x: number, digits: number) => Number(x.toFixed(digits));
const roundOrNull = (x: number | null, digits: number) => (x === null ? null : fixed(x, digits));
/** Three significant digits: enough for "bright vs dark", stable under float noise. */
const sig3 = (x: number) => (x === 0 ? 0 : Number(x.toPrecision(3)));
const conf = (x: number) => fixed(round(x, 0.05), 2);

export function normaliseSample(s: AiSampleInput): NormalisedSample {
  const dur = s.durationSec;
  return {
    fileName: s.fileName.trim(),
    durationSec: dur < 10 ? fixed(dur, 2) : fixed(dur, 1),
    type: s.type.label,
    typeConfidence: conf(s.type.confidence),
    isLoop: s.loop.isLoop,
    loopConfidence: conf(s.loop.confidence),
    bpm: s.tempo.bpm === null ? null : fixed(round(s.tempo.bpm, 0.5), 1),
    bpmConfidence: conf(s.tempo.confidence),
    beatsPerBar: s.tempo.beatsPerBar,
    key: s.key.tonic !== null && s.key.scale !== null ? `${s.key.tonic} ${s.key.scale}` : null,
    keyConfidence: conf(s.key.confidence),
    midiNote: s.pitch.midiNote,
    pitchConfidence: conf(s.pitch.confidence),
    lufs: roundOrNull(s.levels.lufs, 1),
    truePeakDb: roundOrNull(s.levels.truePeakDb, 1),
    rmsDb: roundOrNull(s.levels.rmsDb, 1),
    loudnessRangeLu: roundOrNull(s.levels.loudnessRangeLu, 1),
    isSilent: s.levels.isSilent,
    attackMs: sig3(s.envelope.attackSec * 1000),
    decayMs: sig3(s.envelope.decaySec * 1000),
    effectiveLengthSec: sig3(s.envelope.effectiveLengthSec),
    temporalCentroidSec: sig3(s.envelope.temporalCentroidSec),
    centroidHz: sig3(s.spectral.centroidHz),
    rolloffHz: sig3(s.spectral.rolloffHz),
    bandwidthHz: sig3(s.spectral.bandwidthHz),
    flatness: sig3(s.spectral.flatness),
    zeroCrossingRate: sig3(s.spectral.zeroCrossingRate),
    claimedGenre: s.claimed?.genre?.trim() || null,
    claimedComment: s.claimed?.comment?.trim() || null,
    // Order and case of the user's tags do not change the answer.
    tags: [...new Set((s.tags ?? []).map((t) => t.trim().toLowerCase()))].sort(),
  };
}

/**
 * Cache key of one sample's answer from one provider/model: the provider/model tag and the
 * sample's digest, each hashed once (a request looks the sample up under every provider's key).
 */
export function cacheKey(provider: string, model: string, sample: NormalisedSample): string {
  return `ai:v2:${modelTag(provider, model)}:${sampleDigest(sample)}`;
}

const modelTags = new Map<string, string>();

function modelTag(provider: string, model: string): string {
  const id = `${provider}\n${model}`;
  let tag = modelTags.get(id);
  if (tag === undefined) {
    tag = hash('sha256', id, 'base64url').slice(0, 22);
    if (modelTags.size >= 1024) modelTags.clear();
    modelTags.set(id, tag);
  }
  return tag;
}

const digests = new WeakMap<NormalisedSample, string>();

/**
 * What the answer depends on besides the provider and model: the prompt version and the sample
 * (its JSON is canonical, as normaliseSample builds the object with a fixed key order).
 */
export function sampleDigest(sample: NormalisedSample): string {
  let digest = digests.get(sample);
  if (digest === undefined) {
    digest = hash('sha256', `${PROMPT_VERSION}\n${JSON.stringify(sample)}`, 'base64url');
    digests.set(sample, digest);
  }
  return digest;
}

export const SYSTEM_PROMPT = `You are SampleMind's sound librarian. A music producer's sample was measured by an audio analyser; you get the numbers and the file name, never the audio. For each sample, write what a producer needs to find and use it.

Answer with ONE JSON object and nothing else (no prose, no code fences):
{"items":[{"ref":"s1","description":"...","tags":["..."],"freeTags":["..."],"genres":[{"name":"...","confidence":0.0}],"moods":[{"name":"...","confidence":0.0}],"productionTips":["..."],"creativeIdeas":["..."]}]}

Rules:
- One item per sample, with the sample's ref ("s1", "s2", ...), in the same order.
- "description": one or two plain sentences (at most 300 characters) on what it is and how it sounds. Do not repeat every number.
- "tags": 3 to 10 tags, only from this list. Sources: ${AI_SOURCE_TAGS.join(', ')}. Character: ${AI_CHARACTER_TAGS.join(', ')}.
- "freeTags": 0 to 4 extra lowercase tags the list lacks (e.g. "909", "tape", "glitch").
- "genres": 1 to 3 guesses from: ${AI_GENRES.join(', ')}. "confidence" is a number from 0 to 1.
- "moods": 1 to 3 guesses from: ${AI_MOODS.join(', ')}.
- "productionTips": 1 to 3 short, concrete tips (EQ, compression, layering, tuning, gain staging), based on the numbers.
- "creativeIdeas": 1 to 3 short ideas for using it in a track.
- Trust the measured values over the file name when they disagree; a low confidence means the measurement is unsure.`;

function num(x: number): string {
  return String(x);
}

function hz(x: number): string {
  return x >= 1000 ? `${num(sig3(x / 1000))} kHz` : `${num(x)} Hz`;
}

function describeKey(s: NormalisedSample): string {
  if (s.key === null) return 'none detected';
  const [tonic, scale] = s.key.split(' ') as [
    Parameters<typeof camelotOf>[0],
    Parameters<typeof camelotOf>[1],
  ];
  return `${s.key} (Camelot ${camelotOf(tonic, scale)}, confidence ${s.keyConfidence})`;
}

/** One sample as compact "label: value" lines; cheaper in tokens than JSON and as clear to a model. */
export function renderSample(ref: string, s: NormalisedSample): string {
  const lines = [
    `[${ref}] file: ${JSON.stringify(s.fileName)}`,
    `type: ${s.type} (confidence ${s.typeConfidence}); ${s.isLoop ? 'loop' : 'one-shot'} (confidence ${s.loopConfidence})`,
    `duration: ${num(s.durationSec)} s`,
    `tempo: ${s.bpm === null ? 'none detected' : `${num(s.bpm)} BPM (confidence ${s.bpmConfidence})${s.beatsPerBar ? `, ${s.beatsPerBar} beats per bar` : ''}`}`,
    `key: ${describeKey(s)}`,
    `pitch: ${s.midiNote === null ? 'none detected' : `${midiNoteName(s.midiNote)} (MIDI ${s.midiNote}, confidence ${s.pitchConfidence})`}`,
    s.isSilent
      ? 'loudness: digital silence'
      : `loudness: ${s.lufs === null ? 'n/a' : `${num(s.lufs)} LUFS`} integrated, true peak ${s.truePeakDb === null ? 'n/a' : `${num(s.truePeakDb)} dBTP`}, RMS ${s.rmsDb === null ? 'n/a' : `${num(s.rmsDb)} dBFS`}${s.loudnessRangeLu === null ? '' : `, loudness range ${num(s.loudnessRangeLu)} LU`}`,
    `envelope: attack ${num(s.attackMs)} ms, decay ${num(s.decayMs)} ms, effective length ${num(s.effectiveLengthSec)} s, temporal centroid ${num(s.temporalCentroidSec)} s`,
    `spectrum: centroid ${hz(s.centroidHz)}, 85% rolloff ${hz(s.rolloffHz)}, bandwidth ${hz(s.bandwidthHz)}, flatness ${num(s.flatness)}, zero crossings ${num(s.zeroCrossingRate)}/s`,
  ];
  if (s.claimedGenre !== null || s.claimedComment !== null) {
    const parts = [
      s.claimedGenre !== null ? `genre ${JSON.stringify(s.claimedGenre)}` : null,
      s.claimedComment !== null ? `comment ${JSON.stringify(s.claimedComment)}` : null,
    ].filter((p) => p !== null);
    lines.push(`file metadata: ${parts.join('; ')}`);
  }
  if (s.tags.length > 0) lines.push(`user tags: ${s.tags.join(', ')}`);
  return lines.join('\n');
}

export const refOf = (index: number) => `s${index + 1}`;

export function renderUserPrompt(samples: NormalisedSample[]): string {
  const head =
    samples.length === 1
      ? 'Describe this sample.'
      : `Describe these ${samples.length} samples (one item each).`;
  return `${head}\n\n${samples.map((s, i) => renderSample(refOf(i), s)).join('\n\n')}`;
}

export function repairPrompt(problem: string): string {
  return `Your reply could not be used: ${problem}. Reply again with only the JSON object described in the instructions, one item per sample ref, nothing else.`;
}
