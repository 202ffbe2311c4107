import {
  ANALYSER_VERSION,
  type AnalysisResult,
  camelotOf,
  FEATURE_VECTOR_LENGTH,
  type Mutation,
  PITCH_CLASSES,
  type PitchClass,
  SAMPLE_TYPES,
  type SampleType,
  type Scale,
} from '@samplemind/contract';

/**
 * A realistic synthetic sample library for sync tests, wire-size measurements and the 100k seed
 * (scripts/seed-sync-library.ts). Deterministic per (seed, index), so byte counts are repeatable.
 *
 * What makes it realistic where size matters: 64-hex content hashes; pack/folder/file names as
 * producers have them ("Drums/Kicks/Kick 042 Punchy.wav"); 0-4 tags from a vocabulary of ~40;
 * a full AnalysisResult as the engine writes it (1000-pair waveform, tempo candidates, type
 * scores, unrounded levels and confidences where the engine leaves them unrounded); feature
 * vectors clustered around a centre per sample type (uniform noise would overstate their size,
 * identical vectors would understate it).
 */

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());

export const TAG_VOCABULARY = [
  'punchy',
  'dark',
  'warm',
  '808',
  'trap',
  'lofi',
  'vinyl',
  'analog',
  'house',
  'techno',
  'dusty',
  'crisp',
  'wide',
  'mono',
  'processed',
  'acoustic',
  'electronic',
  'tape',
  'distorted',
  'clean',
  'snappy',
  'boomy',
  'airy',
  'bright',
  'gritty',
  'saturated',
  'reverb',
  'dry',
  'layered',
  'vintage',
  'modern',
  'jazzy',
  'soulful',
  'cinematic',
  'ambient',
  'hard',
  'soft',
  'sub',
  'bouncy',
  'drill',
] as const;

const PACKS = [
  'Trap Essentials Vol 2',
  'Lofi Dreams',
  'Deep House Toolkit',
  'Analog Drum Machines',
  'Boom Bap Classics',
  'Techno Warehouse',
  'Cinematic Textures',
  'Vocal Chops 3',
  'Future Bass Kit',
  'Jazz Keys Sessions',
];
const VENDORS = ['Splice', 'Loopmasters', 'Cymatics', 'Producer Loops', 'Own Recordings'];
const ADJECTIVES = ['Punchy', 'Dark', 'Warm', 'Dusty', 'Crisp', 'Tight', 'Fat', 'Airy', 'Gritty', 'Clean'];

const FOLDER: Record<SampleType, [string, string]> = {
  kick: ['Drums/Kicks', 'Kick'],
  snare: ['Drums/Snares', 'Snare'],
  hihat: ['Drums/Hats', 'Hat'],
  cymbal: ['Drums/Cymbals', 'Crash'],
  tom: ['Drums/Toms', 'Tom'],
  clap: ['Drums/Claps', 'Clap'],
  percussion: ['Drums/Percussion', 'Perc'],
  bass: ['Bass/One Shots', 'Bass'],
  melodic: ['Melodic/One Shots', 'Keys'],
  vocal: ['Vocals/Chops', 'Vox'],
  fx: ['FX/Risers', 'FX'],
  'drum-loop': ['Loops/Drums', 'Drum Loop'],
  'music-loop': ['Loops/Music', 'Music Loop'],
};

/** One centre per sample type: similar sounds have similar vectors. */
const CENTRES = new Map<SampleType, number[]>(
  SAMPLE_TYPES.map((t, k) => {
    const r = rng(1000 + k);
    return [t, Array.from({ length: FEATURE_VECTOR_LENGTH }, () => r())];
  }),
);

const hex64 = (r: () => number) => {
  let s = '';
  for (let i = 0; i < 8; i++)
    s += Math.floor(r() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return s;
};

function waveform(r: () => number, pairs: number, decay: number): { length: number; peaks: string } {
  const bytes = Buffer.alloc(pairs * 2);
  for (let p = 0; p < pairs; p++) {
    const amp = Math.max(0, Math.exp((-decay * p) / pairs) * (0.7 + 0.3 * r()));
    bytes.writeInt8(-Math.min(127, Math.ceil(amp * 127)), 2 * p);
    bytes.writeInt8(Math.min(127, Math.ceil(amp * 127)), 2 * p + 1);
  }
  return { length: pairs, peaks: bytes.toString('base64') };
}

export type SyntheticSample = {
  id: string;
  name: string;
  path: string;
  tags: string[];
  analysis: AnalysisResult;
};

/** Sample number `i` of the library with this seed. */
export function syntheticSample(i: number, seed = 1): SyntheticSample {
  const r = rng(seed * 2_654_435_761 + i);
  const id = hex64(r);
  const type = pick(r, SAMPLE_TYPES);
  const isLoop = type.endsWith('loop');
  const sampleRate = r() < 0.7 ? 44100 : 48000;
  const durationSec = isLoop ? (60 / (80 + r() * 80)) * 4 * pick(r, [2, 4, 8]) : 0.08 + r() * 1.8;
  const frames = Math.round(durationSec * sampleRate);
  const bpm = isLoop ? round(80 + r() * 90, 2) : null;
  const hasKey = isLoop || type === 'bass' || type === 'melodic' || type === 'vocal';
  const tonic: PitchClass = pick(r, PITCH_CLASSES);
  const scale: Scale = r() < 0.55 ? 'minor' : 'major';
  const midiNote = hasKey && !isLoop ? 24 + Math.floor(r() * 60) : null;
  const [folder, stem] = FOLDER[type];
  const number = String(1 + (i % 120)).padStart(3, '0');
  const extra = isLoop ? ` ${Math.round(bpm!)} BPM ${tonic}${scale === 'minor' ? 'm' : ''}` : '';
  const name = `${stem} ${number} ${pick(r, ADJECTIVES)}${extra}.wav`;
  const path = `${pick(r, VENDORS)}/${pick(r, PACKS)}/${folder}/${name}`;
  const tagCount = r() < 0.25 ? 0 : 1 + Math.floor(r() * 4);
  const tags = [...new Set(Array.from({ length: tagCount }, () => pick(r, TAG_VOCABULARY)))];
  const centre = CENTRES.get(type)!;
  const features = centre.map((c) => Math.min(1, Math.max(0, c + gauss(r) * 0.08)));
  const lufs = -30 + r() * 24;
  const scores = SAMPLE_TYPES.filter((t) => t !== type)
    .slice(0, 3)
    .map((t) => ({ label: t, score: round(r() * 0.2, 3) }));
  const typeConfidence = round(0.5 + r() * 0.5, 3);
  const analysis: AnalysisResult = {
    analyserVersion: ANALYSER_VERSION,
    contentHash: id,
    format: {
      container: 'wav',
      codec: r() < 0.8 ? 'pcm-s24' : 'pcm-s16',
      sampleRate,
      channels: r() < 0.6 ? 2 : 1,
      bitDepth: 24,
      durationSec: frames / sampleRate,
      frames,
      isTruncated: false,
    },
    levels: {
      samplePeakDb: -r() * 6,
      truePeakDb: -r() * 5.5,
      rmsDb: lufs - 2 + r() * 4,
      lufs: durationSec < 0.4 ? null : lufs,
      loudnessRangeLu: durationSec < 6 ? null : r() * 8,
      isSilent: false,
    },
    loop: { isLoop, confidence: round(0.5 + r() * 0.5, 3) },
    tempo: {
      bpm,
      confidence: bpm ? round(0.4 + r() * 0.5, 2) : 0,
      beats: bpm ? Math.round((durationSec * bpm) / 60) : null,
      bars: bpm ? round((durationSec * bpm) / 240, 2) : null,
      beatsPerBar: bpm ? 4 : null,
      candidates: bpm
        ? [
            { bpm, score: round(0.6 + r() * 0.3, 2) },
            { bpm: round(bpm / 2, 2), score: round(r() * 0.3, 2) },
            { bpm: round(bpm * 2, 2), score: round(r() * 0.2, 2) },
          ]
        : [],
    },
    key: hasKey
      ? { tonic, scale, camelot: camelotOf(tonic, scale), confidence: 0.3 + r() * 0.6 }
      : { tonic: null, scale: null, camelot: null, confidence: 0 },
    pitch: {
      midiNote,
      cents: midiNote === null ? null : Math.round(r() * 100 - 50),
      frequencyHz: midiNote === null ? null : 440 * 2 ** ((midiNote - 69) / 12),
      confidence: midiNote === null ? 0 : 0.4 + r() * 0.6,
    },
    type: {
      label: type,
      confidence: typeConfidence,
      method: isLoop ? 'loop-periodicity' : 'prototype-knn',
      scores: [{ label: type, score: typeConfidence }, ...scores],
    },
    envelope: {
      attackSec: r() * 0.05,
      decaySec: r() * durationSec,
      effectiveLengthSec: durationSec * (0.5 + r() * 0.5),
      temporalCentroidSec: durationSec * r() * 0.5,
    },
    spectral: {
      centroidHz: 200 + r() * 6000,
      rolloffHz: 1000 + r() * 10000,
      flatness: r() * 0.5,
      bandwidthHz: 300 + r() * 4000,
      zeroCrossingRate: 100 + r() * 5000,
    },
    features,
    waveform: waveform(r, 1000, isLoop ? 0.5 : 6),
    claimed: {
      bpm: isLoop ? Math.round(bpm!) : null,
      key: isLoop ? { tonic, scale } : null,
      rootNote: null,
      isLoop: isLoop ? true : null,
      loopPoints: [],
      title: null,
      artist: null,
      genre: null,
      comment: null,
      sources: isLoop ? { bpm: 'filename', key: 'filename' } : {},
    },
    warnings: [],
    elapsedMs: 20 + r() * 400,
  };
  return { id, name, path, tags, analysis };
}

export type LibraryPlan = {
  count: number;
  seed?: number;
  clientId: string;
  /** HLC milliseconds of the first mutation; each mutation takes the next millisecond. */
  startMs?: number;
  collections?: number;
};

export type LibraryCounts = {
  samples: number;
  tagged: number;
  tagAssignments: number;
  corrections: number;
  favorites: number;
  rated: number;
  collections: number;
  collectionMembers: number;
  mutations: number;
};

/**
 * Mutations that build the library as one device would: per sample an upsertAnalysis (with name
 * and path) and its tags, a few percent corrected (BPM, key or type), some favourites and
 * ratings, then `collections` collections of 20-500 members. Yields batches of `batchSize`.
 */
export function* libraryMutations(
  plan: LibraryPlan,
  batchSize: number,
  counts: LibraryCounts = emptyCounts(),
): Generator<Mutation[]> {
  const seed = plan.seed ?? 1;
  let mutationId = 0;
  // A real device's HLC: wall clock, a counter within one ms. Stamps running ahead of the clock
  // (one ms per mutation) would put a big library minutes in the future and make later real
  // edits lose to it.
  let ms = plan.startMs ?? Date.now();
  let counter = 0;
  const nextHlc = () => {
    const now = plan.startMs === undefined ? Date.now() : ms;
    if (now > ms) {
      ms = now;
      counter = 0;
    } else if (++counter > 9999) {
      ms++;
      counter = 0;
    }
    return `${String(ms).padStart(13, '0')}-${String(counter).padStart(4, '0')}`;
  };
  let batch: Mutation[] = [];
  const emit = (name: Mutation['name'], args: unknown): Mutation[] | null => {
    batch.push({
      clientId: plan.clientId,
      mutationId: ++mutationId,
      hlc: nextHlc(),
      name,
      args,
    } as Mutation);
    counts.mutations++;
    if (batch.length < batchSize) return null;
    const full = batch;
    batch = [];
    return full;
  };
  const ids: string[] = [];
  for (let i = 0; i < plan.count; i++) {
    const s = syntheticSample(i, seed);
    const r = rng(seed * 7919 + i);
    ids.push(s.id);
    const out: (Mutation[] | null)[] = [];
    out.push(emit('sample.upsertAnalysis', { id: s.id, analysis: s.analysis, name: s.name, path: s.path }));
    counts.samples++;
    if (s.tags.length > 0) {
      out.push(emit('sample.addTags', { id: s.id, tags: s.tags }));
      counts.tagged++;
      counts.tagAssignments += s.tags.length;
    }
    const c = r();
    if (c < 0.02 && s.analysis.tempo.bpm) {
      out.push(
        emit('sample.setField', { id: s.id, field: 'bpm', value: round(s.analysis.tempo.bpm * 2, 2) }),
      );
      counts.corrections++;
    } else if (c < 0.035) {
      out.push(emit('sample.setField', { id: s.id, field: 'key', value: { tonic: 'A', scale: 'minor' } }));
      counts.corrections++;
    } else if (c < 0.05) {
      out.push(emit('sample.setField', { id: s.id, field: 'type', value: 'percussion' }));
      counts.corrections++;
    }
    if (r() < 0.08) {
      out.push(emit('sample.setField', { id: s.id, field: 'favorite', value: true }));
      counts.favorites++;
    }
    if (r() < 0.05) {
      out.push(emit('sample.setField', { id: s.id, field: 'rating', value: 1 + Math.floor(r() * 5) }));
      counts.rated++;
    }
    for (const b of out) if (b) yield b;
  }
  const r = rng(seed * 104_729);
  for (let k = 0; k < (plan.collections ?? 0) && ids.length > 0; k++) {
    const id = `col-${seed}-${k}`;
    const out: (Mutation[] | null)[] = [];
    out.push(
      emit('collection.upsert', {
        id,
        name: `${pick(r, ADJECTIVES)} ${pick(r, ['Kicks', 'Vibes', 'Textures', 'Favourites', 'Project'])} ${k + 1}`,
        description: k % 2 ? 'for the EP' : '',
        color: k % 3 ? '#3366ff' : null,
      }),
    );
    counts.collections++;
    const size = Math.min(ids.length, 20 + Math.floor(r() * 480));
    const start = Math.floor(r() * ids.length);
    const members = Array.from({ length: size }, (_, j) => ids[(start + j * 7) % ids.length]);
    const unique = [...new Set(members)];
    for (let j = 0; j < unique.length; j += 1000) {
      out.push(emit('collection.addMembers', { id, sampleIds: unique.slice(j, j + 1000) }));
    }
    counts.collectionMembers += unique.length;
    for (const b of out) if (b) yield b;
  }
  if (batch.length > 0) yield batch;
}

export const emptyCounts = (): LibraryCounts => ({
  samples: 0,
  tagged: 0,
  tagAssignments: 0,
  corrections: 0,
  favorites: 0,
  rated: 0,
  collections: 0,
  collectionMembers: 0,
  mutations: 0,
});
