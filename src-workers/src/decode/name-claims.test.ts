import { describe, expect, it } from 'vitest';
import { bareBpm, claimsFromPath, explicitBpm, keyIn } from './name-claims';

describe('tempo in names', () => {
  const explicit: [string, number][] = [
    ['Drums_120bpm', 120],
    ['Drums 120 BPM', 120],
    ['Drums_120_BPM_Am', 120],
    ['bpm120_kit', 120],
    ['BPM_92.5 swing', 92.5],
    ['Loop120BPM', 120],
    ['DrumLoop-174-bpm', 174],
    ['Groove 86,5bpm', 86.5],
  ];
  for (const [name, bpm] of explicit) it(`"${name}" → ${bpm}`, () => expect(explicitBpm(name)).toBe(bpm));

  const notExplicit = [
    'Kick 120',
    '120-130 BPM pack',
    '120 to 128 bpm',
    'bpms',
    '1200bpm',
    '12bpm',
    '120bpmx',
    'Drums 120bpm 128bpm',
  ];
  for (const name of notExplicit)
    it(`"${name}" has no explicit tempo`, () => expect(explicitBpm(name)).toBeNull());

  it('bare numbers: one delimited number in range, no units', () => {
    expect(bareBpm('Loop_120_Am')).toBe(120);
    expect(bareBpm('120 Loop')).toBe(120);
    expect(bareBpm('Loop - 95 - Dusty')).toBe(95);
    expect(bareBpm('Loop_01')).toBeNull(); // leading zero: an index
    expect(bareBpm('Loop_075')).toBeNull();
    expect(bareBpm('Loop 4')).toBeNull();
    expect(bareBpm('Loop 808')).toBeNull(); // out of range
    expect(bareBpm('Loop 90 120')).toBeNull(); // ambiguous
    expect(bareBpm('Loop 16 bars')).toBeNull();
    expect(bareBpm('Loop_24bit_96k')).toBeNull();
    expect(bareBpm('Loop 100%')).toBeNull();
    expect(bareBpm('Loop120')).toBeNull(); // glued to a word
    expect(bareBpm('Loop 1.20')).toBeNull();
    expect(bareBpm('Loop_v100')).toBeNull();
  });

  it('a bare number counts only in the file name, and only when the path says loop', () => {
    expect(claimsFromPath('Samples/Drums/Snare_120.wav').bpm).toBeUndefined(); // a velocity, not a tempo
    expect(claimsFromPath('Samples/Piano/Piano_C4_60.wav').bpm).toBeUndefined();
    expect(claimsFromPath('Samples/Loops/Break_120.wav')).toMatchObject({
      bpm: 120,
      sources: { bpm: 'filename' },
    });
    expect(claimsFromPath('Loops/128/Break.wav').bpm).toBeUndefined();
    expect(claimsFromPath('Pack/Drum Loop 100.wav').bpm).toBe(100);
  });

  it('the file name wins over folders; folders are read nearest first', () => {
    expect(claimsFromPath('Pack/90 BPM/Loop_120bpm.wav')).toMatchObject({
      bpm: 120,
      sources: { bpm: 'filename' },
    });
    expect(claimsFromPath('Pack 140 BPM/Sub 90 BPM/Loop.wav')).toMatchObject({
      bpm: 90,
      sources: { bpm: 'folder' },
    });
    expect(claimsFromPath('C:\\Samples\\128 BPM\\kick.wav')).toMatchObject({
      bpm: 128,
      sources: { bpm: 'folder' },
    });
  });

  it('does not take a number from the extension', () => {
    expect(claimsFromPath('Loops/break.mp3').bpm).toBeUndefined();
  });
});

describe('keys in names', () => {
  const good: [string, string, 'major' | 'minor'][] = [
    ['Bass_Fmin', 'F', 'minor'],
    ['Pad F#m 120', 'F#', 'minor'],
    ['Keys_Amaj', 'A', 'major'],
    ['Strings A minor', 'A', 'minor'],
    ['Lead_Cm', 'C', 'minor'],
    ['Synth Bb', 'Bb', 'major'],
    ['Piano-C#', 'Db', 'major'],
    ['Vox_Ebm_Dry', 'Eb', 'minor'],
    ['Guitar E-minor', 'E', 'minor'],
    ['ARP_DMIN_140', 'D', 'minor'],
    ['arp_gmaj', 'G', 'major'],
    ['Bell f#min', 'F#', 'minor'],
    ['Chords Bb Major', 'Bb', 'major'],
    ['Horn_C♯m', 'Db', 'minor'],
    ['Loop Am Am', 'A', 'minor'],
  ];
  for (const [name, tonic, scale] of good)
    it(`"${name}" → ${tonic} ${scale}`, () => expect(keyIn(name)).toEqual({ tonic, scale }));

  const none = [
    'Ambient Pad', // "Am" inside a word
    'Game Over',
    'Cmaj7 stab', // a chord, not a key
    'Take A',
    'Kick E',
    'Snare B 2',
    'AM Radio',
    'FM Bass',
    'CM-5',
    'am I dreaming',
    'em dash',
    'Dub Chord',
    'Pad Am Fm', // two different keys
    'Bass dB',
    'DB Kick',
    'Abs',
  ];
  for (const name of none) it(`"${name}" has no key`, () => expect(keyIn(name)).toBeNull());

  it('reads keys from folders when the file name has none', () => {
    expect(claimsFromPath('Pack/Loops in F minor/Pad 01.wav')).toMatchObject({
      key: { tonic: 'F', scale: 'minor' },
      sources: { key: 'folder' },
    });
    expect(claimsFromPath('Pack/Gm/Pad_Cm.wav')).toMatchObject({
      key: { tonic: 'C', scale: 'minor' },
      sources: { key: 'filename' },
    });
  });
});

describe('loop or one-shot', () => {
  it('reads loop and one-shot words', () => {
    expect(claimsFromPath('Pack/Drum Loops/Break.wav')).toMatchObject({
      isLoop: true,
      sources: { isLoop: 'folder' },
    });
    expect(claimsFromPath('Pack/One Shots/Kick.wav')).toMatchObject({ isLoop: false });
    expect(claimsFromPath('Pack/Oneshots/Kick.wav').isLoop).toBe(false);
    expect(claimsFromPath('Pack/Loops/Kick_OneShot.wav')).toMatchObject({
      isLoop: false,
      sources: { isLoop: 'filename' },
    });
    expect(claimsFromPath('Pack/Kick.wav').isLoop).toBeUndefined();
  });

  it('claims nothing for a plain name', () => {
    expect(claimsFromPath('kick.wav')).toEqual({ sources: {} });
    expect(claimsFromPath('')).toEqual({});
  });

  it('a full sample-pack path', () => {
    expect(
      claimsFromPath('/home/me/Samples/Vendor - Deep House Vol 2/Loops/Bass/DH2_Bass_Loop_124_Gm.wav'),
    ).toEqual({
      bpm: 124,
      key: { tonic: 'G', scale: 'minor' },
      isLoop: true,
      sources: { bpm: 'filename', key: 'filename', isLoop: 'filename' },
    });
  });
});
