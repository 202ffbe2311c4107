import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { AnalysisOutcome } from '@samplemind/contract';
import { ANALYSER_VERSION } from '@samplemind/contract';
import { createNodePool } from '../node/node-pool';
import { defaultPoolSize } from '../worker/pool';
import { type AnalyzeArgs, parseArgs, USAGE, UsageError } from './args';
import { createProgress } from './progress';
import { walkInputs } from './walk';

export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`samplemind: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.command === 'version') {
    process.stdout.write(`samplemind analyser ${ANALYSER_VERSION}\n`);
    return 0;
  }
  return analyzeCommand(args);
}

async function analyzeCommand(args: AnalyzeArgs): Promise<number> {
  const files: string[] = [];
  try {
    for await (const f of walkInputs(args.inputs)) files.push(f);
  } catch (err) {
    process.stderr.write(`samplemind: ${(err as Error).message}\n`);
    return 2;
  }
  const size = Math.min(
    args.concurrency ?? defaultPoolSize(availableParallelism()),
    Math.max(1, files.length),
  );
  const pool = createNodePool({ size });
  const progress = createProgress(files.length, process.stderr);
  const abort = new AbortController();
  const onSignal = () => {
    abort.abort();
    pool.cancelAll();
  };
  // A closed stdout (e.g. piped into head) ends the run quietly instead of crashing.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') onSignal();
  });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let failed = 0;
  const jobs = files.map(async (path) => {
    const handle = pool.submit(() => readBytes(path), { path });
    const outcome = await handle.done;
    if (!outcome.ok) failed++;
    if (!abort.signal.aborted) process.stdout.write(formatLine(path, outcome, args));
    progress.tick(outcome.ok);
  });
  await Promise.all(jobs);
  progress.finish();
  pool.close();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.stderr.write(
    `samplemind: ${files.length} files, ${files.length - failed} analysed, ${failed} failed\n`,
  );
  return abort.signal.aborted ? 130 : 0;
}

async function readBytes(path: string): Promise<ArrayBuffer> {
  const buf = await readFile(path);
  // The bytes are transferred to a worker: hand over an ArrayBuffer that holds exactly this file.
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength) return buf.buffer as ArrayBuffer;
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

function formatLine(path: string, outcome: AnalysisOutcome, args: AnalyzeArgs): string {
  if (!outcome.ok) {
    return args.isJsonl
      ? `${JSON.stringify({ path, error: outcome.error })}\n`
      : `${path}\tERROR ${outcome.error.code}: ${outcome.error.message}\n`;
  }
  const r = outcome.result;
  if (args.isJsonl) {
    const body = args.isCompact ? { ...r, features: undefined, waveform: undefined } : r;
    return `${JSON.stringify({ path, ...body })}\n`;
  }
  const key = r.key.tonic ? `${r.key.tonic} ${r.key.scale}` : '-';
  const bpm = r.tempo.bpm ? r.tempo.bpm.toFixed(1) : '-';
  const lufs = r.levels.lufs === null ? '-' : r.levels.lufs.toFixed(1);
  const note = r.pitch.midiNote ?? '-';
  return `${path}\t${r.type.label}\t${r.loop.isLoop ? 'loop' : 'one-shot'}\tbpm ${bpm}\tkey ${key}\tnote ${note}\tlufs ${lufs}\t${r.format.durationSec.toFixed(2)}s\n`;
}
