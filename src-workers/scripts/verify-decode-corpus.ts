/**
 * Opens and drains every labelled file of the development corpus, compares the decoded length
 * with labels.csv's duration_s, and (with ffmpeg on the PATH) compares samples with ffmpeg's own
 * decode for a few files per format. Prints one line per file worth a look and a summary.
 * Run: npx tsx src-workers/scripts/verify-decode-corpus.ts [corpus-dir] [--ffmpeg N]
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openAudio } from '../src/decode/index';
import { AnalysisFailure } from '../src/errors';

const args = process.argv.slice(2);
const ffmpegIndex = args.indexOf('--ffmpeg');
const perFormat = ffmpegIndex >= 0 ? Number(args[ffmpegIndex + 1]) : 3;
const root =
  args.find((a, i) => !a.startsWith('--') && i !== ffmpegIndex + 1) ??
  process.env.SAMPLEMIND_DEV_CORPUS ??
  '/tmp/samplemind-dev-corpus';

function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

function interleaved(channels: Float32Array[][], count: number, frames: number): Float32Array {
  const out = new Float32Array(frames * count);
  let at = 0;
  for (const chunk of channels) {
    for (let i = 0; i < chunk[0].length; i++)
      for (let c = 0; c < count; c++) out[(at + i) * count + c] = chunk[c][i];
    at += chunk[0].length;
  }
  return out;
}

const labels = parseCsv(await readFile(join(root, 'labels.csv'), 'utf8'));
const compared = new Map<string, number>();
let problems = 0;
let decoded = 0;
let refused = 0;
for (const label of labels) {
  const bytes = new Uint8Array(await readFile(join(root, label.path)));
  try {
    const source = await openAudio(bytes, { fileName: label.path });
    const chunks: Float32Array[][] = [];
    let frames = 0;
    for await (const chunk of source.chunks()) {
      chunks.push(chunk.map((c) => c.slice()));
      frames += chunk[0].length;
    }
    decoded++;
    const { container, codec, sampleRate, channels } = source.info;
    const seconds = frames / sampleRate;
    const notes: string[] = [];
    if (label.duration_s && Math.abs(seconds - Number(label.duration_s)) > 0.002) {
      notes.push(`length ${seconds.toFixed(4)} s, label ${label.duration_s} s`);
    }
    if (source.isTruncated) notes.push('truncated');
    if (source.warnings?.length) notes.push(...source.warnings);
    const key = `${container}/${codec}`;
    if ((compared.get(key) ?? 0) < perFormat && !label.path.startsWith('edge/')) {
      compared.set(key, (compared.get(key) ?? 0) + 1);
      try {
        const raw = execFileSync(
          'ffmpeg',
          ['-v', 'error', '-i', join(root, label.path), '-f', 'f32le', '-'],
          { maxBuffer: 1 << 30 },
        );
        const ref = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
        const ours = interleaved(chunks, channels, frames);
        let max = 0;
        for (let i = 0; i < Math.min(ref.length, ours.length); i++)
          max = Math.max(max, Math.abs(ref[i] - ours[i]));
        notes.push(`vs ffmpeg: ${ref.length / channels} frames, max difference ${max.toExponential(2)}`);
        // ffmpeg keeps the end of a one-page Ogg stream that the granule position trims: the
        // label (ffprobe's duration) arbitrates.
        const labelOk = label.duration_s !== '' && Math.abs(seconds - Number(label.duration_s)) <= 0.002;
        if (ref.length !== ours.length && !labelOk) {
          notes.push(`LENGTH DIFFERS: ours ${frames} frames`);
          problems++;
        }
      } catch {
        notes.push('ffmpeg comparison unavailable');
      }
    }
    if (notes.length)
      process.stdout.write(`${label.path}  ${key} ${sampleRate} Hz ${channels} ch: ${notes.join('; ')}\n`);
  } catch (err) {
    if (!(err instanceof AnalysisFailure)) {
      problems++;
      process.stdout.write(`${label.path}  UNEXPECTED ${String(err)}\n`);
      continue;
    }
    refused++;
    process.stdout.write(
      `${label.path}  refused (${err.code}): ${err.message}${label.notes ? `  [label: ${label.notes}]` : ''}\n`,
    );
  }
}
process.stdout.write(`\n${decoded} decoded, ${refused} refused, ${problems} problems\n`);
process.exitCode = problems > 0 ? 1 : 0;
