import { useEffect, useMemo, useRef } from 'react';
import { decodePeaks, drawWaveform } from '../audio/waveform';
import { usePlayer } from './use-store';

/** The stored peaks drawn on a canvas, with a moving playhead while this file plays. */
export function Waveform({
  fileId,
  peaks,
  height,
}: {
  fileId: number;
  peaks: string | null;
  height: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const player = usePlayer();
  const data = useMemo(() => (peaks ? decodePeaks(peaks) : null), [peaks]);
  const playing = player.state.fileId === fileId && player.state.isPlaying;
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    let raf = 0;
    const draw = () => {
      const d = player.state.duration;
      drawWaveform(c, data, '#4fb3a6', playing && d > 0 ? player.position() / d : -1);
      if (playing) raf = requestAnimationFrame(draw);
    };
    draw();
    return () => cancelAnimationFrame(raf);
  }, [data, playing, player]);
  return (
    <canvas
      ref={canvas}
      className="waveform"
      style={{ height }}
      data-testid="waveform"
      data-has-peaks={data ? '1' : '0'}
    />
  );
}
