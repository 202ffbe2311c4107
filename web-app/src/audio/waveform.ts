/** Decodes the stored waveform (base64 of Int8 min/max pairs). */
export function decodePeaks(base64: string): Int8Array {
  const bin = atob(base64);
  const out = new Int8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = (bin.charCodeAt(i) << 24) >> 24;
  return out;
}

/** Draws min/max pairs resampled to the canvas width; crisp at any device pixel ratio. */
export function drawWaveform(
  canvas: HTMLCanvasElement,
  peaks: Int8Array | null,
  colour: string,
  progress = -1,
): void {
  const dpr = globalThis.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.clearRect(0, 0, w, h);
  if (!peaks || peaks.length < 2) return;
  const pairs = peaks.length / 2;
  const mid = h / 2;
  g.fillStyle = colour;
  for (let x = 0; x < w; x++) {
    const a = Math.floor((x / w) * pairs);
    const b = Math.max(a + 1, Math.floor(((x + 1) / w) * pairs));
    let lo = 0;
    let hi = 0;
    for (let i = a; i < b; i++) {
      lo = Math.min(lo, peaks[2 * i]);
      hi = Math.max(hi, peaks[2 * i + 1]);
    }
    const y0 = mid - (hi / 127) * mid;
    const y1 = mid - (lo / 127) * mid;
    g.fillRect(x, y0, 1, Math.max(1, y1 - y0));
  }
  if (progress >= 0) {
    g.fillStyle = 'rgba(255,255,255,0.85)';
    g.fillRect(Math.round(progress * w), 0, Math.max(1, dpr), h);
  }
}
