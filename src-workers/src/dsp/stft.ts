import { hannWindow, windowedMagnitudes } from './fft';

/** Magnitude spectrogram, frame-major: magnitudes[frame * bins + bin]. Frame f starts at f * hop. */
export type Spectrogram = {
  size: number;
  hop: number;
  bins: number;
  frames: number;
  sampleRate: number;
  binHz: number;
  magnitudes: Float32Array;
};

const windows = new Map<number, Float32Array>();

export function computeSpectrogram(
  signal: Float32Array,
  sampleRate: number,
  size: number,
  hop: number,
  onFrame?: () => void,
): Spectrogram {
  let w = windows.get(size);
  if (!w) {
    w = hannWindow(size);
    windows.set(size, w);
  }
  const bins = (size >> 1) + 1;
  const frames = Math.max(1, Math.ceil(signal.length / hop));
  const magnitudes = new Float32Array(frames * bins);
  for (let f = 0; f < frames; f++) {
    windowedMagnitudes(signal, f * hop, w, size, magnitudes, f * bins);
    if (onFrame && (f & 255) === 255) onFrame();
  }
  return { size, hop, bins, frames, sampleRate, binHz: sampleRate / size, magnitudes };
}
