// Builds the app when its sources are newer than dist/, then serves dist/ with `vite preview` on
// a free port. Shared by the e2e global setup and the app benchmark.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webApp = dirname(dirname(fileURLToPath(import.meta.url)));
const root = dirname(webApp);
const configFile = join(root, 'vite.config.ts');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of readdirSync(path)) {
    if (e === 'node_modules' || e === 'dist' || e.startsWith('.')) continue;
    m = Math.max(m, newest(join(path, e)));
  }
  return m;
}

export function isBuildStale() {
  const built = join(webApp, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const sources = [
    join(webApp, 'src'),
    join(webApp, 'index.html'),
    join(webApp, 'seed.html'),
    join(root, 'src-workers', 'src'),
    join(root, 'contract', 'src'),
    join(root, 'public'),
    configFile,
  ];
  return Math.max(...sources.map(newest)) > statSync(built).mtimeMs;
}

/** `vite build` unless dist/ is up to date (SAMPLEMIND_BUILD=always forces it, =never skips it). */
export function ensureBuilt(log = console.error) {
  const mode = process.env.SAMPLEMIND_BUILD ?? 'auto';
  if (mode === 'never' || (mode === 'auto' && !isBuildStale())) return false;
  log('building the app (vite build)…');
  const res = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      configFile,
      '--logLevel',
      'warn',
    ],
    {
      cwd: webApp,
      stdio: ['ignore', 'inherit', 'inherit'],
      // Under vitest NODE_ENV is "test", which would give React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (res.status !== 0) throw new Error(`vite build failed (exit ${res.status})`);
  return true;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `vite preview` on a free port; returns its URL and a close function. */
export async function startPreview() {
  const { preview } = await import('vite');
  const port = await freePort();
  const server = await preview({
    configFile,
    root: webApp,
    logLevel: 'warn',
    preview: { port, strictPort: true, host: '127.0.0.1', open: false },
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.httpServer.close(() => resolve(undefined))),
  };
}
