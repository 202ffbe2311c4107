import { FEATURE_VECTOR_LENGTH, type Mutation, mutationSchema } from '@samplemind/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesFilters, toRow, toSummary, toSyncCollection, toSyncSample } from '../library/views';
import { SqliteDocumentStore } from '../stores/embedded/sqlite-docs';
import { emptySample, parseSampleDoc, type SampleDoc } from './model';
import { type BatchState, reduceBatch } from './reduce';

const HASHES = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'];
const TAGS = ['dark', 'warm', 'lofi'];

function analysis(hash: string, bpm: number) {
  return {
    analyserVersion: '1',
    contentHash: hash,
    format: {
      container: 'wav',
      codec: 'pcm-s16',
      sampleRate: 44100,
      channels: 1,
      bitDepth: 16,
      durationSec: 1,
      frames: 44100,
      isTruncated: false,
    },
    levels: {
      samplePeakDb: -1,
      truePeakDb: -1,
      rmsDb: -10,
      lufs: -10,
      loudnessRangeLu: null,
      isSilent: false,
    },
    loop: { isLoop: false, confidence: 1 },
    tempo: { bpm, confidence: 1, beats: null, bars: null, beatsPerBar: null, candidates: [] },
    key: { tonic: null, scale: null, camelot: null, confidence: 0 },
    pitch: { midiNote: null, cents: null, frequencyHz: null, confidence: 0 },
    type: { label: 'kick', confidence: 1, method: 't', scores: [] },
    envelope: { attackSec: 0, decaySec: 0, effectiveLengthSec: 0, temporalCentroidSec: 0 },
    spectral: { centroidHz: 0, rolloffHz: 0, flatness: 0, bandwidthHz: 0, zeroCrossingRate: 0 },
    features: new Array(FEATURE_VECTOR_LENGTH).fill(bpm / 200),
    waveform: { length: 0, peaks: '' },
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
    elapsedMs: 1,
  };
}

/** Mutation bodies (name + args) over a tiny id space, so clients collide on the same fields. */
const opArb: fc.Arbitrary<{ name: Mutation['name']; args: unknown }> = fc.oneof(
  fc
    .record({
      h: fc.constantFrom(...HASHES),
      bpm: fc.integer({ min: 60, max: 180 }),
      name: fc.option(fc.constantFrom('a.wav', 'b.wav')),
    })
    .map(({ h, bpm, name }) => ({
      name: 'sample.upsertAnalysis' as const,
      args: { id: h, analysis: analysis(h, bpm), ...(name ? { name } : {}) },
    })),
  fc.record({ h: fc.constantFrom(...HASHES), v: fc.constantFrom('x', 'y', 'z') }).map(({ h, v }) => ({
    name: 'sample.setField' as const,
    args: { id: h, field: 'name', value: v },
  })),
  fc
    .record({ h: fc.constantFrom(...HASHES), v: fc.option(fc.integer({ min: 0, max: 5 })) })
    .map(({ h, v }) => ({
      name: 'sample.setField' as const,
      args: { id: h, field: 'rating', value: v },
    })),
  fc.record({ h: fc.constantFrom(...HASHES), v: fc.boolean() }).map(({ h, v }) => ({
    name: 'sample.setField' as const,
    args: { id: h, field: 'favorite', value: v },
  })),
  // The user's corrections: a few values and null (correction withdrawn), so clients collide.
  fc
    .record({ h: fc.constantFrom(...HASHES), v: fc.option(fc.constantFrom(90, 120.5, 174)) })
    .map(({ h, v }) => ({ name: 'sample.setField' as const, args: { id: h, field: 'bpm', value: v } })),
  fc
    .record({
      h: fc.constantFrom(...HASHES),
      v: fc.option(
        fc.record({ tonic: fc.constantFrom('C', 'F#', 'A'), scale: fc.constantFrom('major', 'minor') }),
      ),
    })
    .map(({ h, v }) => ({ name: 'sample.setField' as const, args: { id: h, field: 'key', value: v } })),
  fc
    .record({
      h: fc.constantFrom(...HASHES),
      v: fc.option(fc.constantFrom('snare', 'percussion', 'drum-loop')),
    })
    .map(({ h, v }) => ({ name: 'sample.setField' as const, args: { id: h, field: 'type', value: v } })),
  fc
    .record({ h: fc.constantFrom(...HASHES), t: fc.subarray(TAGS, { minLength: 1 }) })
    .map(({ h, t }) => ({ name: 'sample.addTags' as const, args: { id: h, tags: t } })),
  fc
    .record({ h: fc.constantFrom(...HASHES), t: fc.subarray(TAGS, { minLength: 1 }) })
    .map(({ h, t }) => ({ name: 'sample.removeTags' as const, args: { id: h, tags: t } })),
  fc
    .record({ h: fc.constantFrom(...HASHES), d: fc.option(fc.constantFrom('punchy', 'airy')) })
    .map(({ h, d }) => ({
      name: 'sample.setAiDescription' as const,
      args: { id: h, description: d, model: d ? 'm1' : null },
    })),
  fc.constantFrom(...HASHES).map((h) => ({ name: 'sample.delete' as const, args: { id: h } })),
  fc
    .option(fc.constantFrom('Drums', 'Keys'))
    .map((n) => ({ name: 'collection.upsert' as const, args: { id: 'c1', ...(n ? { name: n } : {}) } })),
  fc
    .subarray(HASHES, { minLength: 1 })
    .map((ids) => ({ name: 'collection.addMembers' as const, args: { id: 'c1', sampleIds: ids } })),
  fc
    .subarray(HASHES, { minLength: 1 })
    .map((ids) => ({ name: 'collection.removeMembers' as const, args: { id: 'c1', sampleIds: ids } })),
  fc.constant({ name: 'collection.delete' as const, args: { id: 'c1' } }),
);

/** Each client numbers its mutations 1..n and stamps them with its own (skewed, sometimes equal) clock. */
const clientsArb = fc
  .array(
    fc.record({
      ops: fc.array(opArb, { minLength: 1, maxLength: 12 }),
      start: fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_050 }),
      steps: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }),
    }),
    { minLength: 2, maxLength: 3 },
  )
  .map((clients) =>
    clients.map((c, ci) => {
      const clientId = `client-${ci}xxxxx`;
      let ms = c.start;
      let counter = 0;
      return c.ops.map((op, i) => {
        // Strictly increasing HLC per client: the counter moves when the clock does not.
        const step = c.steps[i];
        if (step === 0) counter++;
        else {
          ms += step;
          counter = 0;
        }
        const m = { clientId, mutationId: i + 1, hlc: `${ms}-${String(counter).padStart(4, '0')}`, ...op };
        return mutationSchema.parse(m);
      });
    }),
  );

const emptyState = (): BatchState => ({ clients: new Map(), samples: new Map(), collections: new Map() });

/** The client-visible state, minus server wall-clock times. */
function view(state: BatchState) {
  const samples = [...state.samples.values()]
    .map((d) => ({ ...toSyncSample(d), updatedAt: '' }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const collections = [...state.collections.values()]
    .map((d) => ({ ...toSyncCollection(d), updatedAt: '' }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return { samples, collections, clients: Object.fromEntries([...state.clients].sort()) };
}

/**
 * A hostile network: each delivery is a batch from one client holding some of its mutations
 * (possibly already applied, possibly past a gap, shuffled), until every mutation is applied.
 */
const scheduleArb = fc.array(
  fc.record({
    client: fc.nat(),
    from: fc.nat(),
    len: fc.integer({ min: 1, max: 6 }),
    shuffle: fc.boolean(),
    dup: fc.boolean(),
  }),
  { maxLength: 40 },
);

function deliver(
  perClient: Mutation[][],
  schedule: { client: number; from: number; len: number; shuffle: boolean; dup: boolean }[],
  apply: (batch: Mutation[]) => void,
  applied: () => Map<string, number>,
) {
  for (const d of schedule) {
    const muts = perClient[d.client % perClient.length];
    const from = d.from % muts.length;
    let batch = muts.slice(from, from + d.len);
    if (d.dup) batch = [...batch, ...batch];
    if (d.shuffle) batch = [...batch].reverse();
    apply(batch);
  }
  // Retransmit whatever is still unacknowledged, in order, as a real client outbox would.
  for (const muts of perClient) {
    const last = applied().get(muts[0].clientId) ?? 0;
    if (last < muts.length) apply(muts.slice(last));
  }
}

describe('sync conflict rule (property-based)', () => {
  it('every delivery order, with duplicates and reordering, converges to the same state', () => {
    fc.assert(
      fc.property(clientsArb, scheduleArb, scheduleArb, (perClient, s1, s2) => {
        const a = emptyState();
        const b = emptyState();
        deliver(
          perClient,
          s1,
          (batch) => reduceBatch(a, batch, 1),
          () => a.clients,
        );
        deliver(
          perClient,
          s2,
          (batch) => reduceBatch(b, batch, 2),
          () => b.clients,
        );
        // Reference: each client's mutations in order, clients one after another (reversed order).
        const c = emptyState();
        for (const muts of [...perClient].reverse()) reduceBatch(c, muts, 3);
        expect(view(a)).toEqual(view(c));
        expect(view(b)).toEqual(view(c));
        for (const muts of perClient) expect(a.clients.get(muts[0].clientId)).toBe(muts.length);
      }),
      { numRuns: 300 },
    );
  });

  it('the winner of each field is the write with the highest stamp, whatever the arrival order', () => {
    fc.assert(
      fc.property(clientsArb, (perClient) => {
        const state = emptyState();
        for (const muts of perClient) reduceBatch(state, muts, 1);
        const all = perClient.flat();
        const stamp = (m: Mutation) => `${m.hlc}~${m.clientId}~${String(m.mutationId).padStart(12, '0')}`;
        for (const h of HASHES) {
          const doc = state.samples.get(h);
          for (const field of ['rating', 'bpm', 'key', 'type'] as const) {
            const writes = all
              .filter((m) => m.name === 'sample.setField' && m.args.id === h && m.args.field === field)
              .sort((x, y) => (stamp(x) < stamp(y) ? -1 : 1));
            const shown = doc ? toSyncSample(doc)[field] : undefined;
            if (writes.length > 0) {
              const last = writes[writes.length - 1] as Extract<Mutation, { name: 'sample.setField' }>;
              expect(shown).toEqual(last.args.value);
            } else if (doc) {
              // Never corrected (or rated): the register keeps its default.
              expect(shown).toBeNull();
            }
          }
          for (const tag of TAGS) {
            const touching = all
              .filter(
                (m) =>
                  (m.name === 'sample.addTags' || m.name === 'sample.removeTags') &&
                  m.args.id === h &&
                  m.args.tags.includes(tag),
              )
              .sort((x, y) => (stamp(x) < stamp(y) ? -1 : 1));
            const present = touching.length > 0 && touching[touching.length - 1].name === 'sample.addTags';
            expect(doc ? toSyncSample(doc).tags.includes(tag) : false).toBe(present);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('converges the same way through the SQLite store (batches in one transaction)', async () => {
    await fc.assert(
      fc.asyncProperty(clientsArb, scheduleArb, async (perClient, schedule) => {
        const store = new SqliteDocumentStore(':memory:');
        const user = 'u1';
        const applied = new Map<string, number>();
        const batches: Mutation[][] = [];
        deliver(
          perClient,
          schedule,
          (b) => batches.push(b),
          () => applied,
        );
        // deliver() needs acknowledgements synchronously; replay its batches against the store, then finish.
        for (const b of batches) {
          const out = await store.pushBatch(user, b, (s) => reduceBatch(s, b, 1));
          for (const [c, n] of Object.entries(out.clients)) applied.set(c, n);
        }
        for (const muts of perClient) {
          const last = applied.get(muts[0].clientId) ?? 0;
          if (last < muts.length)
            await store.pushBatch(user, muts.slice(last), (s) => reduceBatch(s, muts.slice(last), 1));
        }
        const page = await store.pull(user, 0, 1000);
        const ref = emptyState();
        for (const muts of perClient) reduceBatch(ref, muts, 3);
        const got = {
          samples: page.samples
            .map((d) => ({ ...toSyncSample(d), updatedAt: '' }))
            .sort((a, b) => a.id.localeCompare(b.id)),
          collections: page.collections.map((d) => ({ ...toSyncCollection(d), updatedAt: '' })),
          clients: Object.fromEntries(Object.entries(page.clients).sort()),
        };
        expect(got).toEqual(view(ref));
        // The compact texts written with each batch are what the final documents render to.
        const compact = await store.pullCompact(user, 0, 1000);
        expect(compact.samples.map((t) => JSON.parse(t))).toEqual(
          page.samples.map((d) => JSON.parse(JSON.stringify(toSyncSample(d, 'compact')))),
        );
        await store.close();
      }),
      { numRuns: 60 },
    );
  });
});

describe('sync conflict rule (examples)', () => {
  const mk = (clientId: string, mutationId: number, hlc: string, name: Mutation['name'], args: unknown) =>
    mutationSchema.parse({ clientId, mutationId, hlc, name, args });
  const h = HASHES[0];

  it('a later clock wins even when it arrives first', () => {
    const s = emptyState();
    reduceBatch(
      s,
      [mk('phone-xxxx', 1, '1700000000002-0000', 'sample.setField', { id: h, field: 'name', value: 'new' })],
      1,
    );
    reduceBatch(
      s,
      [mk('laptop-xxx', 1, '1700000000001-0000', 'sample.setField', { id: h, field: 'name', value: 'old' })],
      1,
    );
    expect(s.samples.get(h)!.name.v).toBe('new');
  });

  it('updatedAt is never behind a stamp the document holds, so devices can move their clocks past it', () => {
    const s = emptyState();
    const now = 1_700_000_000_000;
    const fast = now + 5 * 60_000; // a device whose clock runs five minutes ahead
    reduceBatch(
      s,
      [mk('fastclock', 1, `${fast}-0000`, 'sample.setField', { id: h, field: 'rating', value: 4 })],
      now,
    );
    expect(s.samples.get(h)!.updatedAt).toBe(fast);
    // A later, honest write of another field must not move it back.
    reduceBatch(
      s,
      [
        mk('honestclk', 1, `${now + 1000}-0000`, 'sample.setField', {
          id: h,
          field: 'favorite',
          value: true,
        }),
      ],
      now + 1000,
    );
    expect(s.samples.get(h)!.updatedAt).toBe(fast);
    // A device that moved its clock past it wins the same field.
    reduceBatch(
      s,
      [mk('honestclk', 2, `${fast}-0001`, 'sample.setField', { id: h, field: 'rating', value: 2 })],
      now + 2000,
    );
    expect(s.samples.get(h)!.rating.v).toBe(2);
    // Plain server time when every stamp is in the past.
    const c = emptyState();
    reduceBatch(
      c,
      [mk('honestclk', 1, `${now - 10}-0000`, 'collection.upsert', { id: 'c1', name: 'Kicks' })],
      now,
    );
    expect(c.collections.get('c1')!.updatedAt).toBe(now);
  });

  it('equal clocks are settled by client id, the same everywhere', () => {
    const a = mk('client-a-xx', 1, '1700000000001-0000', 'sample.setField', {
      id: h,
      field: 'notes',
      value: 'A',
    });
    const b = mk('client-b-xx', 1, '1700000000001-0000', 'sample.setField', {
      id: h,
      field: 'notes',
      value: 'B',
    });
    const s1 = emptyState();
    reduceBatch(s1, [a, b], 1);
    const s2 = emptyState();
    reduceBatch(s2, [b, a], 1);
    expect(s1.samples.get(h)!.notes.v).toBe('B');
    expect(s2.samples.get(h)!.notes.v).toBe('B');
  });

  it('a tag removed after it was added is gone; re-added later it is back; other tags are untouched', () => {
    const s = emptyState();
    reduceBatch(
      s,
      [
        mk('c1-xxxxxx', 1, '1700000000001-0000', 'sample.addTags', { id: h, tags: ['Dark', 'warm'] }),
        mk('c1-xxxxxx', 2, '1700000000003-0000', 'sample.removeTags', { id: h, tags: ['dark'] }),
        mk('c2-xxxxxx', 1, '1700000000002-0000', 'sample.addTags', { id: h, tags: ['dark'] }),
      ],
      1,
    );
    expect(toSyncSample(s.samples.get(h)!).tags).toEqual(['warm']);
    reduceBatch(
      s,
      [mk('c2-xxxxxx', 2, '1700000000004-0000', 'sample.addTags', { id: h, tags: ['dark'] })],
      1,
    );
    expect(toSyncSample(s.samples.get(h)!).tags).toEqual(['dark', 'warm']);
  });

  it('delete is a tombstone; a newer upsertAnalysis revives the sample with its fields intact', () => {
    const s = emptyState();
    reduceBatch(
      s,
      [
        mk('c1-xxxxxx', 1, '1700000000001-0000', 'sample.upsertAnalysis', {
          id: h,
          analysis: analysis(h, 100),
          name: 'k.wav',
        }),
        mk('c1-xxxxxx', 2, '1700000000002-0000', 'sample.setField', { id: h, field: 'rating', value: 5 }),
        mk('c1-xxxxxx', 3, '1700000000003-0000', 'sample.delete', { id: h }),
      ],
      1,
    );
    expect(s.samples.get(h)!.deleted.v).toBe(true);
    // An older re-analysis does not undo the delete ...
    reduceBatch(
      s,
      [
        mk('c2-xxxxxx', 1, '1700000000002-0005', 'sample.upsertAnalysis', {
          id: h,
          analysis: analysis(h, 90),
        }),
      ],
      1,
    );
    expect(s.samples.get(h)!.deleted.v).toBe(true);
    // ... a newer one does.
    reduceBatch(
      s,
      [
        mk('c2-xxxxxx', 2, '1700000000009-0000', 'sample.upsertAnalysis', {
          id: h,
          analysis: analysis(h, 120),
        }),
      ],
      1,
    );
    const d = toSyncSample(s.samples.get(h)!);
    expect(d.deleted).toBe(false);
    expect(d.rating).toBe(5);
    expect(d.name).toBe('k.wav');
    expect(d.analysis?.tempo.bpm).toBe(120);
  });

  it('corrections are registers of their own: a re-analysis keeps them, null withdraws them', () => {
    const s = emptyState();
    reduceBatch(
      s,
      [
        mk('c1-xxxxxx', 1, '1700000000001-0000', 'sample.upsertAnalysis', {
          id: h,
          analysis: analysis(h, 100),
        }),
        mk('c1-xxxxxx', 2, '1700000000002-0000', 'sample.setField', { id: h, field: 'bpm', value: 200 }),
        mk('c1-xxxxxx', 3, '1700000000003-0000', 'sample.setField', {
          id: h,
          field: 'key',
          value: { tonic: 'Eb', scale: 'major' },
        }),
        mk('c1-xxxxxx', 4, '1700000000004-0000', 'sample.setField', { id: h, field: 'type', value: 'snare' }),
        mk('c2-xxxxxx', 1, '1700000000005-0000', 'sample.upsertAnalysis', {
          id: h,
          analysis: analysis(h, 101),
        }),
      ],
      1,
    );
    expect(toSyncSample(s.samples.get(h)!)).toMatchObject({
      bpm: 200,
      key: { tonic: 'Eb', scale: 'major' },
      type: 'snare',
      analysis: { tempo: { bpm: 101 } },
    });
    reduceBatch(
      s,
      [mk('c2-xxxxxx', 2, '1700000000006-0000', 'sample.setField', { id: h, field: 'key', value: null })],
      1,
    );
    expect(toSyncSample(s.samples.get(h)!)).toMatchObject({ bpm: 200, key: null, type: 'snare' });
  });

  it('a key corrected to "none" is kept as such and hides the analysed key in lists and search', () => {
    const s = emptyState();
    const keyed = {
      ...analysis(h, 100),
      key: { tonic: 'A' as const, scale: 'minor' as const, camelot: '8A', confidence: 0.4 },
    };
    reduceBatch(
      s,
      [
        mk('c1-xxxxxx', 1, '1700000000001-0000', 'sample.upsertAnalysis', { id: h, analysis: keyed }),
        mk('c1-xxxxxx', 2, '1700000000002-0000', 'sample.setField', { id: h, field: 'key', value: 'none' }),
      ],
      1,
    );
    const doc = s.samples.get(h)!;
    expect(toSyncSample(doc)).toMatchObject({ key: 'none', analysis: { key: { tonic: 'A' } } });
    expect(toSummary(doc)).toMatchObject({ keyTonic: null, keyScale: null, camelot: null });
    expect(matchesFilters(toRow(doc), { key: 'A' })).toBe(false);
    // It survives a store round trip, and withdrawing it brings the analysed key back.
    expect(toSyncSample(parseSampleDoc(JSON.stringify(doc))).key).toBe('none');
    reduceBatch(
      s,
      [mk('c2-xxxxxx', 1, '1700000000003-0000', 'sample.setField', { id: h, field: 'key', value: null })],
      1,
    );
    expect(toSummary(s.samples.get(h)!)).toMatchObject({ keyTonic: 'A', keyScale: 'minor', camelot: '8A' });
    expect(matchesFilters(toRow(s.samples.get(h)!), { key: 'A' })).toBe(true);
    // The wire accepts exactly the three forms.
    const setKey = (value: unknown) =>
      mutationSchema.safeParse({
        clientId: 'c1-xxxxxx',
        mutationId: 1,
        hlc: '1700000000004-0000',
        name: 'sample.setField',
        args: { id: h, field: 'key', value },
      }).success;
    expect([setKey('none'), setKey(null), setKey({ tonic: 'C', scale: 'major' }), setKey('None')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('a document stored before the corrections existed reads with empty ones and takes new ones', () => {
    const stored = emptySample(h, 1) as Partial<SampleDoc>;
    delete stored.bpm;
    delete stored.key;
    delete stored.type;
    const doc = parseSampleDoc(JSON.stringify(stored));
    expect(toSyncSample(doc)).toMatchObject({ bpm: null, key: null, type: null });
    const s = emptyState();
    s.samples.set(h, doc);
    reduceBatch(
      s,
      [mk('c1-xxxxxx', 1, '1700000000001-0000', 'sample.setField', { id: h, field: 'bpm', value: 87 })],
      1,
    );
    expect(s.samples.get(h)!.bpm).toEqual({ v: 87, t: expect.stringContaining('c1-xxxxxx') });
  });

  it('rejects gaps and skips repeats, per client', () => {
    const s = emptyState();
    const out = reduceBatch(
      s,
      [
        mk('c1-xxxxxx', 2, '1700000000002-0000', 'sample.setField', {
          id: h,
          field: 'favorite',
          value: true,
        }),
        mk('c1-xxxxxx', 1, '1700000000001-0000', 'sample.setField', {
          id: h,
          field: 'favorite',
          value: false,
        }),
        mk('c1-xxxxxx', 1, '1700000000001-0000', 'sample.setField', {
          id: h,
          field: 'favorite',
          value: false,
        }),
        mk('c2-xxxxxx', 1, '1700000000001-0000', 'sample.addTags', { id: h, tags: ['x'] }),
      ],
      1,
    );
    expect(out.results.map((r) => r.status)).toEqual(['rejected', 'applied', 'duplicate', 'applied']);
    expect(out.results[0].reason).toMatch(/expected mutationId 1/);
    expect(s.samples.get(h)!.favorite.v).toBe(false);
  });

  it('collection membership is an add/remove set; delete hides the collection but keeps the record', () => {
    const s = emptyState();
    reduceBatch(
      s,
      [
        mk('c1-xxxxxx', 1, '1700000000001-0000', 'collection.upsert', {
          id: 'c1',
          name: 'Drums',
          color: '#ff0000',
        }),
        mk('c1-xxxxxx', 2, '1700000000002-0000', 'collection.addMembers', { id: 'c1', sampleIds: HASHES }),
        mk('c1-xxxxxx', 3, '1700000000003-0000', 'collection.removeMembers', {
          id: 'c1',
          sampleIds: [HASHES[1]],
        }),
        mk('c1-xxxxxx', 4, '1700000000004-0000', 'collection.delete', { id: 'c1' }),
      ],
      1,
    );
    const c = toSyncCollection(s.collections.get('c1')!);
    expect(c).toMatchObject({ deleted: true, name: 'Drums', color: '#ff0000', sampleIds: [HASHES[0]] });
  });
});
