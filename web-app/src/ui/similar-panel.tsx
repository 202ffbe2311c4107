import { FEATURE_ASPECTS } from '@samplemind/contract';
import { useEffect, useState } from 'react';
import { findSimilar } from '../similarity/similarity-client';
import { type AspectWeights, DEFAULT_WEIGHTS, type Neighbour } from '../similarity/similarity-core';
import { togglePlay } from './actions';
import { usePlayer, useStore } from './use-store';

const K = 40;

/** "More like this": nearest neighbours of the focused sample, with a weight per aspect. */
export function SimilarPanel() {
  const store = useStore();
  const player = usePlayer();
  const { index } = store;
  const r = store.focus === null ? -1 : index.rowOfFile(store.focus);
  const hash = r >= 0 ? index.hash[r] || null : null;
  const [weights, setWeights] = useState<AspectWeights>(DEFAULT_WEIGHTS);
  const [found, setFound] = useState<{ neighbours: Neighbour[]; ms: number; roundTripMs: number } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const contentVersion = index.contentVersion;

  useEffect(() => {
    if (!hash) return;
    let live = true;
    setBusy(true);
    const t0 = performance.now();
    void findSimilar(hash, weights, K, contentVersion)
      .then((res) => {
        if (live) setFound(res ? { ...res, roundTripMs: performance.now() - t0 } : null);
      })
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [hash, weights, contentVersion]);

  if (!hash)
    return <div className="panel-empty muted">Select an analysed sample to find similar sounds.</div>;
  // Map hashes back to rows (several files can share one).
  const rowsOf = new Map<string, number>();
  if (found) {
    const wanted = new Set(found.neighbours.map((n) => n.hash));
    for (let i = 0; i < index.size && rowsOf.size < wanted.size; i++) {
      const h = index.hash[i];
      if (h && wanted.has(h) && !rowsOf.has(h)) rowsOf.set(h, i);
    }
  }
  return (
    <div className="similar" data-testid="similar">
      <h2>More like “{index.name[r]}”</h2>
      <div className="weights">
        {FEATURE_ASPECTS.map((a) => (
          <label key={a} className="weight">
            {a}
            <input
              type="range"
              min={0}
              max={2}
              step={0.1}
              value={weights[a]}
              onChange={(e) => setWeights({ ...weights, [a]: Number(e.target.value) })}
            />
          </label>
        ))}
      </div>
      {busy && !found && <p className="muted">Loading feature vectors…</p>}
      {found && (
        <>
          <p className="muted small-text" data-testid="similar-timing">
            {found.neighbours.length} results · {found.ms.toFixed(1)} ms in the worker
          </p>
          <ol className="similar-list">
            {found.neighbours.map((n) => {
              const row = rowsOf.get(n.hash);
              if (row === undefined) return null;
              const id = index.fileId[row];
              return (
                <li key={n.hash}>
                  <button
                    type="button"
                    className="icon"
                    onClick={() => togglePlay(store, player, id, true)}
                    title="Play"
                  >
                    ▶
                  </button>
                  <button
                    type="button"
                    className="link"
                    onClick={() => store.select(id, 'only')}
                    title={index.path[row]}
                  >
                    {index.name[row]}
                  </button>
                  <span className="muted"> {n.distance.toFixed(3)}</span>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}
