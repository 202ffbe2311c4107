import type { Spectrogram } from '../dsp/stft';

/** The band below the singer's formant, where a sung vowel's spectrum dips after F2. */
const VALLEY_HZ: [number, number] = [1300, 2300];
/** The singer's formant cluster (F3-F5 drawn together by the lowered larynx). */
const CLUSTER_HZ: [number, number] = [2400, 3600];
/** Each band must hold this many harmonics for its level to describe an envelope, not one partial. */
const MIN_HARMONICS = 2;
/** A cluster this far below the strongest harmonic is inaudible against the note (or noise floor). */
const MAX_CLUSTER_DEPTH_DB = 45;
/** Harmonics are read up to here: the strongest one is looked for below it. */
const TOP_HZ = 5000;
const MAX_FRAMES = 32;

/**
 * Singer's-formant prominence, in dB, or null when it cannot be measured (no steady fundamental,
 * or a fundamental so high that fewer than two harmonics fall in either band).
 *
 * A trained or choral voice clusters its third to fifth formants at about 2.4-3.6 kHz, so its
 * spectrum, after falling from the vowel's F1/F2 region, climbs again there: the mean power of the
 * harmonics in that band exceeds that of the harmonics at 1.3-2.3 kHz. Every other source whose
 * partials we see (strings, reeds, brass, pipes, synth waveforms) rolls off with frequency, so
 * the upper band is quieter (by about 5-20 dB). The envelope is sampled at the harmonics (the
 * peak within a bin of each multiple of the fundamental, in the power spectrum averaged over the
 * body of the note), which makes it independent of the pitch and of any noise between partials.
 */
export function singersFormantDb(
  spec: Spectrogram,
  from: number,
  to: number,
  f0Hz: number | null,
): number | null {
  if (f0Hz === null || !(f0Hz > 0) || to < from) return null;
  const { bins, binHz, magnitudes } = spec;
  const stride = Math.max(1, Math.ceil((to - from + 1) / MAX_FRAMES));
  let strongest = 0;
  let valley = 0;
  let valleyCount = 0;
  let cluster = 0;
  let clusterCount = 0;
  for (let h = 1; h * f0Hz < TOP_HZ; h++) {
    const hz = h * f0Hz;
    const centre = Math.round(hz / binHz);
    if (centre + 1 >= bins) break;
    let peak = 0;
    for (let k = Math.max(1, centre - 1); k <= centre + 1; k++) {
      let p = 0;
      for (let f = from; f <= to; f += stride) {
        const m = magnitudes[f * bins + k];
        p += m * m;
      }
      if (p > peak) peak = p;
    }
    if (peak > strongest) strongest = peak;
    if (hz >= VALLEY_HZ[0] && hz <= VALLEY_HZ[1]) {
      valley += peak;
      valleyCount++;
    } else if (hz >= CLUSTER_HZ[0] && hz <= CLUSTER_HZ[1]) {
      cluster += peak;
      clusterCount++;
    }
  }
  if (valleyCount < MIN_HARMONICS || clusterCount < MIN_HARMONICS || strongest <= 0) return null;
  const clusterMean = cluster / clusterCount;
  const valleyMean = valley / valleyCount;
  if (clusterMean < strongest * 10 ** (-MAX_CLUSTER_DEPTH_DB / 10) || valleyMean <= 0) return null;
  return 10 * Math.log10(clusterMean / valleyMean);
}
