// Shared by the server benchmark and the profilers: start services and a server process, seed a library.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(SERVER_DIR, '..');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitUntil(what, probe, ms, proc) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc && proc.exitCode !== null) throw new Error(`${what} exited (${proc.exitCode})`);
    if (await probe().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not start in ${ms} ms`);
}

const started = [];
function track(proc) {
  started.push(proc);
  return proc;
}

/** Kills every process this module started (also on Ctrl-C). */
export async function stopAll() {
  await Promise.all(
    started.splice(0).map(
      (p) =>
        new Promise((ok) => {
          if (p.exitCode !== null || p.signalCode !== null) return ok();
          const t = setTimeout(() => p.kill('SIGKILL'), 12_000);
          p.once('exit', () => {
            clearTimeout(t);
            ok();
          });
          p.kill('SIGTERM');
        }),
    ),
  );
}
for (const sig of ['SIGINT', 'SIGTERM'])
  process.once(sig, () => void stopAll().then(() => process.exit(130)));

export async function startRedis() {
  const port = await freePort();
  const proc = track(
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    ),
  );
  const { Socket } = await import('node:net');
  const ping = () =>
    new Promise((ok) => {
      const s = new Socket();
      s.once('error', () => ok(false));
      s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
      s.once('data', (d) => {
        s.destroy();
        ok(String(d).startsWith('+PONG'));
      });
    });
  await waitUntil('redis-server', ping, 10_000, proc);
  return `redis://127.0.0.1:${port}`;
}

export async function startChroma() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-chroma-'));
  const proc = track(
    spawn(
      process.execPath,
      [
        join(SERVER_DIR, 'scripts/chroma-server.mjs'),
        'run',
        '--path',
        dir,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
      ],
      {
        stdio: 'ignore',
      },
    ),
  );
  proc.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil('chroma', async () => (await fetch(`${url}/api/v2/heartbeat`)).ok, 60_000, proc);
  return url;
}

/**
 * The arguments `npm start` gives node (server-lite/package.json), e.g. ['--no-memory-reducer',
 * '--import', 'tsx', 'src/main.ts'], so benchmarks run the server exactly as production starts it.
 */
function startArgs() {
  const script = JSON.parse(readFileSync(join(SERVER_DIR, 'package.json'), 'utf8')).scripts.start;
  const [node, ...args] = script.trim().split(/\s+/);
  if (node !== 'node' || args.at(-1) !== 'src/main.ts') throw new Error(`unexpected start script: ${script}`);
  return args;
}

/** The Node/V8 flags of `npm start`, without the loader and the entry point. */
export function productionNodeFlags() {
  const args = startArgs();
  return args.slice(0, args.indexOf('--import'));
}

/**
 * Starts server-lite as its own process, as `npm start` does. `nodeArgs` (profilers, experiments)
 * go after the start script's flags, so they can also override one (e.g. `--memory-reducer`).
 */
export async function startServer(env, nodeArgs = []) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'sm-bench-data-'));
  let out = '';
  const start = startArgs();
  const loader = start.indexOf('--import');
  const proc = track(
    spawn(process.execPath, [...start.slice(0, loader), ...nodeArgs, ...start.slice(loader)], {
      cwd: SERVER_DIR,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        JWT_SECRET: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        SAMPLEMIND_DATA_DIR: dataDir,
        CORS_ORIGINS: 'http://localhost',
        // Auth limits stay on but high enough for a benchmark from one IP.
        AUTH_RATE_LIMIT_IP: '1000000',
        AUTH_RATE_LIMIT_ACCOUNT: '1000000',
        RATE_LIMIT_MAX: '1000000000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  proc.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil('server-lite', async () => (await fetch(`${url}/health`)).ok, 30_000, proc).catch((e) => {
    throw new Error(`${e.message}\n${out}`);
  });
  return { url, proc, output: () => out };
}

async function call(url, method, path, body, token) {
  const res = await fetch(url + path, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

const TYPES = [
  'kick',
  'snare',
  'hihat',
  'clap',
  'percussion',
  'bass',
  'melodic',
  'fx',
  'drum-loop',
  'music-loop',
];
const TONICS = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const WORDS = ['deep', 'punchy', 'dusty', 'crisp', 'warm', 'analog', 'vinyl', 'tape', 'lofi', 'bright'];

function fakeAnalysis(i, dims) {
  const hash = randomBytes(16).toString('hex');
  const type = TYPES[i % TYPES.length];
  const isLoop = type.endsWith('loop');
  const durationSec = isLoop ? 4 + (i % 8) : 0.2 + (i % 10) / 10;
  const tonic = TONICS[i % 12];
  return {
    analyserVersion: '1.0.0',
    contentHash: hash,
    format: {
      container: 'wav',
      codec: 'pcm-s16',
      sampleRate: 44100,
      channels: 2,
      bitDepth: 16,
      durationSec,
      frames: Math.round(durationSec * 44100),
      isTruncated: false,
    },
    levels: {
      samplePeakDb: -1,
      truePeakDb: -0.8,
      rmsDb: -14,
      lufs: -20 + (i % 12),
      loudnessRangeLu: null,
      isSilent: false,
    },
    loop: { isLoop, confidence: 0.9 },
    tempo: {
      bpm: isLoop ? 80 + (i % 80) : null,
      confidence: 0.8,
      beats: null,
      bars: null,
      beatsPerBar: null,
      candidates: [],
    },
    key: isLoop
      ? { tonic, scale: i % 2 ? 'minor' : 'major', camelot: null, confidence: 0.7 }
      : { tonic: null, scale: null, camelot: null, confidence: 0 },
    pitch: { midiNote: null, cents: null, frequencyHz: null, confidence: 0 },
    type: { label: type, confidence: 0.9, method: 'bench', scores: [{ label: type, score: 0.9 }] },
    envelope: { attackSec: 0.005, decaySec: 0.2, effectiveLengthSec: 0.4, temporalCentroidSec: 0.1 },
    spectral: { centroidHz: 800, rolloffHz: 3000, flatness: 0.1, bandwidthHz: 1200, zeroCrossingRate: 400 },
    features: Array.from({ length: dims }, () => Math.random()),
    waveform: { length: 64, peaks: Buffer.alloc(128, 7).toString('base64') },
    claimed: {
      bpm: null,
      key: null,
      rootNote: null,
      isLoop: null,
      loopPoints: [],
      title: null,
      artist: null,
      genre: null,
      comment: null,
      sources: {},
    },
    warnings: [],
    elapsedMs: 5,
  };
}

/** Registers a new user and logs in. */
export async function signIn(url) {
  const username = `bench${randomBytes(3).toString('hex')}`;
  const password = 'benchmark-password';
  await call(url, 'POST', '/api/v1/auth/register', { email: `${username}@bench.local`, username, password });
  const login = await call(url, 'POST', '/api/v1/auth/login', { username, password });
  return { username, password, token: login.access_token };
}

/** Registers a user, logs in, and pushes `count` samples through the sync API. */
export async function seedLibrary(url, count, dims) {
  const { username, password, token } = await signIn(url);
  const clientId = `bench-${randomBytes(4).toString('hex')}`;
  const ids = [];
  let mutationId = 0;
  const base = Date.now();
  for (let start = 0; start < count; start += 200) {
    const mutations = [];
    for (let i = start; i < Math.min(count, start + 200); i++) {
      const analysis = fakeAnalysis(i, dims);
      ids.push(analysis.contentHash);
      mutationId++;
      const hlc = `${String(base + mutationId).padStart(13, '0')}-0000`;
      mutations.push({
        clientId,
        mutationId,
        hlc,
        name: 'sample.upsertAnalysis',
        args: {
          id: analysis.contentHash,
          analysis,
          name: `${WORDS[i % WORDS.length]} ${analysis.type.label} ${i}.wav`,
        },
      });
    }
    await call(url, 'POST', '/api/v1/sync/push', { mutations }, token);
  }
  return { username, password, token, ids };
}
