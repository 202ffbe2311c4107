/**
 * Decode-layer speed, in CPU ms per second of audio (CPU time, not wall time: the build machine
 * is shared, and wall time there measures the neighbours): the resampler and down-mix (which run on every
 * sample of every file), and openAudio + draining for each container on generated material.
 * Run: npx tsx src-workers/scripts/bench-decode.ts [corpus-dir]
 * With a corpus folder it also times every audio file in it, by format.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { downmix, openAudio, StreamResampler } from '../src/decode/index';
import {
  encodeAiff,
  encodeFlac,
  encodeMp3,
  encodeOggVorbis,
  encodeWav,
  noiseBurst,
  progression,
  repeat,
} from '../src/testing/index';

const SECONDS = 20;
const rate = 44100;
const music = progression('A', 'minor', [1, 6, 4, 5, 1, 6, 4, 5], {
  bpm: 96,
  beatsPerChord: 2.5,
  sampleRate: rate,
  amplitude: 0.6,
});
const left = repeat(music, Math.ceil((SECONDS * rate) / music.length)).subarray(0, SECONDS * rate);
const right = noiseBurst(SECONDS, { sampleRate: rate, amplitude: 0.05 }).map((x, i) => x + left[i]);

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

function best(run: () => void, repeats = 5): number {
  let min = Number.POSITIVE_INFINITY;
  for (let k = 0; k < repeats; k++) {
    const t = process.cpuUsage();
    run();
    min = Math.min(min, cpuMs(t));
  }
  return min;
}

async function bestAsync(run: () => Promise<void>, repeats = 5): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let k = 0; k < repeats; k++) {
    const t = process.cpuUsage();
    await run();
    min = Math.min(min, cpuMs(t));
  }
  return min;
}

const report = (what: string, ms: number, seconds: number) =>
  process.stdout.write(`${what.padEnd(44)} ${(ms / seconds).toFixed(3)} ms per second of audio\n`);

// Resampler and down-mix, in the orchestrator's chunk sizes.
for (const inRate of [44100, 48000, 96000, 8000]) {
  const n = SECONDS * inRate;
  const l = new Float32Array(n).map((_, i) => left[i % left.length]);
  const r = new Float32Array(n).map((_, i) => right[i % right.length]);
  const ms = best(() => {
    const rs = new StreamResampler(inRate, 22050);
    for (let at = 0; at < n; at += 65536)
      rs.push(downmix([l.subarray(at, at + 65536), r.subarray(at, at + 65536)]));
    rs.flush();
  });
  report(`downmix + resample stereo ${inRate} → 22050`, ms, SECONDS);
}
const dm = best(() => {
  for (let at = 0; at < left.length; at += 65536)
    downmix([left.subarray(at, at + 65536), right.subarray(at, at + 65536)]);
});
report('downmix alone, stereo 44100', dm, SECONDS);

async function drain(bytes: Uint8Array): Promise<number> {
  const source = await openAudio(bytes);
  let frames = 0;
  for await (const chunk of source.chunks()) frames += chunk[0].length;
  return frames / source.info.sampleRate;
}

const files: [string, Uint8Array][] = [
  ['WAV s16 stereo', encodeWav([left, right], rate)],
  ['WAV s24 stereo', encodeWav([left, right], rate, { format: 's24' })],
  ['WAV f32 stereo', encodeWav([left, right], rate, { format: 'f32' })],
  ['WAV u8 stereo', encodeWav([left, right], rate, { format: 'u8' })],
  ['AIFF s16 stereo', encodeAiff([left, right], rate)],
  ['FLAC s16 stereo (verbatim frames)', encodeFlac([left, right], rate)],
  ['MP3 stereo VBR', await encodeMp3([left, right], rate)],
  ['Ogg Vorbis stereo q4', await encodeOggVorbis([left, right], rate)],
];
for (const [what, bytes] of files) {
  let seconds = 0;
  const ms = await bestAsync(async () => {
    seconds = await drain(bytes);
  });
  report(`decode ${what}`, ms, seconds);
}

const corpus = process.argv[2];
if (corpus) {
  const totals = new Map<string, { ms: number; seconds: number; files: number }>();
  const walk = async (dir: string): Promise<string[]> => {
    const out: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) out.push(...(await walk(join(dir, e.name))));
      else if (/\.(wav|aiff?|flac|mp3|ogg)$/i.test(e.name)) out.push(join(dir, e.name));
    }
    return out;
  };
  for (const path of await walk(corpus)) {
    const bytes = new Uint8Array(await readFile(path));
    try {
      const source = await openAudio(bytes);
      let seconds = 0;
      const ms = await bestAsync(async () => {
        seconds = await drain(bytes);
      }, 2);
      const key = `${source.info.container}/${source.info.codec}`;
      const t = totals.get(key) ?? { ms: 0, seconds: 0, files: 0 };
      totals.set(key, { ms: t.ms + ms, seconds: t.seconds + seconds, files: t.files + 1 });
    } catch {
      // refused files are the decoder tests' business
    }
  }
  for (const [key, t] of [...totals].sort()) report(`corpus ${key} (${t.files} files)`, t.ms, t.seconds);
}
