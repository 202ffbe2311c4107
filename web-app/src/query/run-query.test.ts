import { beforeEach, describe, expect, it } from 'vitest';
import { LibraryIndex } from '../state/library-index';
import { fileRow, summary } from '../testing/rows';
import { parseKeyLabel } from './keys';
import { runQuery } from './run-query';
import { SortCache } from './sort';
import { DEFAULT_QUERY, type ViewQuery } from './view-query';

let index: LibraryIndex;
const names = (q: Partial<ViewQuery>) => {
  const res = runQuery(index, { ...DEFAULT_QUERY, ...q }, new SortCache());
  return Array.from(res.rows, (r) => index.name[r]);
};

beforeEach(() => {
  index = new LibraryIndex();
  const rows = [
    fileRow('Drums/Kicks/Kick Deep.wav', { summary: summary({ type: 'kick', durationSec: 0.4, lufs: -8 }) }),
    fileRow('Drums/Kicks/Kick Tight.wav', {
      summary: summary({ type: 'kick', durationSec: 0.2, lufs: -10 }),
    }),
    fileRow('Drums/Snare 1.wav', { summary: summary({ type: 'snare', durationSec: 0.3, lufs: -11 }) }),
    fileRow('Loops/Funk 120.wav', {
      summary: summary({ type: 'drum-loop', bpm: 120, isLoop: true, durationSec: 8, lufs: -14 }),
    }),
    fileRow('Loops/Half 70.wav', {
      summary: summary({ type: 'drum-loop', bpm: 70, isLoop: true, durationSec: 6.9, lufs: -16 }),
    }),
    fileRow('Keys/Pad Am.wav', {
      summary: summary({
        type: 'melodic',
        tonic: 'A',
        scale: 'minor',
        durationSec: 4,
        lufs: null,
        rootNote: 57,
      }),
    }),
    fileRow('Keys/Pad C.wav', {
      summary: summary({
        type: 'melodic',
        tonic: 'C',
        scale: 'major',
        durationSec: 4,
        lufs: -20,
        rootNote: 48,
      }),
    }),
    fileRow('Keys/Pad F#.wav', {
      summary: summary({
        type: 'melodic',
        tonic: 'F#',
        scale: 'major',
        durationSec: 4,
        lufs: -19,
        rootNote: 54,
      }),
    }),
    // Synced from another device: no audio here, still listed and searchable.
    fileRow('Synced/Shaker Far.wav', { status: 'remote', summary: summary({ type: 'percussion' }) }),
    fileRow('Inbox/new.wav', { status: 'queued', summary: null, contentHash: null }),
  ];
  for (const r of rows) index.upsertFile(r);
});

describe('runQuery filters', () => {
  it('combines type and duration filters', () => {
    expect(names({ types: ['kick'], durMax: 0.3, sort: 'name', desc: false })).toEqual(['Kick Tight.wav']);
  });

  it('matches every search token against name, path and tags', () => {
    expect(names({ text: 'kick', sort: 'name', desc: false })).toEqual(['Kick Deep.wav', 'Kick Tight.wav']);
    expect(names({ text: 'drums deep' })).toEqual(['Kick Deep.wav']);
    expect(names({ text: 'KEYS pad c' })).toEqual(['Pad C.wav']);
  });

  it('widens a key to its Camelot neighbours only when asked', () => {
    expect(names({ keys: [parseKeyLabel('Am')] })).toEqual(['Pad Am.wav']);
    expect(names({ keys: [parseKeyLabel('Am')], compatible: true, sort: 'name', desc: false })).toEqual([
      'Pad Am.wav',
      'Pad C.wav',
    ]);
  });

  it('finds half- and double-time loops when the toggle is on', () => {
    expect(names({ bpmMin: 138, bpmMax: 142 })).toEqual([]);
    expect(names({ bpmMin: 138, bpmMax: 142, halfDouble: true })).toEqual(['Half 70.wav']);
    expect(names({ bpmMin: 58, bpmMax: 62, halfDouble: true })).toEqual(['Funk 120.wav']);
  });

  it('filters loops, folders, status and favourites', () => {
    expect(names({ loop: 'loop', sort: 'name', desc: false })).toEqual(['Funk 120.wav', 'Half 70.wav']);
    expect(names({ folder: 'Drums/Kicks', sort: 'name', desc: false })).toEqual([
      'Kick Deep.wav',
      'Kick Tight.wav',
    ]);
    expect(names({ folder: 'Drums', sort: 'name', desc: false })).toHaveLength(3);
    expect(names({ status: 'queued' })).toEqual(['new.wav']);
    expect(names({ status: 'remote' })).toEqual(['Shaker Far.wav']);
    expect(names({ text: 'shaker', status: 'any' })).toEqual(['Shaker Far.wav']);
    const row = index.rowOfFile(index.fileId[2]);
    index.applyEdit(index.fileId[row], { fileId: index.fileId[row], favourite: true, updatedAt: 1 });
    expect(names({ status: 'favourites' })).toEqual(['Snare 1.wav']);
  });

  it('requires all selected tags and searches tag names', () => {
    index.setTagNames([
      { id: 1, name: 'dusty' },
      { id: 2, name: 'punchy' },
    ]);
    index.applyEdit(index.fileId[0], { fileId: index.fileId[0], tags: [1, 2], updatedAt: 1 });
    index.applyEdit(index.fileId[1], { fileId: index.fileId[1], tags: [2], updatedAt: 1 });
    expect(names({ tags: [2], sort: 'name', desc: false })).toEqual(['Kick Deep.wav', 'Kick Tight.wav']);
    expect(names({ tags: [1, 2] })).toEqual(['Kick Deep.wav']);
    expect(names({ text: 'dusty' })).toEqual(['Kick Deep.wav']);
  });

  it('uses the user override instead of the measured value', () => {
    const id = index.fileId[3];
    index.applyEdit(id, { fileId: id, bpm: 60, updatedAt: 1 });
    expect(names({ bpmMin: 59, bpmMax: 61 })).toEqual(['Funk 120.wav']);
    index.applyEdit(id, { fileId: id, type: 'fx', updatedAt: 1 });
    expect(names({ types: ['fx'] })).toEqual(['Funk 120.wav']);
  });

  it('counts each facet value ignoring only that facet', () => {
    const res = runQuery(index, { ...DEFAULT_QUERY, types: ['kick'], text: 'drums' }, new SortCache());
    expect(res.rows).toHaveLength(2);
    // Type counts ignore the type filter but keep the text filter: 2 kicks and 1 snare under Drums/.
    expect(res.typeCounts[0]).toBe(2);
    expect(res.typeCounts[1]).toBe(1);
    expect(res.loopCounts).toEqual([2, 0]);
  });
});

describe('runQuery sorting', () => {
  it('sorts numbers both ways with missing values last', () => {
    expect(names({ sort: 'lufs', desc: false, types: ['melodic'] })).toEqual([
      'Pad C.wav',
      'Pad F#.wav',
      'Pad Am.wav',
    ]);
    expect(names({ sort: 'lufs', desc: true, types: ['melodic'] })).toEqual([
      'Pad F#.wav',
      'Pad C.wav',
      'Pad Am.wav',
    ]);
    expect(names({ sort: 'bpm', desc: true }).slice(0, 2)).toEqual(['Funk 120.wav', 'Half 70.wav']);
  });

  it('sorts names case-insensitively and keys along the Camelot wheel', () => {
    expect(names({ sort: 'name', desc: false, folder: 'Keys' })).toEqual([
      'Pad Am.wav',
      'Pad C.wav',
      'Pad F#.wav',
    ]);
    // Camelot: F# major = 2B, A minor = 8A, C major = 8B.
    expect(names({ sort: 'key', desc: false, folder: 'Keys' })).toEqual([
      'Pad F#.wav',
      'Pad Am.wav',
      'Pad C.wav',
    ]);
  });

  it('sorts by date added, newest first by default', () => {
    expect(names({})[0]).toBe('new.wav');
    expect(names({ desc: false })[0]).toBe('Kick Deep.wav');
  });

  it('re-sorts after the values change', () => {
    const sorts = new SortCache();
    const before = runQuery(index, { ...DEFAULT_QUERY, sort: 'duration', desc: false }, sorts);
    expect(index.name[before.rows[0]]).toBe('Kick Tight.wav');
    const id = index.fileId[0];
    index.upsertFile(fileRow('Drums/Kicks/Kick Deep.wav', { id, summary: summary({ durationSec: 0.01 }) }));
    const after = runQuery(index, { ...DEFAULT_QUERY, sort: 'duration', desc: false }, sorts);
    expect(index.name[after.rows[0]]).toBe('Kick Deep.wav');
  });
});

describe('outdated analyses', () => {
  it('finds files analysed by an older analyser version, until they are analysed again', async () => {
    const { ANALYSER_VERSION } = await import('@samplemind/contract');
    const ix = new LibraryIndex();
    const old = fileRow('old.wav', { analyserVersion: '0.9.0' });
    ix.upsertFile(old);
    ix.upsertFile(fileRow('new.wav', { analyserVersion: ANALYSER_VERSION }));
    const q = { ...DEFAULT_QUERY, status: 'outdated' as const };
    expect(Array.from(runQuery(ix, q, new SortCache()).rows, (r) => ix.name[r])).toEqual(['old.wav']);
    ix.patchFile(old.id!, { analyserVersion: ANALYSER_VERSION });
    expect(runQuery(ix, q, new SortCache()).rows).toHaveLength(0);
  });
});
