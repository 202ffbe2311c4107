import { join } from 'node:path';
import type { Config } from '../config/env';
import { vectorMeta } from '../library/service';
import { ChromaVectorIndex } from './chroma/chroma-vectors';
import { MemoryCache, MemoryCounters, MemoryPokes } from './embedded/memory';
import { MemoryVectorIndex } from './embedded/memory-vectors';
import { SqliteDocumentStore } from './embedded/sqlite-docs';
import { MongoDocumentStore } from './mongo/mongo-docs';
import { RedisConnection } from './redis/client';
import { RedisCache, RedisCounters, RedisPokes } from './redis/redis-stores';
import type { DocumentStore, Stores } from './types';

type Log = { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };

export const sqliteFile = (dataDir: string) => join(dataDir, 'samplemind.db');

/**
 * Picks each part from the configuration: MONGODB_URL → MongoDB documents (else SQLite under
 * SAMPLEMIND_DATA_DIR), REDIS_URL → Redis cache/counters/pokes (else in-process), CHROMA_URL →
 * Chroma vectors (else in-process exact search over the documents' feature vectors).
 */
export async function createStores(config: Config, log: Log): Promise<Stores> {
  const docs: DocumentStore = config.MONGODB_URL
    ? await MongoDocumentStore.connect(config.MONGODB_URL, config.MONGODB_DB)
    : new SqliteDocumentStore(sqliteFile(config.SAMPLEMIND_DATA_DIR));

  const closers: (() => Promise<void>)[] = [];
  let parts: Pick<Stores, 'cache' | 'counters' | 'pokes'>;
  if (config.REDIS_URL) {
    const conn = new RedisConnection(config.REDIS_URL, log, 'redis');
    const sub = new RedisConnection(config.REDIS_URL, log, 'redis-sub');
    await Promise.all([conn.start(), sub.start()]);
    const prefix = config.REDIS_KEY_PREFIX;
    const pokes = new RedisPokes(conn, sub, log, prefix);
    await pokes.start();
    parts = { cache: new RedisCache(conn, prefix), counters: new RedisCounters(conn, prefix), pokes };
    closers.push(
      () => sub.close(),
      () => conn.close(),
    );
  } else {
    parts = { cache: new MemoryCache(), counters: new MemoryCounters(), pokes: new MemoryPokes() };
  }

  const vectors = config.CHROMA_URL
    ? new ChromaVectorIndex(config.CHROMA_URL, config.CHROMA_COLLECTION, log)
    : new MemoryVectorIndex(async (userId) =>
        (await docs.vectors(userId)).map((v) => ({ id: v.id, vector: v.vector, meta: vectorMeta(v.doc) })),
      );

  return {
    docs,
    vectors,
    ...parts,
    async close() {
      await vectors.close();
      await parts.cache.close();
      for (const c of closers) await c().catch(() => undefined);
      await docs.close();
    },
  };
}
