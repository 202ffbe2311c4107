import 'fake-indexeddb/auto';
import { encodeFeatures8, FEATURE_VECTOR_LENGTH, type PullResponse, type SyncSample } from '@samplemind/contract';
import { openDb } from '../db/database';
import { HLC_ZERO } from './hlc';
import { patchIndex } from './index-patch';
import { LibraryIndex } from '../state/library-index';
import { applyPage } from './pull';
import { putBinding, putBootstrap } from './sync-store';

const N = Number(process.argv[2] ?? 100_000);
const PAGE = 5000;
const features = encodeFeatures8(new Array(FEATURE_VECTOR_LENGTH).fill(0.5));
function sample(i: number): SyncSample {
  const id = i.toString(16).padStart(32, '0');
  return {
    id, deleted: false, name: `sample ${i}.wav`, path: `Pack/sample ${i}.wav`, tags: i % 3 ? ['drums', `t${i % 50}`] : [],
    rating: null, favorite: i % 7 === 0, notes: '', aiDescription: null, aiModel: null, bpm: null, key: null, type: null,
    summary: { analyserVersion: '1.0.0', format: { container: 'wav', sampleRate: 44100, channels: 2, bitDepth: 16, durationSec: 1.5 },
      isLoop: false, loopConfidence: 0.9, bpm: 120, bpmConfidence: 0.8, beats: null, bars: null, tonic: 'C', scale: 'minor', keyConfidence: 0.5,
      midiNote: null, cents: null, type: 'kick', typeConfidence: 0.9, lufs: -10, samplePeakDb: -1, features },
    updatedAt: new Date().toISOString(),
  } as SyncSample;
}
const db = openDb('bench-apply');
await db.transaction('rw', db.syncState, async () => {
  await putBinding(db, { serverUrl: 'x', userId: 'u', clientId: 'client-bench', counter: 0, hlc: HLC_ZERO });
  await putBootstrap(db, { state: 'done', afterFileId: 0, done: 0, total: 0, collectionsDone: true });
});
const index = new LibraryIndex();
const pages: PullResponse[] = [];
for (let p = 0; p * PAGE < N; p++) {
  const samples = Array.from({ length: Math.min(PAGE, N - p * PAGE) }, (_, k) => sample(p * PAGE + k));
  pages.push({ cursor: String((p + 1) * PAGE), hasMore: (p + 1) * PAGE < N, samples, collections: [], clients: {} });
}
const t0 = performance.now();
let cursor = '0';
let applyMs = 0;
let indexMs = 0;
for (const page of pages) {
  const a = performance.now();
  const r = await applyPage(db, cursor, 'client-bench', page, (h) => index.filesWithHashes(h));
  const b = performance.now();
  await patchIndex(db, index, r!.patch);
  indexMs += performance.now() - b;
  applyMs += b - a;
  cursor = page.cursor;
}
const total = performance.now() - t0;
console.log(JSON.stringify({ samples: N, totalMs: Math.round(total), applyMs: Math.round(applyMs), indexMs: Math.round(indexMs), files: await db.files.count(), vectors: await db.vectors.count(), indexSize: index.size }));
// A second pass: the same samples again (updates of existing remote rows).
const t1 = performance.now();
for (const page of pages) {
  const r = await applyPage(db, cursor, 'client-bench', { ...page, cursor: String(Number(page.cursor) + N) }, (h) => index.filesWithHashes(h));
  await patchIndex(db, index, r!.patch);
  cursor = String(Number(page.cursor) + N);
}
console.log(JSON.stringify({ secondPassMs: Math.round(performance.now() - t1) }));
