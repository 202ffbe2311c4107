import type { SampleFilters } from '@samplemind/contract';
import { ChromaClient, type Collection, type Where } from 'chromadb';
import { type VectorIndex, type VectorMeta, VectorsUnavailable } from '../types';

const OP_TIMEOUT_MS = 3000;

type Log = { warn(obj: object, msg: string): void };

function whereFor(userId: string, f: SampleFilters): Where {
  const c: Where[] = [{ userId: { $eq: userId } }];
  if (f.type && f.type.length > 0) c.push({ type: { $in: f.type } });
  if (f.key) c.push({ keyTonic: { $eq: f.key } });
  if (f.scale) c.push({ keyScale: { $eq: f.scale } });
  if (f.bpmMin !== undefined) c.push({ bpm: { $gte: f.bpmMin } });
  if (f.bpmMax !== undefined) c.push({ bpm: { $gte: 0 } }, { bpm: { $lte: f.bpmMax } });
  if (f.durationMin !== undefined) c.push({ duration: { $gte: f.durationMin } });
  if (f.durationMax !== undefined) c.push({ duration: { $lte: f.durationMax } });
  if (f.isLoop !== undefined) c.push({ isLoop: { $eq: f.isLoop } });
  return c.length === 1 ? c[0] : { $and: c };
}

/**
 * ChromaDB: one collection for everyone (cosine space); each record's id is `${userId}:${sampleId}`
 * and every query carries a userId metadata filter, so users never see each other's vectors.
 */
export class ChromaVectorIndex implements VectorIndex {
  readonly backend = 'chroma' as const;
  private readonly client: ChromaClient;
  private collection: Promise<Collection> | null = null;

  constructor(
    url: string,
    private readonly name: string,
    private readonly log: Log,
  ) {
    const u = new URL(url);
    this.client = new ChromaClient({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
      ssl: u.protocol === 'https:',
    });
  }

  private coll(): Promise<Collection> {
    if (!this.collection) {
      this.collection = this.client
        .getOrCreateCollection({
          name: this.name,
          configuration: { hnsw: { space: 'cosine' } },
          embeddingFunction: null,
        })
        .catch((e) => {
          this.collection = null;
          throw e;
        });
    }
    return this.collection;
  }

  /** Runs `op`, mapping connection failures to VectorsUnavailable; retries once if the collection vanished. */
  private async run<T>(what: string, op: (c: Collection) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          this.coll().then(op),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('timed out')), OP_TIMEOUT_MS);
          }),
        ]);
      } catch (e) {
        const msg = (e as Error).message ?? String(e);
        if (attempt === 0 && /not.?found|does not exist/i.test(msg)) {
          this.collection = null;
          continue;
        }
        this.collection = null;
        this.log.warn({ err: msg, op: what }, 'chroma unavailable');
        throw new VectorsUnavailable(`vector store (chroma) unavailable: ${what} failed`);
      } finally {
        clearTimeout(timer);
      }
    }
  }

  async upsert(userId: string, items: { id: string; vector: number[]; meta: VectorMeta }[]): Promise<void> {
    if (items.length === 0) return;
    await this.run('upsert', (c) =>
      c.upsert({
        ids: items.map((i) => `${userId}:${i.id}`),
        embeddings: items.map((i) => i.vector),
        metadatas: items.map((i) => ({
          userId,
          sampleId: i.id,
          type: i.meta.type ?? '',
          bpm: i.meta.bpm,
          duration: i.meta.duration,
          keyTonic: i.meta.keyTonic ?? '',
          keyScale: i.meta.keyScale ?? '',
          isLoop: i.meta.isLoop,
        })),
      }),
    );
  }

  async remove(userId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.run('delete', (c) => c.delete({ ids: ids.map((id) => `${userId}:${id}`) }));
  }

  async query(userId: string, vector: number[], k: number, filters: SampleFilters) {
    const res = await this.run('query', (c) =>
      c.query({
        queryEmbeddings: [vector],
        nResults: k,
        where: whereFor(userId, filters),
        include: ['metadatas', 'distances'] as never,
      }),
    );
    const ids = res.ids[0] ?? [];
    const dist = res.distances?.[0] ?? [];
    const metas = res.metadatas?.[0] ?? [];
    const out: { id: string; score: number }[] = [];
    for (let i = 0; i < ids.length; i++) {
      // Belt and braces: the where clause already scopes by user.
      if (metas[i]?.userId !== userId) continue;
      out.push({ id: String(metas[i]?.sampleId), score: 1 - Number(dist[i] ?? 1) });
    }
    return out;
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.client.heartbeat(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), 1500);
        }),
      ]);
    } catch (e) {
      throw new VectorsUnavailable(`chroma heartbeat failed: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {}
}
