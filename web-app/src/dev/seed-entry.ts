import { DB_NAME, openDb } from '../db/database';
import { seedLibrary } from './seed-library';

// Dev/bench page: seed.html?n=100000 fills this origin's library; ?clear=1 wipes it first.
const out = document.getElementById('out')!;
const params = new URLSearchParams(location.search);
const n = Number(params.get('n') ?? '0');

async function main() {
  if (params.get('clear') === '1') {
    const { Dexie } = await import('dexie');
    await Dexie.delete(DB_NAME);
    out.textContent = 'cleared\n';
  }
  if (n > 0) {
    const db = openDb();
    const { ms } = await seedLibrary(db, {
      n,
      seed: Number(params.get('seed') ?? '42'),
      onProgress: (done) => {
        out.textContent = `seeded ${done} / ${n}`;
      },
    });
    // Leave the library as the app would after a first open: with a current index snapshot.
    const { loadLibrary } = await import('../state/load-library');
    const { saveSnapshot } = await import('../state/index-snapshot');
    const { currentGeneration } = await import('../db/change-tracking');
    await saveSnapshot(db, await loadLibrary(db), currentGeneration());
    db.close();
    out.textContent = `seeded ${n} samples in ${Math.round(ms)} ms`;
  }
  document.documentElement.dataset.seeded = '1';
}

main().catch((err) => {
  out.textContent = `failed: ${err instanceof Error ? err.stack : String(err)}`;
  document.documentElement.dataset.seeded = 'error';
});
