import { lazy, Suspense, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { Player } from '../audio/player';
import { addFolder } from '../fs/folders';
import { readDrop } from '../import/sources';
import { preloadSimilarity } from '../similarity/similarity-client';
import type { AppStore } from '../state/app-store';
import { STATUS } from '../state/library-index';
import { DetailPanel } from './detail-panel';
import { prepareDragOut } from './drag-out';
import { Facets } from './facets';
import { Header } from './header';
import { LibraryTable } from './library-table';
import { PlayerBar } from './player-bar';
import { SelectionBar } from './selection-bar';
import { UpdatePrompt } from './update-prompt';
import { PlayerContext, StoreContext, useStore } from './use-store';

const SimilarPanel = lazy(() => import('./similar-panel').then((m) => ({ default: m.SimilarPanel })));
const MapPanel = lazy(() => import('./map-panel').then((m) => ({ default: m.MapPanel })));

function Notices() {
  const store = useStore();
  return (
    <div className="notices" aria-live="polite">
      {store.notices.map((n) => (
        <div
          key={n.id}
          className={`notice ${n.kind}`}
          role={n.kind === 'error' ? 'alert' : 'status'}
          data-testid={`notice-${n.kind}`}
        >
          {n.text}
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => store.dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

function SidePanel() {
  const store = useStore();
  const tabs = [
    ['detail', 'Details'],
    ['similar', 'Similar'],
    ['map', 'Map'],
  ] as const;
  return (
    <aside className="side">
      <div className="tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={store.panel === id}
            className={store.panel === id ? 'on' : ''}
            onClick={() => store.setPanel(id)}
            data-testid={`tab-${id}`}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="side-body">
        <Suspense fallback={<div className="muted">Loading…</div>}>
          {store.panel === 'detail' && <DetailPanel />}
          {store.panel === 'similar' && <SimilarPanel />}
          {store.panel === 'map' && <MapPanel />}
        </Suspense>
      </div>
    </aside>
  );
}

function Shell({ onReady }: { onReady: () => void }) {
  const store = useStore();
  const [dragging, setDragging] = useState(false);
  useLayoutEffect(onReady, [onReady]);
  useEffect(() => {
    // Only rows whose file is on this device can be dragged out.
    if (store.focus !== null && store.index.status[store.index.rowOfFile(store.focus)] === STATUS.done)
      void prepareDragOut(store, store.focus);
  }, [store, store.focus]);
  useEffect(() => {
    // Warm the similarity worker once the UI is idle, so the first "more like this" is quick.
    const id = setTimeout(() => preloadSimilarity(store.index.contentVersion), 3000);
    return () => clearTimeout(id);
  }, [store]);
  const hasFiles = (e: React.DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the whole window is the drop target for files
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(false);
        const reading = readDrop(e.dataTransfer);
        void store.guard('Adding the dropped files failed', async () => {
          const { items, folders } = await reading;
          if (items.length) await store.importer!.add(items);
          for (const f of folders) await addFolder(store.db, store.importer!, f);
          if (folders.length) await store.reloadCollections();
        });
      }}
      data-testid="drop-zone"
    >
      <Header />
      <Notices />
      <UpdatePrompt />
      <div className="main">
        <Facets />
        <section className="center">
          <SelectionBar />
          <LibraryTable />
        </section>
        <SidePanel />
      </div>
      <PlayerBar />
      {dragging && <div className="drop-overlay">Drop audio files or folders to add them</div>}
    </div>
  );
}

export function App({ store, onReady }: { store: AppStore; onReady: () => void }) {
  const player = useMemo(() => new Player(store.access), [store]);
  useEffect(() => {
    Object.assign(globalThis, { __samplemindPlayer: player });
  }, [player]);
  return (
    <StoreContext.Provider value={store}>
      <PlayerContext.Provider value={player}>
        <Shell onReady={onReady} />
      </PlayerContext.Provider>
    </StoreContext.Provider>
  );
}
