import type { AnalysisOutcome } from '@samplemind/contract';
import type { SampleMindDb } from '../db/database';
import { rng, syntheticResult } from '../dev/synthetic';
import { FileAccess } from '../import/file-access';
import { Importer } from '../import/importer';
import type { LibraryIndex } from '../state/library-index';
import { fakePool } from './fake-pool';

/**
 * Pretend analysis: a synthetic result seeded by the file's size (times `seedScale`, so two test
 * devices can get different results from the same files) under the file's own content hash.
 */
export const syntheticAnalyse =
  (seedScale = 1) =>
  async (bytes: Uint8Array, o: { contentHash?: string }): Promise<AnalysisOutcome> => ({
    ok: true,
    result: syntheticResult(rng(bytes.length * seedScale), o.contentHash!),
  });

/** An importer over a fake in-process pool, one job at a time, flushing after 1 ms, errors ignored. */
export function testImporter(
  db: SampleMindDb,
  index: LibraryIndex,
  pool: ReturnType<typeof fakePool> = fakePool(syntheticAnalyse()),
): Importer {
  return new Importer({
    db,
    index,
    pool,
    access: new FileAccess(db),
    poolSize: 1,
    flushMs: 1,
    onChange() {},
    onError() {},
  });
}
