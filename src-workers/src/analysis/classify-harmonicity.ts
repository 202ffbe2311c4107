import type { Spectrogram } from '../dsp/stft';
import { FIRST_BIN } from './classify-periodicity';

/** Overtones are read up to here: above it the partials of most sources are weak and dense. */
const TOP_HZ = 5000;
/** A partial counts as harmonic within this many bins of an integer multiple of the fundamental. */
const TOLERANCE_BINS = 1;
/** Overtones carrying less than this share of the energy are too weak to say anything. */
const MIN_OVERTONE_SHARE = 0.05;
/**
 * The tracked fundamental must itself sound with at least this share of the energy: a period
 * that only approximates the common divisor of inharmonic modes (a sub-harmonic, well below any
 * partial) makes those modes look harmonic, so such a reading says nothing.
 */
const MIN_FUNDAMENTAL_SHARE = 0.01;
/** Chance level (share of the bins near a harmonic) above which harmonics are not resolved. */
const MAX_CHANCE = 0.5;
const MAX_FRAMES = 32;

/**
 * How harmonic the overtones are, 0..1, or null when it cannot be told (no steady fundamental,
 * harmonics closer than the spectrogram resolves, or hardly any energy above the fundamental).
 *
 * Strings and air columns vibrate in modes at integer multiples of the fundamental; membranes
 * (the Bessel modes of a drum head: 1, 1.59, 2.14, 2.30, …), bars, plates and bells do not. The
 * share of the overtone energy (1.5 f0 to 5 kHz) lying within a bin of a harmonic is compared
 * with the share a spectrum without structure would put there: 0 = no more than chance,
 * 1 = all of it on harmonics.
 */
export function overtoneHarmonicity(
  spec: Spectrogram,
  from: number,
  to: number,
  f0Hz: number | null,
): number | null {
  if (f0Hz === null || !(f0Hz > 0) || to < from) return null;
  const { bins, binHz, magnitudes } = spec;
  const spacing = f0Hz / binHz;
  const chance = Math.min(1, (2 * TOLERANCE_BINS + 1) / spacing);
  if (chance > MAX_CHANCE) return null;
  const lo = Math.max(FIRST_BIN, Math.round(1.5 * spacing));
  const hi = Math.min(bins - 1, Math.round(TOP_HZ / binHz));
  if (hi <= lo) return null;
  const stride = Math.max(1, Math.ceil((to - from + 1) / MAX_FRAMES));
  const f0Bin = Math.round(spacing);
  let all = 0;
  let fundamental = 0;
  let overtones = 0;
  let harmonic = 0;
  for (let f = from; f <= to; f += stride) {
    const base = f * bins;
    for (let k = FIRST_BIN; k < lo; k++) {
      const p = magnitudes[base + k] ** 2;
      all += p;
      if (Math.abs(k - f0Bin) <= TOLERANCE_BINS) fundamental += p;
    }
    for (let k = lo; k <= hi; k++) {
      const p = magnitudes[base + k] ** 2;
      overtones += p;
      const h = k / spacing;
      if (Math.abs(h - Math.round(h)) * spacing <= TOLERANCE_BINS) harmonic += p;
    }
  }
  all += overtones;
  if (all <= 0 || overtones < MIN_OVERTONE_SHARE * all || fundamental < MIN_FUNDAMENTAL_SHARE * all)
    return null;
  const share = harmonic / overtones;
  return Math.min(1, Math.max(0, (share - chance) / (1 - chance)));
}
