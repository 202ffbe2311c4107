import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analysisResultSchema } from '@samplemind/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKBEAT, channels, drumLoop, encodeFlac, encodeWav, note } from '../testing';

const bin = resolve(import.meta.dirname, '../../bin/samplemind.mjs');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

describe('samplemind CLI (end to end, real worker threads)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'samplemind-cli-'));
    await mkdir(join(dir, 'Drums', 'Loops'), { recursive: true });
    await mkdir(join(dir, 'Keys'));
    const sr = 44100;
    await writeFile(
      join(dir, 'Drums', 'Loops', 'beat_100bpm.wav'),
      encodeWav(channels(drumLoop(BACKBEAT, { bpm: 100, bars: 4 }), 2), sr),
    );
    await writeFile(join(dir, 'Keys', 'a3.flac'), encodeFlac([note(57, 1, { harmonics: [1, 0.4] })], sr));
    await writeFile(join(dir, 'Keys', 'broken.wav'), new TextEncoder().encode('RIFF....WAVEjunk'));
    await writeFile(join(dir, 'Keys', 'notes.txt'), 'not audio, and not an audio extension');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('walks folders, prints one JSON line per audio file, errors typed, progress on stderr', async () => {
    const { code, stdout, stderr } = await run(['analyze', dir, '--jsonl', '--concurrency', '2']);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const byName = Object.fromEntries(lines.map((l) => [l.path.slice(dir.length + 1), l]));
    expect(Object.keys(byName).sort()).toEqual([
      'Drums/Loops/beat_100bpm.wav',
      'Keys/a3.flac',
      'Keys/broken.wav',
    ]);
    const { path: _p, ...loop } = byName['Drums/Loops/beat_100bpm.wav'];
    expect(analysisResultSchema.parse(loop).tempo.bpm).toBeCloseTo(100, 0);
    expect(loop.claimed).toMatchObject({ bpm: 100, sources: { bpm: expect.stringMatching(/name|path/) } });
    expect(byName['Keys/a3.flac'].pitch.midiNote).toBe(57);
    expect(byName['Keys/broken.wav'].error).toMatchObject({ code: 'corrupt', message: expect.any(String) });
    expect(stderr).toMatch(/\[3\/3\]/);
    expect(stderr).toMatch(/3 files, 2 analysed, 1 failed/);
  });

  it('prints a readable line per file without --jsonl, and leaves out vectors with --compact', async () => {
    const human = await run(['analyze', join(dir, 'Keys', 'a3.flac')]);
    expect(human.stdout).toMatch(/a3\.flac\t\w+\tone-shot\tbpm -\tkey .*\tnote 57\t/);
    const compact = await run(['analyze', join(dir, 'Keys', 'a3.flac'), '--jsonl', '--compact']);
    const line = JSON.parse(compact.stdout);
    expect(line.features).toBeUndefined();
    expect(line.waveform).toBeUndefined();
    expect(line.pitch.midiNote).toBe(57);
  });

  it('exits 2 with a usage message on bad arguments or a missing path', async () => {
    const bad = await run(['analyze', '--concurrency', 'lots', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--concurrency needs a whole number/);
    const missing = await run(['analyze', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ENOENT|no such file/);
  });
});
