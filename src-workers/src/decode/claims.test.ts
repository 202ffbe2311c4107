import { describe, expect, it } from 'vitest';
import { ByteWriter, concatBytes, utf8Bytes } from '../testing/bytes-writer';
import { vorbisCommentBlock } from '../testing/flac-writer';
import { id3v2 } from '../testing/id3-writer';
import { note } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { ClaimsBuilder } from './claims-builder';
import { addId3Claims, id3v2Length, readId3Frames } from './id3';
import { openAudio } from './index';
import { parseKeyText } from './key-text';
import { readVorbisComments } from './vorbis-comment';

describe('keys written in metadata fields', () => {
  const good: [string, string, 'major' | 'minor'][] = [
    ['Am', 'A', 'minor'],
    ['F#m', 'F#', 'minor'],
    ['Gbm', 'F#', 'minor'],
    ['C', 'C', 'major'],
    ['Ebmin', 'Eb', 'minor'],
    ['D#min', 'Eb', 'minor'],
    ['A minor', 'A', 'minor'],
    ['Bb major', 'Bb', 'major'],
    ['c#', 'Db', 'major'],
    ['f#m', 'F#', 'minor'],
    ['Cmaj', 'C', 'major'],
    ['E♭m', 'Eb', 'minor'],
    ['G♯', 'Ab', 'major'],
    ['Cb', 'B', 'major'],
    ['B#m', 'C', 'minor'],
    ['8A', 'A', 'minor'],
    ['8B', 'C', 'major'],
    ['12A', 'Db', 'minor'],
    ['1B', 'B', 'major'],
    ['4A', 'F', 'minor'],
    ['1m', 'A', 'minor'],
    ['1d', 'C', 'major'],
    ['2d', 'G', 'major'],
    ['Am (8A)', 'A', 'minor'],
    ['  Dm  ', 'D', 'minor'],
  ];
  for (const [text, tonic, scale] of good) {
    it(`"${text}" → ${tonic} ${scale}`, () => expect(parseKeyText(text)).toEqual({ tonic, scale }));
  }
  for (const text of [
    '',
    'o',
    'off',
    'H',
    'X minor',
    'Am7',
    'Cmaj7',
    '13A',
    '0B',
    'none',
    'Key: A',
    'A dorian',
    'Hm',
  ]) {
    it(`"${text}" is not a key`, () => expect(parseKeyText(text)).toBeNull());
  }
});

describe('ID3v2', () => {
  it('measures the tag length, footer included', () => {
    const tag = id3v2({ TIT2: 'x' });
    expect(id3v2Length(tag)).toBe(tag.length);
    const withFooter = tag.slice();
    withFooter[5] |= 0x10;
    expect(id3v2Length(withFooter)).toBe(tag.length + 10);
    expect(id3v2Length(utf8Bytes('ID3\x04\x00\x00\x80\x00\x00\x00'))).toBe(0); // size not syncsafe
  });

  it('reads ID3v2.2 three-letter frames', () => {
    const frame = (id: string, text: string) => {
      const body = concatBytes(new Uint8Array([0]), utf8Bytes(text));
      return concatBytes(utf8Bytes(id), new Uint8Array([0, 0, body.length]), body);
    };
    const frames = concatBytes(frame('TBP', '100'), frame('TT2', 'Old'), frame('TKE', 'Gm'));
    const tag = concatBytes(
      new ByteWriter().ascii('ID3').u8(2).u8(0).u8(0).bytes([0, 0, 0, frames.length]).result(),
      frames,
    );
    const claims = new ClaimsBuilder();
    addId3Claims(tag, claims);
    expect(claims.claims).toMatchObject({ bpm: 100, title: 'Old', key: { tonic: 'G', scale: 'minor' } });
  });

  it('undoes whole-tag unsynchronisation (v2.3)', () => {
    const body = concatBytes(new Uint8Array([0]), utf8Bytes('120'));
    const frame = concatBytes(utf8Bytes('TBPM'), new Uint8Array([0, 0, 0, body.length, 0, 0]), body);
    // Insert an unsync 00 after an FF inside a padding area the parser must skip over correctly.
    const unsynced = concatBytes(frame, new Uint8Array([0xff, 0x00, 0x00]));
    const tag = concatBytes(
      new ByteWriter().ascii('ID3').u8(3).u8(0).u8(0x80).bytes([0, 0, 0, unsynced.length]).result(),
      unsynced,
    );
    expect(readId3Frames(tag).get('TBPM')).toBeDefined();
  });

  it('stops at a frame whose size overruns the tag, keeping the frames before it', () => {
    const tag = id3v2({ TBPM: '140', TIT2: 'Title' });
    const broken = tag.slice();
    const tit2 = 10 + 10 + 4; // tag header, then TBPM's header and its 4-byte body
    expect(String.fromCharCode(...broken.subarray(tit2, tit2 + 4))).toBe('TIT2');
    broken[tit2 + 4] = 0x7f; // syncsafe size far past the tag
    const claims = new ClaimsBuilder();
    addId3Claims(broken, claims);
    expect(claims.claims.bpm).toBe(140);
    expect(claims.claims.title).toBeUndefined();
  });

  it('ignores implausible tempos and iTunes machine comments', () => {
    const claims = new ClaimsBuilder();
    addId3Claims(id3v2({ TBPM: '0', TKEY: 'o' }, { comment: 'x' }), claims);
    expect(claims.claims.bpm).toBeUndefined();
    expect(claims.claims.key).toBeUndefined();
    expect(claims.claims.comment).toBe('x');
  });

  it('reads TXXX BPM and KEY when the standard frames are missing', () => {
    const txxx = (description: string, value: string) =>
      concatBytes(new Uint8Array([3]), utf8Bytes(description), new Uint8Array([0]), utf8Bytes(value));
    const frames = [txxx('BPM', '95'), txxx('initialkey', 'Fm')].map((body) =>
      concatBytes(utf8Bytes('TXXX'), new Uint8Array([0, 0, 0, body.length, 0, 0]), body),
    );
    const all = concatBytes(...frames);
    const tag = concatBytes(
      new ByteWriter().ascii('ID3').u8(4).u8(0).u8(0).bytes([0, 0, 0, all.length]).result(),
      all,
    );
    const claims = new ClaimsBuilder();
    addId3Claims(tag, claims);
    expect(claims.claims).toMatchObject({ bpm: 95, key: { tonic: 'F', scale: 'minor' } });
  });
});

describe('Vorbis comments', () => {
  it('reads names case-insensitively and survives a damaged count', () => {
    const block = vorbisCommentBlock({ bpm: '128', Title: 'x', KEY: 'C#m' });
    const c = readVorbisComments(block);
    expect(c.get('BPM')).toEqual(['128']);
    expect(c.get('TITLE')).toEqual(['x']);
    const damaged = block.slice();
    new DataView(damaged.buffer).setUint32(4 + 15, 0xffffffff, true); // count: after the 15-byte vendor
    expect(readVorbisComments(damaged).get('BPM')).toEqual(['128']);
  });
});

describe('RIFF metadata chunks', () => {
  const x = note(60, 0.05);

  it('acid: a loop with tempo and root note', async () => {
    const source = await openAudio(encodeWav([x], 44100, { acid: { tempo: 126, beats: 8, rootNote: 57 } }));
    expect(source.claimed).toMatchObject({
      bpm: 126,
      isLoop: true,
      rootNote: 57,
      sources: { bpm: 'acid', isLoop: 'acid', rootNote: 'acid' },
    });
  });

  it('acid: a one-shot claims no tempo, and the root note only when its flag is set', async () => {
    const source = await openAudio(encodeWav([x], 44100, { acid: { oneShot: true, tempo: 120 } }));
    expect(source.claimed.isLoop).toBe(false);
    expect(source.claimed.bpm).toBeUndefined();
    expect(source.claimed.rootNote).toBeUndefined();
  });

  it('smpl: unity note and loops, end made exclusive', async () => {
    const source = await openAudio(
      encodeWav([x], 44100, { smpl: { unityNote: 48, loops: [{ start: 10, end: 2000 }] } }),
    );
    expect(source.claimed).toMatchObject({
      rootNote: 48,
      loopPoints: [{ start: 10, end: 2001 }],
      sources: { rootNote: 'smpl' },
    });
  });

  it('acid root note wins over smpl; ID3 tempo loses to acid', async () => {
    const source = await openAudio(
      encodeWav([x], 44100, {
        acid: { tempo: 100, rootNote: 60 },
        smpl: { unityNote: 62 },
        id3: id3v2({ TBPM: '50', TKEY: 'Am' }),
      }),
    );
    expect(source.claimed).toMatchObject({
      bpm: 100,
      rootNote: 60,
      key: { tonic: 'A', scale: 'minor' },
      sources: { key: 'id3' },
    });
  });

  it('LIST/INFO: UTF-8 and Latin-1 text', async () => {
    const source = await openAudio(
      encodeWav([x], 44100, { info: { INAM: 'Café loop', IART: 'Zoë', IGNR: 'Techno', ICMT: 'ok' } }),
    );
    expect(source.claimed).toMatchObject({
      title: 'Café loop',
      artist: 'Zoë',
      genre: 'Techno',
      comment: 'ok',
      sources: { title: 'info' },
    });
    const latin = encodeWav([x], 44100, { info: { INAM: 'Cafe' } });
    const at = latin.indexOf(0x43); // "C" of Cafe... replace "e" with Latin-1 é
    latin[at + 3] = 0xe9;
    expect((await openAudio(latin)).claimed.title).toBe('Café');
  });

  it('bext description is a comment fallback', async () => {
    const source = await openAudio(encodeWav([x], 44100, { bext: 'Recorded at home' }));
    expect(source.claimed).toMatchObject({ comment: 'Recorded at home', sources: { comment: 'bext' } });
  });
});
