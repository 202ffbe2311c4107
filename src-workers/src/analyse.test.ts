import { analysisResultSchema, FEATURE_VECTOR_LENGTH } from '@samplemind/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyse } from './analyse';
import { AnalysisFailure } from './errors';
import {
  BACKBEAT,
  buildFixtures,
  channels,
  concat,
  drumLoop,
  encodeWav,
  type Fixture,
  mix,
  note,
  progression,
  silence,
} from './testing';

const sr = 44100;
const failureOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AnalysisFailure);
    return err as AnalysisFailure;
  }
  throw new Error('expected the analysis to fail');
};

describe('analyse() on every generated fixture', () => {
  let fixtures: Fixture[];
  beforeAll(async () => {
    fixtures = await buildFixtures();
  });

  it('returns a schema-valid result or the expected typed error for each', async () => {
    expect(fixtures.length).toBeGreaterThan(15);
    for (const f of fixtures) {
      if ('error' in f.expect) {
        const failure = await failureOf(analyse(f.bytes, { path: f.name }));
        expect(failure.code, f.name).toBe(f.expect.error);
        expect(failure.message.length, f.name).toBeGreaterThan(10);
        continue;
      }
      const result = analysisResultSchema.parse(await analyse(f.bytes, { path: f.name }));
      expect(result.format, f.name).toMatchObject({
        container: f.expect.container,
        codec: f.expect.codec,
        sampleRate: f.expect.sampleRate,
        channels: f.expect.channels,
        isTruncated: f.expect.truncated ?? false,
      });
      if (f.expect.frames !== undefined) expect(result.format.frames, f.name).toBe(f.expect.frames);
      if (f.expect.midi !== undefined) expect(result.pitch.midiNote, f.name).toBe(f.expect.midi);
      if (f.expect.claimed?.bpm) expect(result.claimed.bpm, f.name).toBe(f.expect.claimed.bpm);
      expect(result.features).toHaveLength(FEATURE_VECTOR_LENGTH);
      expect(result.features.every(Number.isFinite), f.name).toBe(true);
    }
  });
});

describe('golden checks on generated audio', () => {
  const drums = drumLoop(BACKBEAT, { bpm: 96, bars: 4, sampleRate: sr });
  const music = mix(
    progression('E', 'minor', [1, 6, 4, 5], { bpm: 96, beatsPerChord: 4, sampleRate: sr }),
    drumLoop(BACKBEAT, { bpm: 96, bars: 4, sampleRate: sr, amplitude: 0.4 }),
  );

  it('reads tempo, bars and loop status of a 4-bar drum loop', async () => {
    const r = await analyse(encodeWav(channels(drums, 2), sr), { path: 'drums.wav' });
    expect(r.loop.isLoop).toBe(true);
    expect(r.tempo.bpm).toBeCloseTo(96, 0);
    expect(r.tempo.bars).toBe(4);
    expect(r.type.label).toBe('drum-loop');
    expect(r.key.tonic).toBeNull();
  });

  it('reads key and tempo of a chord progression over drums', async () => {
    const r = await analyse(encodeWav(channels(music, 2), sr), { path: 'music.wav' });
    expect(r.loop.isLoop).toBe(true);
    expect(r.tempo.bpm).toBeCloseTo(96, 0);
    expect([r.key.tonic, r.key.scale, r.key.camelot]).toEqual(['E', 'minor', '9A']);
    expect(r.type.label).toBe('music-loop');
  });

  it('reads the root note of a pitched one-shot and drops tempo for it', async () => {
    const r = await analyse(encodeWav([note(45, 1.5, { sampleRate: sr, harmonics: [1, 0.5, 0.3] })], sr), {
      path: 'a.wav',
    });
    expect(r.loop.isLoop).toBe(false);
    expect(r.tempo.bpm).toBeNull();
    expect(r.pitch.midiNote).toBe(45);
    expect(Math.abs(r.pitch.cents ?? 99)).toBeLessThan(10);
  });

  it('gives nulls and low confidence for digital silence', async () => {
    const r = await analyse(encodeWav([silence(3, sr)], sr), { path: 'silence.wav' });
    expect(r.levels).toMatchObject({ isSilent: true, lufs: null, samplePeakDb: null });
    expect(r.tempo.bpm).toBeNull();
    expect(r.key.tonic).toBeNull();
    expect(r.pitch.midiNote).toBeNull();
    expect(r.loop.isLoop).toBe(false);
  });

  it('ignores a leading silence when reading the tempo', async () => {
    const r = await analyse(encodeWav([concat(silence(4, sr), drums)], sr), { path: 'late.wav' });
    expect(r.tempo.bpm).toBeCloseTo(96, 0);
  });

  it('uses claims only to move confidence, never to replace the measurement', async () => {
    const bytes = encodeWav(channels(drums, 2), sr);
    const plain = await analyse(bytes, { path: 'loop.wav' });
    const agreeing = await analyse(bytes, { path: 'loops/96bpm/loop.wav' });
    const disagreeing = await analyse(bytes, { path: 'loops/loop_140bpm.wav' });
    expect(agreeing.tempo.bpm).toBe(plain.tempo.bpm);
    expect(disagreeing.tempo.bpm).toBe(plain.tempo.bpm);
    expect(agreeing.claimed.bpm).toBe(96);
    expect(disagreeing.claimed.bpm).toBe(140);
    expect(agreeing.tempo.confidence).toBeGreaterThan(plain.tempo.confidence);
    expect(disagreeing.tempo.confidence).toBeLessThan(plain.tempo.confidence);
    expect(disagreeing.warnings.join(' ')).toMatch(/140 BPM/);
  });

  it('is deterministic and keyed by content', async () => {
    const bytes = encodeWav(channels(drums, 2), sr);
    const { elapsedMs: _a, ...first } = await analyse(bytes, { path: 'x.wav' });
    const { elapsedMs: _b, ...second } = await analyse(bytes.slice(), { path: 'x.wav' });
    expect(second).toEqual(first);
    const other = await analyse(encodeWav([drums], sr), { path: 'x.wav' });
    expect(other.contentHash).not.toBe(first.contentHash);
    expect(first.contentHash).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('limits', () => {
  const loop = encodeWav([drumLoop(BACKBEAT, { bpm: 120, bars: 8, sampleRate: sr })], sr);

  it('refuses files over the duration limit before decoding them', async () => {
    const failure = await failureOf(analyse(loop, { maxDurationSec: 5 }));
    expect(failure.code).toBe('too-long');
    expect(failure.message).toMatch(/limit is/);
  });

  it('refuses inputs over the byte limit', async () => {
    expect((await failureOf(analyse(loop, { maxBytes: 1000 }))).code).toBe('too-long');
  });

  it('stops at the time limit and on cancel', async () => {
    expect((await failureOf(analyse(loop, { timeLimitMs: 1 }))).code).toBe('timeout');
    const controller = new AbortController();
    controller.abort();
    expect((await failureOf(analyse(loop, { signal: controller.signal }))).code).toBe('aborted');
  });
});
