import {
  type ListFilesQuery,
  listFilesResponseSchema,
  type Mutation,
  type PushResponse,
  type SampleFilters,
  type SimilarRequest,
  type SimilarResponse,
  sampleDetailSchema,
} from '@samplemind/contract';
import type { Stores, VectorMeta } from '../stores/types';
import { VectorsUnavailable } from '../stores/types';
import type { SampleDoc } from '../sync/model';
import { reduceBatch } from '../sync/reduce';
import { compileSerializer } from './serialize';
import { collectionJson, pullBody, sampleJson } from './sync-json';
import { decodeCursor, encodeCursor, isVisible, type PullView, toDetail, toRow } from './views';

type Log = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export class BadCursor extends Error {}
export class NotFound extends Error {}

const serializeList = compileSerializer(listFilesResponseSchema);
const serializeDetail = compileSerializer(sampleDetailSchema);

export function vectorMeta(doc: SampleDoc): VectorMeta {
  const r = toRow(doc);
  return {
    type: r.type,
    bpm: r.bpm,
    duration: r.duration,
    keyTonic: r.keyTonic,
    keyScale: r.keyScale,
    isLoop: r.isLoop,
  };
}

const groupOf = (userId: string) => `lib:${userId}`;

/** Canonical cache field for a list query: same filters in any order hit the same entry. */
function listField(q: ListFilesQuery): string {
  const parts: string[] = [];
  for (const k of Object.keys(q).sort()) {
    const v = (q as Record<string, unknown>)[k];
    if (v !== undefined) parts.push(`${k}=${Array.isArray(v) ? [...v].sort().join(',') : String(v)}`);
  }
  return `list?${parts.join('&')}`;
}

/**
 * The caller-scoped library: reads through the cache, writes through sync mutations, keeps the
 * vector index and the caches in step, and pokes other devices. Every method takes the caller's id.
 */
export class LibraryService {
  private outboxTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly stores: Stores,
    private readonly cacheTtlSec: number,
    private readonly log: Log,
  ) {}

  start(): void {
    // The in-process index must hear about writes made by other instances (shared SQLite + Redis).
    const v = this.stores.vectors as { forget?: (userId: string) => void };
    if (v.forget) this.unsubscribe = this.stores.pokes.subscribe((userId) => v.forget!(userId));
    this.outboxTimer = setInterval(() => void this.flushOutbox().catch(() => undefined), 5000);
    this.outboxTimer.unref();
  }

  stop(): void {
    if (this.outboxTimer) clearInterval(this.outboxTimer);
    this.unsubscribe?.();
  }

  /** JSON of one page of the caller's samples, as bytes ready to send. */
  async list(userId: string, q: ListFilesQuery): Promise<Buffer> {
    const { cache, docs } = this.stores;
    const field = listField(q);
    const hit = await cache.read(groupOf(userId), field);
    if (hit.value !== null) return hit.value;
    const after = q.cursor ? decodeCursor(q.sort, q.cursor) : null;
    if (q.cursor && !after) throw new BadCursor('cursor is malformed or belongs to another sort order');
    const { cursor: _c, sort, limit, ...filters } = q;
    const page = await docs.listSamples(userId, { filters, sort, limit, after });
    const body = Buffer.from(
      serializeList({
        items: page.items,
        nextCursor: page.hasMore && page.last ? encodeCursor(sort, page.last) : null,
      }),
    );
    await cache.fill(groupOf(userId), field, body, hit.gen, this.cacheTtlSec);
    return body;
  }

  /** JSON of one sample with its analysis, or null when the caller has no such sample. */
  async get(userId: string, id: string): Promise<Buffer | null> {
    const { cache, docs } = this.stores;
    const field = `s:${id}`;
    const hit = await cache.read(groupOf(userId), field);
    // An empty entry caches "not found".
    if (hit.value !== null) return hit.value.length === 0 ? null : hit.value;
    const doc = await docs.getSample(userId, id);
    const body =
      doc && isVisible(doc)
        ? Buffer.from(serializeDetail(toDetail(doc, await docs.sampleCollections(userId, id))))
        : null;
    await cache.fill(groupOf(userId), field, body ?? Buffer.alloc(0), hit.gen, this.cacheTtlSec);
    return body;
  }

  async push(userId: string, mutations: Mutation[]): Promise<{ body: PushResponse; rejected: boolean }> {
    const { docs, cache, pokes } = this.stores;
    const now = Date.now();
    const out = await docs.pushBatch(userId, mutations, (state) => reduceBatch(state, mutations, now));
    const changed = out.changedSamples.size + out.changedCollections.size > 0;
    if (changed) {
      await cache.invalidate(groupOf(userId));
      await this.syncVectors(
        userId,
        [...out.changedSamples].map((id) => out.samples.get(id)!),
      );
      await pokes.publish(userId);
    }
    return {
      body: { results: out.results, clients: out.clients },
      rejected: out.results.some((r) => r.status === 'rejected'),
    };
  }

  /**
   * JSON text of a PullResponse (see docs/sync.md). The compact view takes each sample's text as
   * the store keeps it, so a page of thousands costs no parsing and no serialising of analyses.
   */
  async pull(userId: string, cursor: number, limit: number, view: PullView): Promise<string> {
    const { docs } = this.stores;
    const page =
      view === 'compact'
        ? await docs.pullCompact(userId, cursor, limit)
        : await docs.pull(userId, cursor, limit).then((p) => ({
            ...p,
            samples: p.samples.map((d) => sampleJson(d, 'full')),
          }));
    return pullBody({
      cursor: String(page.cursor),
      hasMore: page.hasMore,
      samples: page.samples,
      collections: page.collections.map(collectionJson),
      clients: page.clients,
    });
  }

  /** Nearest samples in the caller's library. Throws VectorsUnavailable (→ 503) when the index is down. */
  async similar(userId: string, req: SimilarRequest): Promise<SimilarResponse> {
    const { docs, vectors } = this.stores;
    let vector = req.vector;
    if (req.id) {
      const doc = await docs.getSample(userId, req.id);
      if (!doc || !isVisible(doc)) throw new NotFound('no such sample in your library');
      vector = doc.analysis.v!.features;
    }
    const filters: SampleFilters = req.filters;
    // The index filters on what it knows; the rest (tags, text, favourites) is checked on the
    // documents, so fetch extra candidates and widen once if too few survive.
    for (const k of [req.limit * 3 + 1, req.limit * 20 + 1]) {
      const hits = await vectors.query(userId, vector!, k, filters);
      const ids = hits.map((h) => h.id).filter((id) => id !== req.id);
      const summaries = await docs.filterSamples(userId, ids, filters);
      const score = new Map(hits.map((h) => [h.id, h.score]));
      if (summaries.length >= req.limit || hits.length < k) {
        return { items: summaries.slice(0, req.limit).map((s) => ({ sample: s, score: score.get(s.id)! })) };
      }
    }
    const hits = await vectors.query(userId, vector!, 2000, filters);
    const summaries = await docs.filterSamples(
      userId,
      hits.map((h) => h.id).filter((id) => id !== req.id),
      filters,
    );
    const score = new Map(hits.map((h) => [h.id, h.score]));
    return { items: summaries.slice(0, req.limit).map((s) => ({ sample: s, score: score.get(s.id)! })) };
  }

  /** Mirrors changed samples into the vector index; what cannot be written now goes to the outbox. */
  private async syncVectors(userId: string, changed: SampleDoc[]): Promise<void> {
    if (changed.length === 0) return;
    const live = changed.filter(isVisible);
    const gone = changed.filter((d) => !isVisible(d)).map((d) => d.id);
    try {
      await this.stores.vectors.upsert(
        userId,
        live.map((d) => ({ id: d.id, vector: d.analysis.v!.features, meta: vectorMeta(d) })),
      );
      await this.stores.vectors.remove(userId, gone);
    } catch (e) {
      if (!(e instanceof VectorsUnavailable)) this.log.error({ err: String(e) }, 'vector write failed');
      await this.stores.docs.outboxAdd(
        userId,
        changed.map((d) => d.id),
      );
    }
  }

  /** Retries vector writes that failed while the vector store was down. */
  async flushOutbox(): Promise<number> {
    const { docs, vectors } = this.stores;
    const items = await docs.outboxTake(200);
    if (items.length === 0) return 0;
    await vectors.ping();
    const byUser = new Map<string, string[]>();
    for (const i of items) byUser.set(i.userId, [...(byUser.get(i.userId) ?? []), i.id]);
    for (const [userId, ids] of byUser) {
      const docsNow = (await Promise.all(ids.map((id) => docs.getSample(userId, id)))).filter(
        (d): d is SampleDoc => d !== null,
      );
      const live = docsNow.filter(isVisible);
      await vectors.upsert(
        userId,
        live.map((d) => ({ id: d.id, vector: d.analysis.v!.features, meta: vectorMeta(d) })),
      );
      await vectors.remove(
        userId,
        ids.filter((id) => !live.some((d) => d.id === id)),
      );
    }
    await docs.outboxRemove(items);
    return items.length;
  }
}
