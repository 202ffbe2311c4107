import {
  ANALYSER_VERSION,
  type AnalysisResult,
  camelotOf,
  type Key,
  type TypeCall,
} from '@samplemind/contract';
import { xxhash128 } from 'hash-wasm';
import { classifyType } from './analysis/classify';
import { analyseEnvelope } from './analysis/envelope';
import { featureVector } from './analysis/features';
import { analyseKey } from './analysis/key';
import { createLevelMeter } from './analysis/levels';
import { detectLoop } from './analysis/loop';
import { analysePitch } from './analysis/pitch';
import { analyseSpectral } from './analysis/spectral';
import { analyseTempo } from './analysis/tempo';
import { waveformPeaks } from './analysis/waveform';
import { mergeClaims, reconcileKey, reconcileTempo } from './claims';
import { ANALYSIS_RATE, createContext } from './context';
import { downmix, openAudio, StreamResampler } from './decode/index';
import { claimsFromPath } from './decode/name-claims';
import { AnalysisFailure } from './errors';

export type AnalyseOptions = {
  /** Path or name of the file (folder names count for BPM/key tokens). */
  path?: string;
  signal?: AbortSignal;
  /** Per-file wall-time limit. */
  timeLimitMs?: number;
  /** Longer files fail with 'too-long'. */
  maxDurationSec?: number;
  /** Larger inputs fail with 'too-long' before decoding. */
  maxBytes?: number;
  /** Precomputed content hash (the app hashes while registering files). */
  contentHash?: string;
  /** Waveform (min, max) pairs. */
  waveformPairs?: number;
};

export const DEFAULT_LIMITS = {
  timeLimitMs: 60_000,
  maxDurationSec: 20 * 60,
  maxBytes: 1024 * 1024 * 1024,
};

const DRUM_TYPES = new Set(['kick', 'snare', 'hihat', 'cymbal', 'tom', 'clap', 'percussion', 'drum-loop']);
const NO_KEY: Key = { tonic: null, scale: null, camelot: null, confidence: 0 };

/**
 * Decode and analyse one file. Pure: no DOM, no Node built-ins, so it runs unchanged in a Web
 * Worker and in Node. Throws AnalysisFailure with a specific code for anything it rejects.
 */
export async function analyse(
  input: Uint8Array | ArrayBuffer,
  options: AnalyseOptions = {},
): Promise<AnalysisResult> {
  const started = performance.now();
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const limits = { ...DEFAULT_LIMITS, ...options };
  if (bytes.byteLength === 0) throw new AnalysisFailure('empty', 'the file is empty (0 bytes)');
  if (bytes.byteLength > limits.maxBytes) {
    throw new AnalysisFailure(
      'too-long',
      `the file is ${mb(bytes.byteLength)} MB; the limit is ${mb(limits.maxBytes)} MB`,
    );
  }
  const deadline = started + limits.timeLimitMs;
  let lastYield = started;
  // Cancellation arrives as a message, which a busy worker only sees if it yields to the event
  // loop now and then (awaiting resolved promises does not): every ~20 ms of work, not per chunk.
  const checkpoint = async () => {
    if (performance.now() - lastYield > 20) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
    if (options.signal?.aborted) throw new AnalysisFailure('aborted', 'analysis was cancelled');
    if (performance.now() > deadline) {
      throw new AnalysisFailure('timeout', `analysis took longer than ${limits.timeLimitMs / 1000} s`);
    }
  };
  await checkpoint();

  const contentHash = options.contentHash ?? (await xxhash128(bytes));
  const source = await openAudio(bytes, { fileName: options.path });
  const { info } = source;
  const maxFrames = limits.maxDurationSec * info.sampleRate;
  if (info.declaredFrames !== null && info.declaredFrames > maxFrames) {
    throw new AnalysisFailure(
      'too-long',
      tooLongMessage(info.declaredFrames / info.sampleRate, limits.maxDurationSec),
    );
  }

  // One streaming pass: levels at the file's own rate, mono at the analysis rate.
  const meter = createLevelMeter(info.sampleRate, info.channels);
  const resampler = new StreamResampler(info.sampleRate, ANALYSIS_RATE);
  const expected =
    info.declaredFrames === null ? 0 : Math.ceil((info.declaredFrames * ANALYSIS_RATE) / info.sampleRate);
  let mono = new Float32Array(Math.max(expected + 64, 4096));
  let monoLength = 0;
  let frames = 0;
  const append = (part: Float32Array) => {
    if (monoLength + part.length > mono.length) {
      const grown = new Float32Array(Math.max(mono.length * 2, monoLength + part.length));
      grown.set(mono.subarray(0, monoLength));
      mono = grown;
    }
    mono.set(part, monoLength);
    monoLength += part.length;
  };
  for await (const chunk of source.chunks()) {
    await checkpoint();
    frames += chunk[0]?.length ?? 0;
    if (frames > maxFrames)
      throw new AnalysisFailure('too-long', tooLongMessage(frames / info.sampleRate, limits.maxDurationSec));
    meter.push(chunk);
    append(resampler.push(downmix(chunk)));
  }
  append(resampler.flush());
  if (frames === 0) throw new AnalysisFailure('empty', 'the file holds no audio frames');

  const durationSec = frames / info.sampleRate;
  removeDcOffset(mono, monoLength);
  const ctx = createContext(mono.subarray(0, monoLength), ANALYSIS_RATE, {
    durationSec,
    signal: options.signal,
    deadline,
  });
  const warnings: string[] = [];
  warnings.push(...(source.warnings ?? []));
  if (source.isTruncated)
    warnings.push('the file is shorter than its header says (truncated); analysed what is there');
  const claimed = mergeClaims(source.claimed, options.path ? claimsFromPath(options.path) : {});

  const levels = meter.finish();
  await checkpoint();
  const rawTempo = analyseTempo(ctx);
  await checkpoint();
  const loop = detectLoop(ctx, rawTempo);
  const tempo = loop.isLoop
    ? reconcileTempo(rawTempo, claimed, warnings)
    : { ...rawTempo, bpm: null, beats: null, bars: null, beatsPerBar: null };
  await checkpoint();
  // A root note belongs to one-shots; an uncertain loop call keeps it in case it is one.
  const pitch =
    loop.isLoop && loop.confidence >= 0.7
      ? { midiNote: null, cents: null, frequencyHz: null, confidence: 0 }
      : analysePitch(ctx);
  await checkpoint();
  const envelope = analyseEnvelope(ctx);
  const spectral = analyseSpectral(ctx);
  const base = { levels, loop, tempo, pitch, envelope, spectral };
  let rawKey: Key;
  let type: TypeCall;
  if (loop.isLoop) {
    // Loops: the key finder's confidence is one of the drum-loop / music-loop cues.
    rawKey = analyseKey(ctx);
    type = classifyType(ctx, { ...base, key: rawKey });
  } else {
    // One-shot classification does not use the key, and unpitched hits get none: classify first
    // and skip the tonal analysis, the costliest stage left, for drums.
    type = classifyType(ctx, { ...base, key: NO_KEY });
    rawKey = DRUM_TYPES.has(type.label) ? NO_KEY : analyseKey(ctx);
  }
  await checkpoint();
  // A key means nothing for unpitched drums; keep the tonal reading for everything else.
  const key =
    DRUM_TYPES.has(type.label) || levels.isSilent
      ? NO_KEY
      : reconcileKey(withCamelot(rawKey), claimed, warnings);
  const features = featureVector(ctx, { ...base, key });
  await checkpoint();

  return {
    analyserVersion: ANALYSER_VERSION,
    contentHash,
    format: {
      container: info.container,
      codec: info.codec,
      sampleRate: info.sampleRate,
      channels: info.channels,
      bitDepth: info.bitDepth,
      durationSec,
      frames,
      isTruncated: source.isTruncated,
    },
    levels,
    loop,
    tempo,
    key,
    pitch,
    type,
    envelope,
    spectral,
    features,
    waveform: waveformPeaks(ctx, options.waveformPairs ?? 1000),
    claimed,
    warnings,
    elapsedMs: performance.now() - started,
  };
}

/**
 * One-pole DC blocker (corner ≈ 5 Hz). Drum-machine samples often carry a slow DC drift that
 * otherwise shows up as fake sub-bass energy in every spectral measure.
 */
function removeDcOffset(signal: Float32Array, length: number): void {
  const r = 1 - (2 * Math.PI * 5) / ANALYSIS_RATE;
  let prevIn = 0;
  let prevOut = 0;
  for (let i = 0; i < length; i++) {
    const x = signal[i];
    prevOut = x - prevIn + r * prevOut;
    prevIn = x;
    signal[i] = prevOut;
  }
}

/** A macrotask boundary, so queued messages (e.g. cancel) are delivered. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    // Typed structurally: Node's MessagePort types lack onmessage, though it works the same.
    const port = channel.port1 as unknown as { onmessage: (() => void) | null; close(): void };
    port.onmessage = () => {
      port.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function withCamelot(key: Key): Key {
  if (key.tonic === null || key.scale === null) return { ...key, camelot: null };
  return { ...key, camelot: camelotOf(key.tonic, key.scale) };
}

const mb = (n: number) => Math.round(n / 1024 / 1024);
const tooLongMessage = (sec: number, limit: number) =>
  `the audio is ${Math.round(sec / 60)} min long; the limit is ${Math.round(limit / 60)} min`;
