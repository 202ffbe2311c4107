import { describe, expect, it } from 'vitest';
import { AnalysisFailure } from '../errors';
import { asciiBytes, concatBytes } from '../testing/bytes-writer';
import { id3v2 } from '../testing/id3-writer';
import { encodeMp3, encodeOggVorbis, readOggPages, writeOggPages } from '../testing/lossy-writer';
import { db, decodeAll, peakFrequency, toneAmplitude } from '../testing/measure';
import { noiseBurst, note, sine } from '../testing/synth';
import { openAudio } from './index';

async function failure(bytes: Uint8Array): Promise<AnalysisFailure> {
  try {
    await decodeAll(await openAudio(bytes));
  } catch (err) {
    expect(err).toBeInstanceOf(AnalysisFailure);
    return err as AnalysisFailure;
  }
  throw new Error('expected the file to be refused');
}

/** Pitch and level of a decoded steady tone, measured in its middle (clear of codec delay and edges). */
function pitchAndLevel(x: Float32Array, hz: number, sampleRate: number) {
  const from = Math.floor(x.length * 0.25);
  const to = Math.floor(x.length * 0.75);
  return {
    hz: peakFrequency(x.subarray(from, to), sampleRate),
    amplitude: toneAmplitude(x, hz, sampleRate, from, to),
  };
}

describe('MP3', () => {
  for (const [rate, channelCount] of [
    [44100, 1],
    [44100, 2],
    [48000, 2],
    [22050, 1],
    [16000, 2],
    [8000, 1],
  ] as const) {
    it(`${rate} Hz, ${channelCount} channel(s): pitch, level and length survive`, async () => {
      const tone = sine(440, 1, { sampleRate: rate, amplitude: 0.5 });
      const input = Array.from({ length: channelCount }, () => tone);
      const source = await openAudio(await encodeMp3(input, rate), { fileName: 'x.mp3' });
      expect(source.info).toMatchObject({
        container: 'mp3',
        codec: 'mp3',
        sampleRate: rate,
        channels: channelCount,
        bitDepth: null,
      });
      const { channels, frames, chunkSizes } = await decodeAll(source);
      expect(channels).toHaveLength(channelCount);
      expect(Math.max(...chunkSizes)).toBeLessThanOrEqual(65536);
      // No Xing header: encoder delay and padding stay in, at most about two frames.
      expect(frames).toBeGreaterThanOrEqual(rate);
      expect(frames).toBeLessThan(rate + 2 * 1152 + 600);
      const { hz, amplitude } = pitchAndLevel(channels[channelCount - 1], 440, rate);
      expect(Math.abs(hz - 440)).toBeLessThan(1);
      expect(Math.abs(db(amplitude / 0.5))).toBeLessThan(1);
      expect(source.isTruncated).toBe(false);
    });
  }

  it('reads ID3v2.3 (UTF-16) and ID3v2.4 (UTF-8) frames, TXXX and COMM', async () => {
    const audio = await encodeMp3([note(60, 0.3)], 44100);
    for (const version of [3, 4] as const) {
      const tag = id3v2(
        { TBPM: '128', TKEY: 'Ebm', TIT2: 'Tïtle', TPE1: 'Ärtist', TCON: '(7)' },
        { version, comment: 'hello' },
      );
      const source = await openAudio(concatBytes(tag, audio));
      expect(source.claimed).toMatchObject({
        bpm: 128,
        key: { tonic: 'Eb', scale: 'minor' },
        title: 'Tïtle',
        artist: 'Ärtist',
        genre: 'Hip-Hop',
        comment: 'hello',
        sources: { bpm: 'id3', key: 'id3', title: 'id3' },
      });
      expect((await decodeAll(source)).frames).toBeGreaterThan(0.3 * 44100);
    }
    const txxx = id3v2({});
    expect(txxx.length).toBe(10);
  });

  it('reads an ID3v1 tag at the end as a fallback', async () => {
    const audio = await encodeMp3([note(60, 0.3)], 44100);
    const v1 = new Uint8Array(128);
    v1.set(asciiBytes('TAG'));
    v1.set(asciiBytes('Old title'), 3);
    v1.set(asciiBytes('Old artist'), 33);
    const source = await openAudio(concatBytes(audio, v1));
    expect(source.claimed).toMatchObject({
      title: 'Old title',
      artist: 'Old artist',
      sources: { title: 'id3v1' },
    });
  });

  it('a file cut mid-frame decodes what is there and is flagged truncated', async () => {
    const mp3 = await encodeMp3([sine(440, 2, { amplitude: 0.5 })], 44100, { bitrate: 128 });
    const source = await openAudio(mp3.subarray(0, Math.floor(mp3.length * 0.4) + 7));
    const { frames, channels } = await decodeAll(source);
    expect(frames).toBeGreaterThan(0.7 * 44100);
    expect(frames).toBeLessThan(0.9 * 44100);
    expect(source.isTruncated).toBe(true);
    expect(Math.abs(pitchAndLevel(channels[0], 440, 44100).hz - 440)).toBeLessThan(1.5);
  });

  it('an ID3 tag followed by no audio is refused', async () => {
    expect((await failure(id3v2({ TIT2: 'nothing' }))).code).toBe('empty');
    const err = await failure(
      concatBytes(id3v2({ TIT2: 'x' }), asciiBytes('not audio at all, just some words'.repeat(10))),
    );
    expect(err.code).toBe('unsupported-format');
  });
});

describe('Ogg Vorbis', () => {
  for (const [rate, channelCount] of [
    [44100, 1],
    [48000, 2],
    [22050, 2],
  ] as const) {
    it(`${rate} Hz, ${channelCount} channel(s): pitch, level and exact length survive`, async () => {
      const tone = sine(440, 1, { sampleRate: rate, amplitude: 0.5 });
      const source = await openAudio(
        await encodeOggVorbis(
          Array.from({ length: channelCount }, () => tone),
          rate,
        ),
      );
      expect(source.info).toMatchObject({
        container: 'ogg',
        codec: 'vorbis',
        sampleRate: rate,
        channels: channelCount,
      });
      expect(source.info.declaredFrames).toBe(rate);
      const { channels, frames, chunkSizes } = await decodeAll(source);
      expect(frames).toBe(rate); // the granule position trims the last packet exactly
      expect(Math.max(...chunkSizes)).toBeLessThanOrEqual(65536);
      const { hz, amplitude } = pitchAndLevel(channels[channelCount - 1], 440, rate);
      expect(Math.abs(hz - 440)).toBeLessThan(1);
      expect(Math.abs(db(amplitude / 0.5))).toBeLessThan(1);
      expect(source.isTruncated).toBe(false);
    });
  }

  it('reads Vorbis comments', async () => {
    const ogg = await encodeOggVorbis([note(60, 0.3)], 44100, {
      comments: { TEMPO: '87.5', INITIALKEY: '8A', TITLE: 'Keys', GENRE: 'Lo-fi' },
    });
    const source = await openAudio(ogg);
    expect(source.claimed).toMatchObject({
      bpm: 87.5,
      key: { tonic: 'A', scale: 'minor' },
      title: 'Keys',
      genre: 'Lo-fi',
      sources: { bpm: 'vorbis-comment' },
    });
    expect((await decodeAll(source)).frames).toBe(Math.round(0.3 * 44100));
  });

  it('a cut file decodes every complete page and is flagged truncated', async () => {
    const ogg = await encodeOggVorbis([noiseBurst(3, { amplitude: 0.3 })], 44100);
    const cut = ogg.subarray(0, Math.floor(ogg.length / 2));
    // Pages are laid end to end: everything up to the last whole page must come out, and nothing
    // beyond the page that was cut (whose complete packets may decode too).
    let whole = 0;
    let partial = 0;
    let at = 0;
    for (const page of readOggPages(ogg)) {
      at += 27 + page.segments.length + page.body.length;
      const granule = Number(new DataView(page.granule.buffer).getBigUint64(0, true));
      if (at > cut.length) {
        partial = granule;
        break;
      }
      whole = granule;
    }
    const source = await openAudio(cut);
    const { frames } = await decodeAll(source);
    expect(whole).toBeGreaterThan(0.5 * 44100);
    expect(frames).toBeGreaterThanOrEqual(whole);
    expect(frames).toBeLessThanOrEqual(partial);
    expect(source.isTruncated).toBe(true);
  });

  it('refuses Opus and unknown Ogg streams by name', async () => {
    const ogg = await encodeOggVorbis([note(60, 0.1)], 44100);
    const pages = readOggPages(ogg);
    const opus = concatBytes(asciiBytes('OpusHead'), new Uint8Array([1, 1, 0, 0, 0x80, 0xbb, 0, 0, 0, 0, 0]));
    const err = await failure(
      writeOggPages([{ ...pages[0], segments: [opus.length], body: opus }, ...pages.slice(1)]),
    );
    expect(err.code).toBe('unsupported-format');
    expect(err.message).toMatch(/Opus/);
  });

  it('a damaged identification header is corrupt', async () => {
    const ogg = await encodeOggVorbis([note(60, 0.1)], 44100);
    const pages = readOggPages(ogg);
    const id = pages[0].body.slice();
    id[11] = 0; // channels
    const err = await failure(writeOggPages([{ ...pages[0], body: id }, ...pages.slice(1)]));
    expect(err.code).toBe('corrupt');
  });
});
