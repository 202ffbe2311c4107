import { describe, expect, it } from 'vitest';
import { cacheKey, normaliseSample, PROMPT_VERSION, renderSample, renderUserPrompt } from './prompt';
import { drumLoop, kick } from './testing/fixtures';

describe('normaliseSample and cacheKey', () => {
  it('gives the same key under float noise and a different id', () => {
    const a = kick(1);
    const b = kick(1, {
      id: 'other',
      durationSec: a.durationSec + 1e-6,
      envelope: { ...a.envelope, attackSec: a.envelope.attackSec * (1 + 1e-7) },
    });
    expect(cacheKey('openai', 'm', normaliseSample(a))).toBe(cacheKey('openai', 'm', normaliseSample(b)));
  });

  it('gives different keys for different providers, models and measurements', () => {
    const s = normaliseSample(kick(1));
    const keys = new Set([
      cacheKey('openai', 'm', s),
      cacheKey('gemini', 'm', s),
      cacheKey('openai', 'm2', s),
      cacheKey('openai', 'm', normaliseSample(kick(1, { type: { label: 'snare', confidence: 0.93 } }))),
      cacheKey('openai', 'm', normaliseSample(drumLoop(1))),
    ]);
    expect(keys.size).toBe(5);
    expect(PROMPT_VERSION).toMatch(/\S/);
  });
});

describe('rendering', () => {
  it('shows the measurements a producer cares about in words', () => {
    const text = renderSample('s1', normaliseSample(drumLoop(2)));
    expect(text).toContain('[s1] file: "Techno_Loop_2_128bpm.wav"');
    expect(text).toContain('type: drum-loop (confidence 0.9); loop');
    expect(text).toContain('tempo: 128 BPM');
    expect(text).toContain('key: A minor (Camelot 8A');
    expect(text).toContain('-9.8 LUFS');
    expect(text).toContain('file metadata: genre "Techno"');
  });

  it('says "none detected" instead of null and never includes the id', () => {
    const text = renderUserPrompt([normaliseSample(kick(1))]);
    expect(text).toContain('tempo: none detected');
    expect(text).toContain('key: none detected');
    expect(text).toContain('pitch: A1 (MIDI 33');
    expect(text).not.toContain('kick0001');
    expect(text).not.toContain('null');
  });
});
