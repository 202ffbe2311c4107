// Measures tempo estimators before choosing one (issue 2 §6): essentia.js RhythmExtractor2013
// ('multifeature', 'degara'), PercivalBpmEstimator and LoopBpmEstimator against the engine's own
// analyseTempo, on the corpus' labelled loops: Acc1/Acc2 from the shared scorer and ×realtime.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import esslib from 'essentia.js';
import { analyseTempo } from '../src-workers/src/analysis/tempo';
import { ANALYSIS_RATE, createContext } from '../src-workers/src/context';
import { downmix, openAudio, StreamResampler } from '../src-workers/src/decode/index';

const root = resolve(import.meta.dirname, '..');
const corpus = process.env.SAMPLEMIND_DEV_CORPUS ?? '/tmp/samplemind-dev-corpus';
const scorer = join(process.env.SAMPLEMIND_SHARED ?? resolve(root, '..', 'shared'), 'corpus', 'score.mjs');
const outDir = join(root, '.bench');
mkdirSync(outDir, { recursive: true });
const limit = Number(process.env.LIMIT ?? Infinity);

const labelLines = readFileSync(join(corpus, 'labels.csv'), 'utf8').trim().split('\n');
const rows = labelLines.slice(1).map((l) => l.split(','));
const paths = rows
  .filter((r) => r[4] !== '' && r[3] === '1' && !r[0].startsWith('edge/'))
  .map((r) => r[0])
  .slice(0, limit);

async function decodeMono(path: string, rate: number): Promise<Float32Array> {
  const source = await openAudio(new Uint8Array(readFileSync(join(corpus, path))), { fileName: path });
  const rs = new StreamResampler(source.info.sampleRate, rate);
  const parts: Float32Array[] = [];
  for await (const c of source.chunks()) parts.push(rs.push(downmix(c)));
  parts.push(rs.flush());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// essentia.js ships no types for its Node entry; only the few calls below are used.
type EssentiaVector = unknown;
type EssentiaApi = {
  arrayToVector(a: Float32Array): EssentiaVector;
  RhythmExtractor2013(s: EssentiaVector, maxTempo: number, method: string, minTempo: number): { bpm: number };
  PercivalBpmEstimator(s: EssentiaVector): { bpm: number };
  LoopBpmEstimator(s: EssentiaVector): { bpm: number };
};
const { Essentia, EssentiaWASM } = esslib as {
  Essentia: new (w: unknown) => EssentiaApi;
  EssentiaWASM: unknown;
};
const essentia = new Essentia(EssentiaWASM);

type Method = { name: string; rate: number; run(signal: Float32Array): number | null };
const methods: Method[] = [
  {
    name: 'engine analyseTempo',
    rate: ANALYSIS_RATE,
    run: (s) => analyseTempo(createContext(s, ANALYSIS_RATE)).bpm,
  },
  {
    name: 'essentia RhythmExtractor2013 multifeature',
    rate: 44100,
    run: (s) => essentia.RhythmExtractor2013(essentia.arrayToVector(s), 208, 'multifeature', 40).bpm,
  },
  {
    name: 'essentia RhythmExtractor2013 degara',
    rate: 44100,
    run: (s) => essentia.RhythmExtractor2013(essentia.arrayToVector(s), 208, 'degara', 40).bpm,
  },
  {
    name: 'essentia PercivalBpmEstimator',
    rate: 44100,
    run: (s) => essentia.PercivalBpmEstimator(essentia.arrayToVector(s)).bpm,
  },
  {
    name: 'essentia LoopBpmEstimator',
    rate: 44100,
    run: (s) => essentia.LoopBpmEstimator(essentia.arrayToVector(s)).bpm || null,
  },
];

// Score against just the files measured, so a LIMIT run reports accuracy over those files.
const measuredLabels = join(outDir, 'tempo-alternatives-labels.csv');
const chosen = new Set(paths);
const kept = labelLines.slice(1).filter((l) => chosen.has(l.split(',')[0]));
writeFileSync(measuredLabels, `${[labelLines[0], ...kept].join('\n')}\n`);

const signals = new Map<number, Float32Array[]>();
for (const rate of new Set(methods.map((m) => m.rate)))
  signals.set(rate, await Promise.all(paths.map((p) => decodeMono(p, rate))));
const results = [];
for (const m of methods) {
  const input = signals.get(m.rate)!;
  const audioSec = input.reduce((s, x) => s + x.length / m.rate, 0);
  const lines: string[] = [];
  const t0 = performance.now();
  for (const [i, s] of input.entries()) lines.push(JSON.stringify({ path: paths[i], bpm: m.run(s) }));
  const sec = (performance.now() - t0) / 1000;
  const file = join(outDir, `tempo-${m.name.replace(/\W+/g, '-')}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const score = JSON.parse(
    spawnSync(process.execPath, [scorer, file, '--json', '--labels', measuredLabels], { encoding: 'utf8' })
      .stdout,
  );
  results.push({
    method: m.name,
    acc1: score.bpm.ALL.acc1,
    acc2: score.bpm.ALL.acc2,
    xRealtime: audioSec / sec,
  });
}
writeFileSync(
  join(outDir, 'tempo-alternatives.json'),
  `${JSON.stringify({ loops: paths.length, results }, null, 2)}\n`,
);
console.log(JSON.stringify({ loops: paths.length, results }));
console.log(`\nTEMPO ESTIMATORS on ${paths.length} labelled loops (one core)`);
for (const r of results) {
  console.log(
    `  ${r.method.padEnd(44)} Acc1 ${(100 * r.acc1).toFixed(1).padStart(5)}%  Acc2 ${(100 * r.acc2).toFixed(1).padStart(5)}%  ${r.xRealtime.toFixed(0).padStart(6)}× realtime`,
  );
}
