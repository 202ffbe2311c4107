import 'fake-indexeddb/auto';
import type { PullResponse, SyncCollection, SyncSample } from '@samplemind/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../account/account';
import { AccountStore, MemoryAccountPersistence } from '../account/account-store';
import { saveRecords } from '../ai/ai-store';
import { openDb, type SampleMindDb } from '../db/database';
import type { OutboxRow } from '../db/types';
import type { Importer } from '../import/importer';
import {
  addTag,
  addToCollection,
  createCollection,
  deleteCollection,
  editFiles,
  removeFiles,
  removeFromCollection,
  removeTag,
  setFavourite,
} from '../state/library-actions';
import type { LibraryIndex } from '../state/library-index';
import { loadLibrary } from '../state/load-library';
import { fakePool } from '../testing/fake-pool';
import { syntheticAnalyse, testImporter } from '../testing/test-importer';
import { ensureBinding } from './binding';
import { runBootstrap } from './bootstrap';
import {
  type CollectionState,
  normaliseCollection,
  normaliseSample,
  type SampleState,
  sampleFromSync,
} from './entity-state';
import { patchIndex } from './index-patch';
import { readCollectionStates, readSampleStates } from './local-read';
import { applyPage, fetchPage } from './pull';
import { pushOnce } from './push';
import { syncCycle } from './sync-cycle';
import { getBinding, getCursor } from './sync-store';
import { type SyncServer, startSyncServer } from './testing/sync-server.mjs';

// ---- a real server-lite in process (see testing/sync-server.mjs) ----

let server: SyncServer;
const BASE = 'http://sync.test';

beforeAll(async () => {
  server = await startSyncServer();
});

afterAll(async () => {
  await server?.close();
});

/** What can go wrong with the next push or pull of one client. */
type Fault = 'none' | 'lose-response' | 'drop-head' | 'hold' | 'stale';

class Transport {
  next: Fault = 'none';
  held: { url: string; headers: Record<string, string>; body: string }[] = [];
  private pulls: Response[] = [];

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const path = `${url.pathname}${url.search}`;
    const headers = { ...(init.headers as Record<string, string>) };
    let body = typeof init.body === 'string' ? init.body : undefined;
    const fault = this.next;
    this.next = 'none';
    const isPush = url.pathname === '/api/v1/sync/push';
    const isPull = url.pathname === '/api/v1/sync/pull';
    if (isPush && fault === 'hold' && body) {
      // Lost on the way for now; delivered later, after newer batches (deliverHeld).
      this.held.push({ url: path, headers, body });
      throw new TypeError('Failed to fetch');
    }
    if (isPush && fault === 'drop-head' && body) {
      const m = JSON.parse(body).mutations as unknown[];
      if (m.length > 1) body = JSON.stringify({ mutations: m.slice(1 + Math.floor(m.length / 3)) });
    }
    if (isPull && fault === 'stale' && this.pulls.length) return this.pulls[0].clone();
    const res = await this.inject(path, init.method ?? 'GET', headers, body);
    if (isPull && res.status === 200) this.pulls.push(res.clone());
    if (isPush && fault === 'lose-response') throw new TypeError('Failed to fetch');
    return res;
  };

  inject(url: string, method: string, headers: Record<string, string>, body?: string) {
    return server.inject(url, method, headers, body);
  }

  async deliverHeld() {
    for (const h of this.held.splice(0)) await this.inject(h.url, 'POST', h.headers, h.body);
  }
}

// ---- two devices running the real client code, each with its own IndexedDB ----

let dbCount = 0;

type Device = {
  name: string;
  db: SampleMindDb;
  index: LibraryIndex;
  account: Account;
  importer: Importer;
  net: Transport;
  /** Every mutation this device queued (read from the outbox before anything is pushed). */
  log: (OutboxRow & { clientId: string })[];
  logged: number;
};

async function capture(d: Device) {
  const b = await getBinding(d.db);
  const rows = await d.db.outbox.where('mutationId').above(d.logged).toArray();
  for (const r of rows) d.log.push({ ...r, clientId: b!.clientId });
  if (rows.length) d.logged = rows[rows.length - 1].mutationId;
}

/** One action on a device, then its new outbox rows into the device's log. */
async function step(d: Device, body: () => Promise<unknown>) {
  await body();
  await capture(d);
}

async function device(name: string, user: { username: string; password: string }): Promise<Device> {
  const db = openDb(`conv-${++dbCount}-${name}`);
  const index = await loadLibrary(db);
  const net = new Transport();
  const account = new Account(new AccountStore(new MemoryAccountPersistence(), { channelName: null }), {
    fetch: net.fetch,
    locks: null,
  });
  await account.connect(BASE);
  await account.signIn(user.username, user.password);
  const importer = testImporter(db, index, fakePool(syntheticAnalyse(7919)));
  const d: Device = { name, db, index, account, importer, net, log: [], logged: 0 };
  await ensureBinding(db, BASE, account.state.user!.id);
  await runBootstrap(db);
  await capture(d);
  return d;
}

const CONTENTS = ['kick one', 'snare two!', 'hat number 3'];

async function importContent(d: Device, i: number) {
  const text = CONTENTS[i];
  const blob = new Blob([text]);
  await d.importer.add([
    {
      blob,
      name: `${i}.wav`,
      path: `${d.name}/${i}-${Date.now()}.wav`,
      size: blob.size,
      mtime: 1,
      folderId: null,
    },
  ]);
  await d.importer.whenIdle();
}

const patchHook = (d: Device) => ({
  onApplied: (p: Parameters<typeof patchIndex>[2]) => patchIndex(d.db, d.index, p),
});

async function fullSync(d: Device) {
  await syncCycle(d.db, d.account.api, patchHook(d));
}

/** Runs a network step; a simulated failure is what the engine would back off from. */
async function attempt(step: () => Promise<unknown>) {
  try {
    await step();
  } catch (e) {
    const kind = (e as { kind?: string }).kind;
    if (kind !== 'unreachable') throw e;
  }
}

async function pullOnce(d: Device, duplicate: boolean) {
  const b = await getBinding(d.db);
  const cursor = await getCursor(d.db);
  const page = await fetchPage(d.account.api, cursor);
  const applied = await applyPage(d.db, cursor, b!.clientId, page);
  if (applied) await patchIndex(d.db, d.index, applied.patch);
  // The same answer delivered again is recognised (the cursor moved on) and changes nothing.
  if (duplicate) {
    const again = await applyPage(d.db, cursor, b!.clientId, page);
    if (page.cursor !== cursor) expect(again).toBeNull();
  }
}

// ---- the expected outcome, computed from the mutations alone (sync.md's rules) ----

type Reg = { v: unknown; t: string };
const stampOf = (m: { hlc: string; clientId: string; mutationId: number }) =>
  `${m.hlc}~${m.clientId}~${String(m.mutationId).padStart(12, '0')}`;

function expected(logs: Device['log'][]) {
  const samples = new Map<
    string,
    { regs: Record<string, Reg>; tags: Map<string, { a: string; r: string }>; analysed: boolean }
  >();
  const colls = new Map<
    string,
    { regs: Record<string, Reg>; members: Map<string, { a: string; r: string }> }
  >();
  const put = (regs: Record<string, Reg>, f: string, v: unknown, t: string) => {
    if (!regs[f] || t > regs[f].t) regs[f] = { v, t };
  };
  const el = (set: Map<string, { a: string; r: string }>, k: string, t: string, add: boolean) => {
    const e = set.get(k) ?? { a: '', r: '' };
    if (add && t > e.a) e.a = t;
    if (!add && t > e.r) e.r = t;
    set.set(k, e);
  };
  for (const m of logs.flat()) {
    const t = stampOf(m);
    const a = m.args as Record<string, unknown> & { id: string };
    if (m.name.startsWith('sample.')) {
      const s = samples.get(a.id) ?? { regs: {}, tags: new Map(), analysed: false };
      samples.set(a.id, s);
      if (m.name === 'sample.upsertAnalysis') {
        s.analysed = true;
        put(s.regs, 'deleted', false, t);
      } else if (m.name === 'sample.setField') put(s.regs, a.field as string, a.value, t);
      else if (m.name === 'sample.addTags') for (const g of a.tags as string[]) el(s.tags, g, t, true);
      else if (m.name === 'sample.removeTags') for (const g of a.tags as string[]) el(s.tags, g, t, false);
      else if (m.name === 'sample.setAiDescription') put(s.regs, 'ai', [a.description, a.model ?? null], t);
      else if (m.name === 'sample.delete') put(s.regs, 'deleted', true, t);
    } else {
      const c = colls.get(a.id) ?? { regs: {}, members: new Map() };
      colls.set(a.id, c);
      if (m.name === 'collection.upsert') {
        put(c.regs, 'deleted', false, t);
        if (a.name !== undefined) put(c.regs, 'name', a.name, t);
      } else if (m.name === 'collection.addMembers')
        for (const x of a.sampleIds as string[]) el(c.members, x, t, true);
      else if (m.name === 'collection.removeMembers')
        for (const x of a.sampleIds as string[]) el(c.members, x, t, false);
      else if (m.name === 'collection.delete') put(c.regs, 'deleted', true, t);
    }
  }
  const live = (set: Map<string, { a: string; r: string }>) =>
    [...set]
      .filter(([, e]) => e.a > e.r)
      .map(([k]) => k)
      .sort();
  const v = <T>(regs: Record<string, Reg>, f: string, d: T) => (regs[f] ? (regs[f].v as T) : d);
  const outSamples = new Map<string, SampleState>();
  for (const [id, s] of samples) {
    if (!s.analysed || v(s.regs, 'deleted', false)) continue;
    const [aiDescription, aiModel] = v<[string | null, string | null]>(s.regs, 'ai', [null, null]);
    outSamples.set(
      id,
      normaliseSample({
        id,
        deleted: false,
        hasAnalysis: true,
        name: null,
        path: null,
        tags: live(s.tags),
        rating: v(s.regs, 'rating', null),
        favorite: v(s.regs, 'favorite', false),
        notes: v(s.regs, 'notes', ''),
        aiDescription,
        aiModel,
        bpm: v(s.regs, 'bpm', null),
        key: v(s.regs, 'key', null),
        type: v(s.regs, 'type', null),
      }),
    );
  }
  const outColls = new Map<string, CollectionState>();
  for (const [id, c] of colls) {
    if (v(c.regs, 'deleted', false)) continue;
    outColls.set(id, {
      id,
      deleted: false,
      name: v(c.regs, 'name', null),
      description: '',
      color: null,
      sampleIds: live(c.members),
    });
  }
  return { samples: outSamples, collections: outColls };
}

const comparable = (s: SampleState) => ({ ...normaliseSample(s), name: null, path: null, deleted: false });

/** Everything the server holds for the user (full view, from the start). */
async function serverState(d: Device) {
  const samples: SyncSample[] = [];
  const collections: SyncCollection[] = [];
  let cursor = '0';
  for (;;) {
    const page = await d.account.api.json<PullResponse>(`/api/v1/sync/pull?cursor=${cursor}&limit=1000`);
    samples.push(...page.samples);
    collections.push(...page.collections);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  const visible = new Map<string, SampleState>();
  for (const s of samples) if (!s.deleted && s.analysis) visible.set(s.id, comparable(sampleFromSync(s)));
  const colls = new Map<string, CollectionState>();
  for (const c of collections)
    if (!c.deleted)
      colls.set(
        c.id,
        normaliseCollection({
          id: c.id,
          deleted: false,
          name: c.name,
          description: c.description,
          color: c.color,
          sampleIds: c.sampleIds,
        }),
      );
  return { samples: visible, collections: colls };
}

/** What a device's library shows, per sound and per collection. */
async function localState(d: Device) {
  const files = await d.db.files.toArray();
  const listed = [
    ...new Set(
      files
        .filter((f) => f.contentHash && (f.status === 'done' || f.status === 'remote'))
        .map((f) => f.contentHash!),
    ),
  ];
  const states = await readSampleStates(d.db, listed);
  const samples = new Map([...states].map(([h, s]) => [h, comparable(s)]));
  const rows = await d.db.collections.toArray();
  const colls = await readCollectionStates(
    d.db,
    rows.map((r) => r.syncId!),
  );
  const collections = new Map(
    [...colls].map(([id, c]) => [id, normaliseCollection({ ...c, description: '', color: null })]),
  );
  // Members as the app shows them: exactly the files whose sound is listed in the collection.
  for (const r of rows) {
    const items = await d.db.collectionItems
      .where('[collectionId+fileId]')
      .between([r.id!, -Infinity], [r.id!, Infinity])
      .toArray();
    const hashes = (await d.db.files.bulkGet(items.map((i) => i.fileId))).map((f) => f!.contentHash);
    const want = files
      .filter((f) => f.contentHash && r.sampleIds?.includes(f.contentHash))
      .map((f) => f.contentHash);
    expect(hashes.sort(), `${d.name}: members of ${r.name}`).toEqual(want.sort());
  }
  return { samples, collections };
}

/** The in-memory index, patched page by page, agrees with the database. */
async function checkIndex(d: Device) {
  const fresh = await loadLibrary(d.db);
  const view = (ix: LibraryIndex) =>
    Array.from({ length: ix.size }, (_, r) =>
      [
        ix.fileId[r],
        ix.hash[r],
        ix.status[r],
        ix.favourite[r],
        (ix.tags[r] ?? [])
          .map((t) => ix.tagName(t))
          .sort()
          .join(','),
      ].join('|'),
    ).sort();
  expect(view(d.index), `${d.name}: index`).toEqual(view(fresh));
}

// ---- random interleavings ----

type Op =
  | { k: 'import'; c: number; n: number }
  | { k: 'tag'; c: number; f: number; tag: number; add: boolean }
  | { k: 'fav'; c: number; f: number; v: boolean }
  | { k: 'correct'; c: number; f: number; field: 'bpm' | 'key' | 'type'; set: boolean }
  | { k: 'coll-new'; c: number; n: number }
  | { k: 'coll-member'; c: number; coll: number; f: number; add: boolean }
  | { k: 'coll-delete'; c: number; coll: number }
  | { k: 'remove'; c: number; f: number }
  | { k: 'ai'; c: number; f: number; n: number }
  | { k: 'push'; c: number; fault: Fault }
  | { k: 'deliver-held'; c: number }
  | { k: 'pull'; c: number; fault: 'none' | 'stale' | 'duplicate' }
  | { k: 'sync'; c: number };

const c = fc.integer({ min: 0, max: 1 });
const f = fc.nat(20);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ k: fc.constant('import' as const), c, n: fc.integer({ min: 0, max: 2 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('tag' as const),
      c,
      f,
      tag: fc.integer({ min: 0, max: 2 }),
      add: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('fav' as const), c, f, v: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('correct' as const),
      c,
      f,
      field: fc.constantFrom('bpm' as const, 'key' as const, 'type' as const),
      set: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('coll-new' as const), c, n: fc.integer({ min: 0, max: 1 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('coll-member' as const),
      c,
      coll: fc.nat(5),
      f,
      add: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('coll-delete' as const), c, coll: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('remove' as const), c, f }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('ai' as const), c, f, n: fc.integer({ min: 0, max: 1 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('push' as const),
      c,
      fault: fc.constantFrom<Fault>('none', 'lose-response', 'drop-head', 'hold'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('deliver-held' as const), c }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('pull' as const),
      c,
      fault: fc.constantFrom('none' as const, 'stale' as const, 'duplicate' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('sync' as const), c }) },
);

const TAGS = ['dark', 'Warm', 'lofi'];

async function pickFile(d: Device, n: number) {
  const ids = (await d.db.files.toCollection().primaryKeys()) as number[];
  return ids.length ? ids[n % ids.length] : null;
}

async function run(d: Device, op: Op) {
  const { db, index } = d;
  switch (op.k) {
    case 'import':
      return importContent(d, op.n);
    case 'tag': {
      const id = await pickFile(d, op.f);
      if (id === null) return;
      if (op.add) return addTag(db, index, [id], TAGS[op.tag]);
      const tag = await db.tags.where('name').equalsIgnoreCase(TAGS[op.tag]).first();
      if (tag) await removeTag(db, index, [id], tag.id!);
      return;
    }
    case 'fav': {
      const id = await pickFile(d, op.f);
      if (id !== null) await setFavourite(db, index, [id], op.v);
      return;
    }
    case 'correct': {
      const id = await pickFile(d, op.f);
      if (id === null) return;
      const value =
        op.field === 'bpm'
          ? 128
          : op.field === 'key'
            ? { tonic: 'A' as const, scale: 'minor' as const }
            : ('snare' as const);
      return editFiles(db, index, [id], (e) => ({ ...e, [op.field]: op.set ? value : undefined }));
    }
    case 'coll-new':
      await createCollection(db, `Set ${op.n}`);
      return;
    case 'coll-member': {
      const colls = await db.collections.toArray();
      const id = await pickFile(d, op.f);
      if (!colls.length || id === null) return;
      const coll = colls[op.coll % colls.length].id!;
      return op.add ? addToCollection(db, index, coll, [id]) : removeFromCollection(db, index, coll, [id]);
    }
    case 'coll-delete': {
      const colls = await db.collections.toArray();
      if (colls.length) await deleteCollection(db, index, colls[op.coll % colls.length].id!);
      return;
    }
    case 'remove': {
      const id = await pickFile(d, op.f);
      if (id !== null) await removeFiles(db, index, [id]);
      return;
    }
    case 'ai': {
      const id = await pickFile(d, op.f);
      const file = id === null ? undefined : await db.files.get(id);
      if (!file?.contentHash) return;
      await saveRecords(db, [
        {
          contentHash: file.contentHash,
          promptVersion: 'p1',
          analysis: {
            description: `described ${op.n} on ${d.name}`,
            tags: [],
            freeTags: [],
            genres: [],
            moods: [],
            productionTips: [],
            creativeIdeas: [],
          },
          provider: 'openai',
          model: `model-${op.n}`,
          cached: false,
          describedAt: Date.now(),
        },
      ]);
      return;
    }
    case 'push': {
      const b = await getBinding(db);
      d.net.next = op.fault;
      return attempt(() => pushOnce(db, d.account.api, b!.clientId));
    }
    case 'deliver-held':
      return d.net.deliverHeld();
    case 'pull':
      if (op.fault === 'stale') d.net.next = 'stale';
      return attempt(() => pullOnce(d, op.fault === 'duplicate'));
    case 'sync': {
      await fullSync(d);
      // Right after a full sync nothing is pending: the device shows exactly what the server holds.
      const server = await serverState(d);
      const local = await localState(d);
      expect(local.samples, `${d.name} after sync: samples`).toEqual(server.samples);
      expect(local.collections, `${d.name} after sync: collections`).toEqual(server.collections);
      return;
    }
  }
}

/** Late deliveries land, both devices sync to the end (A again, to hear B), and all agree with the rules. */
async function settleAndCompare(devices: Device[], ops: Op[]) {
  for (const d of devices) await d.net.deliverHeld();
  for (const d of [devices[0], devices[1], devices[0]]) await fullSync(d);
  for (const d of devices) expect(await d.db.outbox.count(), `${d.name}: outbox`).toBe(0);
  const want = expected(devices.map((d) => d.log));
  const server = await serverState(devices[0]);
  if (process.env.SYNC_DEBUG)
    console.log(
      ops.length,
      devices.map((d) => d.log.length),
      server.samples.size,
      server.collections.size,
    );
  expect(server.samples).toEqual(want.samples);
  expect(server.collections).toEqual(want.collections);
  for (const d of devices) {
    const local = await localState(d);
    expect(local.samples, `${d.name}: samples`).toEqual(server.samples);
    expect(local.collections, `${d.name}: collections`).toEqual(server.collections);
    await checkIndex(d);
  }
}

async function withDevices(body: (devices: Device[]) => Promise<void>) {
  const user = await server.newUser();
  const devices = [await device('A', user), await device('B', user)];
  try {
    await body(devices);
  } finally {
    for (const d of devices) {
      d.db.close();
      await d.db.delete();
    }
  }
}

async function runAll(devices: Device[], ops: Op[]) {
  for (const op of ops) {
    const d = devices[op.c];
    await run(d, op);
    // A fault not used up (nothing was pending) does not carry over to a later request.
    d.net.next = 'none';
    await capture(d);
  }
}

/** Edits contending for the same few fields, with pushes and pulls in between. */
const contendedArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('tag' as const),
      c,
      f: fc.nat(1),
      tag: fc.integer({ min: 0, max: 1 }),
      add: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('fav' as const), c, f: fc.nat(1), v: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('correct' as const),
      c,
      f: fc.nat(1),
      field: fc.constantFrom('bpm' as const, 'type' as const),
      set: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('coll-member' as const),
      c,
      coll: fc.constant(0),
      f: fc.nat(1),
      add: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('ai' as const),
      c,
      f: fc.nat(1),
      n: fc.integer({ min: 0, max: 1 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('push' as const),
      c,
      fault: fc.constantFrom<Fault>('none', 'lose-response', 'drop-head', 'hold'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('pull' as const),
      c,
      fault: fc.constantFrom('none' as const, 'none' as const, 'stale' as const, 'duplicate' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('sync' as const), c }) },
);

describe('two devices against the real server converge', () => {
  it('after random interleavings with lost, repeated, reordered and stale deliveries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 50 }), (ops) =>
        withDevices(async (devices) => {
          await runAll(devices, ops);
          await settleAndCompare(devices, ops);
        }),
      ),
      { numRuns: 40, endOnFailure: true },
    );
  }, 120_000);

  it('when both edit the same sounds and collection (later stamp wins, losers roll back)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(contendedArb, { minLength: 6, maxLength: 30 }), (ops) =>
        withDevices(async ([a, b]) => {
          // Both have the same two sounds (B one as a local file, one only from the server) and one collection.
          await importContent(a, 0);
          await importContent(a, 1);
          await createCollection(a.db, 'Shared');
          await capture(a);
          await fullSync(a);
          await importContent(b, 1);
          await capture(b);
          await fullSync(b);
          await fullSync(a);
          await runAll([a, b], ops);
          await settleAndCompare([a, b], ops);
        }),
      ),
      { numRuns: 50, endOnFailure: true },
    );
  }, 120_000);

  it('an edit that lost to a newer one elsewhere rolls back after its push (nothing else brings the sound back)', async () => {
    await withDevices(async ([a, b]) => {
      await step(a, () => importContent(a, 0));
      await fullSync(a);
      await fullSync(b);
      const [fa] = (await a.db.files.toCollection().primaryKeys()) as number[];
      const [fb] = (await b.db.files.toCollection().primaryKeys()) as number[];
      await step(a, () => setFavourite(a.db, a.index, [fa], true)); // older stamp, still pending on A
      await step(b, () => setFavourite(b.db, b.index, [fb], true));
      await step(b, () => setFavourite(b.db, b.index, [fb], false)); // newer stamp
      await fullSync(b);
      await pullOnce(a, false);
      // A's own pending edit stays on top of what it pulled…
      expect(a.index.favourite[a.index.rowOfFile(fa)]).toBe(1);
      await fullSync(a);
      // …until the server has it: it lost (older stamp), so A shows the server's value again.
      expect((await a.db.edits.get(fa))?.favourite ?? false).toBe(false);
      expect(a.index.favourite[a.index.rowOfFile(fa)]).toBe(0);
      await settleAndCompare([a, b], []);
    });
  });

  it('a delete that lost to a newer import elsewhere brings the sound back as "not on this device"', async () => {
    await withDevices(async ([a, b]) => {
      await step(a, () => importContent(a, 0));
      await fullSync(a);
      const [fa] = (await a.db.files.toCollection().primaryKeys()) as number[];
      const hash = (await a.db.files.get(fa))!.contentHash!;
      await step(a, () => removeFiles(a.db, a.index, [fa])); // older stamp, still pending on A
      await step(b, () => importContent(b, 0)); // newer stamp: the sound is in the library again
      await fullSync(b);
      // A hears of B's import while its own delete is still pending: the delete stays on top…
      await pullOnce(a, false);
      expect(await a.db.files.where('contentHash').equals(hash).count()).toBe(0);
      await fullSync(a);
      // …until the server has it: it lost, and nothing else brings the sound back to A.
      const rows = await a.db.files.where('contentHash').equals(hash).toArray();
      expect(rows.map((r) => r.status)).toEqual(['remote']);
      await settleAndCompare([a, b], []);
    });
  });
});
