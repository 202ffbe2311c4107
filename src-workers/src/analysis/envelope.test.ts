import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { concat, kick, RATE, scaled, silence, sine, tone } from './descriptor-test-signals';
import { analyseEnvelope } from './envelope';

const envelopeOf = (x: Float32Array) => analyseEnvelope(createContext(x, RATE));

/** Sine whose amplitude is exp(-t / tau) from t = 0. */
function decaying(tau: number, seconds: number) {
  const x = sine(1000, seconds, 0.8);
  for (let i = 0; i < x.length; i++) x[i] *= Math.exp(-i / RATE / tau);
  return x;
}

describe('analyseEnvelope', () => {
  it('times the decay and audible length of an exponential decay', () => {
    const tau = 0.1;
    const e = envelopeOf(decaying(tau, 1.5));
    // -20 dB at tau ln 10 (0.23 s) and -40 dB at 2 tau ln 10 (0.46 s); 5 ms windows blur a little.
    expect(e.attackSec).toBeLessThan(0.01);
    expect(e.decaySec).toBeGreaterThan(0.2);
    expect(e.decaySec).toBeLessThan(0.25);
    expect(e.effectiveLengthSec).toBeGreaterThan(0.44);
    expect(e.effectiveLengthSec).toBeLessThan(0.49);
    // Amplitude-weighted mean time of exp(-t / tau) up to its -40 dB point: ~tau.
    expect(e.temporalCentroidSec).toBeGreaterThan(0.08);
    expect(e.temporalCentroidSec).toBeLessThan(0.11);
  });

  it('measures a slow linear attack from the -20 dB point to the top', () => {
    const x = tone(220, { attack: 0.2, hold: 0.5 });
    const e = envelopeOf(x);
    // Onset at 10 % of the ramp (20 ms), top at 89 % (178 ms).
    expect(e.attackSec).toBeGreaterThan(0.14);
    expect(e.attackSec).toBeLessThan(0.18);
  });

  it('is unchanged by leading silence and by the level', () => {
    const hit = kick();
    const a = envelopeOf(hit);
    const b = envelopeOf(concat(silence(1.3), scaled(hit, 0.05)));
    for (const key of ['attackSec', 'decaySec', 'effectiveLengthSec', 'temporalCentroidSec'] as const) {
      // Windows land on a different sample grid after the shift: a few 1.3 ms hops of slack.
      expect(Math.abs(a[key] - b[key]), key).toBeLessThan(0.005);
    }
  });

  it('does not end the decay on the troughs of a low bass note', () => {
    const bass = sine(45, 1, 0.7);
    const e = envelopeOf(concat(bass, silence(0.5)));
    expect(e.decaySec).toBeGreaterThan(0.95);
    expect(e.effectiveLengthSec).toBeGreaterThan(0.98);
    expect(e.effectiveLengthSec).toBeLessThan(1.02);
  });

  it('returns zeros for silence and for an empty signal', () => {
    const zero = { attackSec: 0, decaySec: 0, effectiveLengthSec: 0, temporalCentroidSec: 0 };
    expect(envelopeOf(silence(1))).toEqual(zero);
    expect(envelopeOf(new Float32Array(0))).toEqual(zero);
  });
});
