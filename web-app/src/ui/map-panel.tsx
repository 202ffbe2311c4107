import { SAMPLE_TYPES } from '@samplemind/contract';
import { type PointerEvent, useEffect, useRef, useState, type WheelEvent } from 'react';
import { computeMap, MAP_MAX_POINTS, sampleEvenly } from '../map/map-client';
import { STATUS } from '../state/library-index';
import { togglePlay } from './actions';
import { TYPE_COLOURS } from './type-colours';
import { usePlayer, useStore } from './use-store';

type Points = { rows: Int32Array; xy: Float32Array; ms: number };

/** The 2-D map (UMAP in a worker) of the current view, coloured by type; wheel zooms, drag pans, click plays. */
export function MapPanel() {
  const store = useStore();
  const player = usePlayer();
  const { index } = store;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [points, setPoints] = useState<Points | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const view = useRef({ scale: 1, x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);

  const compute = async () => {
    const res = store.view();
    const byHash = new Map<string, number>();
    for (let i = 0; i < res.rows.length; i++) {
      const r = res.rows[i];
      const h = index.hash[r];
      if (h && index.status[r] === STATUS.done && !byHash.has(h)) byHash.set(h, r);
    }
    const hashes = sampleEvenly([...byHash.keys()], MAP_MAX_POINTS);
    setProgress(0);
    try {
      const out = await computeMap(hashes, (f) => setProgress(f));
      const rows = Int32Array.from(out.hashes, (h) => byHash.get(h) ?? -1);
      view.current = { scale: 1, x: 0, y: 0 };
      setPoints({ rows, xy: normalise(out.xy), ms: out.ms });
    } catch (err) {
      store.notify(`The map could not be computed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setProgress(null);
    }
  };

  const toScreen = (c: HTMLCanvasElement, px: number, py: number): [number, number] => {
    const { scale, x, y } = view.current;
    const s = Math.min(c.width, c.height) * 0.45 * scale;
    return [c.width / 2 + (px + x) * s, c.height / 2 + (py + y) * s];
  };

  const draw = () => {
    const c = canvas.current;
    if (!c || !points) return;
    const dpr = devicePixelRatio || 1;
    c.width = Math.round(c.clientWidth * dpr);
    c.height = Math.round(c.clientHeight * dpr);
    const g = c.getContext('2d')!;
    g.clearRect(0, 0, c.width, c.height);
    const size = Math.max(2, 3 * dpr);
    for (let i = 0; i < points.rows.length; i++) {
      const r = points.rows[i];
      if (r < 0) continue;
      const [sx, sy] = toScreen(c, points.xy[2 * i], points.xy[2 * i + 1]);
      g.fillStyle = TYPE_COLOURS[index.type[r]] ?? '#888';
      if (index.fileId[r] === store.focus) {
        g.fillStyle = '#fff';
        g.fillRect(sx - size * 1.5, sy - size * 1.5, size * 3, size * 3);
      } else g.fillRect(sx - size / 2, sy - size / 2, size, size);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw on data, focus and store changes
  useEffect(draw, [points, store.focus, store.version]);

  const pick = (e: PointerEvent<HTMLCanvasElement>) => {
    const c = canvas.current;
    if (!c || !points) return;
    const rect = c.getBoundingClientRect();
    const px = (e.clientX - rect.left) * (c.width / rect.width);
    const py = (e.clientY - rect.top) * (c.height / rect.height);
    let best = -1;
    let bestD = (12 * devicePixelRatio) ** 2;
    for (let i = 0; i < points.rows.length; i++) {
      const [sx, sy] = toScreen(c, points.xy[2 * i], points.xy[2 * i + 1]);
      const d = (sx - px) ** 2 + (sy - py) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best >= 0 && points.rows[best] >= 0) {
      const id = index.fileId[points.rows[best]];
      store.select(id, 'only');
      togglePlay(store, player, id, true);
    }
  };

  const onWheel = (e: WheelEvent<HTMLCanvasElement>) => {
    view.current.scale = Math.max(0.5, Math.min(40, view.current.scale * (e.deltaY < 0 ? 1.2 : 1 / 1.2)));
    draw();
  };

  return (
    <div className="map" data-testid="map">
      <div className="map-head">
        <button
          type="button"
          onClick={() => void compute()}
          disabled={progress !== null}
          data-testid="map-compute"
        >
          {points ? 'Recompute map of this view' : 'Compute map of this view'}
        </button>
        {progress !== null && <span className="muted"> UMAP… {Math.round(progress * 100)} %</span>}
        {points && progress === null && (
          <span className="muted small-text">
            {' '}
            {points.rows.length} sounds{points.rows.length >= MAP_MAX_POINTS ? ' (sampled)' : ''} ·{' '}
            {(points.ms / 1000).toFixed(1)} s
          </span>
        )}
      </div>
      <canvas
        ref={canvas}
        className="map-canvas"
        onWheel={onWheel}
        onPointerDown={(e) => {
          drag.current = { x: e.clientX, y: e.clientY, moved: false };
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          const c = canvas.current;
          if (!d || !c) return;
          const dx = e.clientX - d.x;
          const dy = e.clientY - d.y;
          if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
          if (!d.moved) return;
          const s = (Math.min(c.clientWidth, c.clientHeight) * 0.45 * view.current.scale) / 1;
          view.current.x += dx / s;
          view.current.y += dy / s;
          d.x = e.clientX;
          d.y = e.clientY;
          draw();
        }}
        onPointerUp={(e) => {
          if (drag.current && !drag.current.moved) pick(e);
          drag.current = null;
        }}
      />
      <div className="legend">
        {SAMPLE_TYPES.map((t, i) => (
          <span key={t}>
            <i style={{ background: TYPE_COLOURS[i] }} />
            {t}
          </span>
        ))}
      </div>
    </div>
  );
}

/** Centres the embedding and scales it to [-1, 1]. */
function normalise(xy: Float32Array): Float32Array {
  const n = xy.length / 2;
  if (!n) return xy;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xy[2 * i];
    my += xy[2 * i + 1];
  }
  mx /= n;
  my /= n;
  let r = 1e-9;
  for (let i = 0; i < n; i++) r = Math.max(r, Math.abs(xy[2 * i] - mx), Math.abs(xy[2 * i + 1] - my));
  const out = new Float32Array(xy.length);
  for (let i = 0; i < n; i++) {
    out[2 * i] = (xy[2 * i] - mx) / r;
    out[2 * i + 1] = (xy[2 * i + 1] - my) / r;
  }
  return out;
}
