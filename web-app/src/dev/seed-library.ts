import type { AnalysisResult } from '@samplemind/contract';
import type { SampleMindDb } from '../db/database';
import type { CollectionItemRow, EditRow, FileRow } from '../db/types';
import { summarise } from '../import/summarise';
import { rng, syntheticResult } from './synthetic';

const FOLDERS = [
  'Drums/Kicks',
  'Drums/Snares',
  'Drums/Hats',
  'Drums/Loops',
  'Bass',
  'Keys',
  'Vocals',
  'FX',
  'Loops/Music',
];
const WORDS = [
  'dusty',
  'punchy',
  'warm',
  'bright',
  'tape',
  'vinyl',
  'deep',
  'crisp',
  'lofi',
  'analog',
  'tight',
  'wide',
];

export type SeedOptions = {
  n: number;
  seed?: number;
  batch?: number;
  waveformPairs?: number;
  onProgress?: (done: number) => void;
};

/**
 * Writes a synthetic library (files with summaries, analysis records, vectors, some tags, edits
 * and a collection) straight into IndexedDB, the way the importer would have stored it.
 */
export async function seedLibrary(db: SampleMindDb, options: SeedOptions): Promise<{ ms: number }> {
  const t0 = performance.now();
  const random = rng(options.seed ?? 42);
  const batch = options.batch ?? 2000;
  const tagIds = (await db.tags.bulkAdd(
    WORDS.slice(0, 6).map((name) => ({ name, createdAt: Date.now() })),
    { allKeys: true },
  )) as number[];
  const collectionId = (await db.collections.add({
    name: 'Seeded favourites',
    createdAt: Date.now(),
  })) as number;
  const start = Date.now() - options.n * 1000;
  for (let done = 0; done < options.n; done += batch) {
    const count = Math.min(batch, options.n - done);
    const results: AnalysisResult[] = [];
    const files: FileRow[] = [];
    for (let i = 0; i < count; i++) {
      const k = done + i;
      const hash = `seed${(options.seed ?? 42).toString(16)}${k.toString(16).padStart(12, '0')}`;
      const r = syntheticResult(random, hash, options.waveformPairs ?? 200);
      results.push(r);
      const folder = FOLDERS[Math.floor(random() * FOLDERS.length)];
      const name = `${WORDS[Math.floor(random() * WORDS.length)]} ${r.type.label} ${k}.wav`;
      files.push({
        name,
        path: `Library/${folder}/${name}`,
        folderId: null,
        size: Math.round(r.format.durationSec * 176400),
        mtime: start + k * 1000,
        addedAt: start + k * 1000,
        contentHash: hash,
        analyserVersion: r.analyserVersion,
        status: 'done',
        error: null,
        summary: summarise(r),
      });
    }
    await db.transaction('rw', [db.files, db.samples, db.vectors, db.edits, db.collectionItems], async () => {
      const ids = (await db.files.bulkAdd(files, { allKeys: true })) as number[];
      await db.samples.bulkPut(results);
      await db.vectors.bulkPut(
        results.map((r) => ({ contentHash: r.contentHash, v: Float32Array.from(r.features) })),
      );
      const edits: EditRow[] = [];
      const members: CollectionItemRow[] = [];
      for (const id of ids) {
        const x = random();
        if (x < 0.1)
          edits.push({
            fileId: id,
            tags: [tagIds[Math.floor(random() * tagIds.length)]],
            favourite: x < 0.02,
            updatedAt: Date.now(),
          });
        if (x > 0.99) members.push({ collectionId, fileId: id, addedAt: Date.now() });
      }
      await db.edits.bulkPut(edits);
      await db.collectionItems.bulkPut(members);
    });
    options.onProgress?.(done + count);
  }
  return { ms: performance.now() - t0 };
}
