import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { addFolder, directoryPicker } from '../fs/folders';
import { itemsFromFiles } from '../import/sources';
import type { AppStore } from '../state/app-store';
import { fmtEta } from './format';
import { LibraryMenu } from './library-menu';
import { SettingsButton } from './settings-panel';
import { useStore } from './use-store';

// The indicator pulls in the sync engine's status API; loaded after first paint like settings.
const SyncIndicator = lazy(() => import('./sync-indicator').then((m) => ({ default: m.SyncIndicator })));

export async function importFiles(store: AppStore, files: File[]) {
  if (!store.importer || !files.length) return;
  await store.guard('Adding files failed', async () => store.importer!.add(await itemsFromFiles(files)));
}

export async function pickFolder(store: AppStore, fallback: HTMLInputElement | null) {
  const picker = directoryPicker();
  if (!picker) {
    fallback?.click();
    return;
  }
  let handle: FileSystemDirectoryHandle;
  try {
    handle = await picker({ mode: 'read', id: 'samplemind-import' });
  } catch {
    return; // cancelled
  }
  await store.guard('Adding the folder failed', async () => {
    await addFolder(store.db, store.importer!, handle);
    await store.reloadCollections();
  });
}

function SearchBox() {
  const store = useStore();
  const [text, setText] = useState(store.query.text);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => setText(store.query.text), [store.query.text]);
  return (
    <input
      type="search"
      className="search"
      placeholder="Search name, folder, tag…  ( / )"
      aria-label="Search"
      data-testid="search"
      value={text}
      onChange={(e) => {
        const v = e.target.value;
        setText(v);
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => store.setQuery({ text: v }), 80);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          setText('');
          store.setQuery({ text: '' });
        }
        if (e.key === 'ArrowDown')
          (document.querySelector('[data-testid="table-body"]') as HTMLElement | null)?.focus();
      }}
    />
  );
}

function ImportProgressBar() {
  const store = useStore();
  const p = store.progress;
  if (!p || (p.total === 0 && p.blocked === 0)) return null;
  const finished = p.done + p.failed;
  const pct = p.total ? (finished / p.total) * 100 : 0;
  return (
    <div className="progress" data-testid="import-progress" data-active={p.isActive ? '1' : '0'}>
      <div
        className="bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={p.total}
        aria-valuenow={finished}
      >
        <div className="fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="progress-text" data-testid="progress-text">
        {finished} / {p.total}
        {p.failed ? ` (${p.failed} failed)` : ''}
        {p.isActive ? ` · ${p.filesPerSec.toFixed(1)} files/s · ${fmtEta(p.etaSec)} left` : ' · done'}
        {p.isPaused ? ' · paused' : ''}
      </span>
      {p.isActive &&
        (p.isPaused ? (
          <button
            type="button"
            className="small"
            onClick={() => store.importer?.resume()}
            data-testid="import-resume"
          >
            Resume
          </button>
        ) : (
          <button
            type="button"
            className="small"
            onClick={() => store.importer?.pause()}
            data-testid="import-pause"
          >
            Pause
          </button>
        ))}
      {p.isActive && (
        <button
          type="button"
          className="small"
          onClick={() => void store.importer?.cancel()}
          data-testid="import-cancel"
        >
          Cancel
        </button>
      )}
      {p.blocked > 0 && (
        <button type="button" className="small warn" onClick={() => void store.importer?.grantAndRetry()}>
          Allow folder access ({p.blocked} waiting)
        </button>
      )}
    </div>
  );
}

export function Header() {
  const store = useStore();
  const fileInput = useRef<HTMLInputElement>(null);
  const dirInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) {
        e.preventDefault();
        (document.querySelector('[data-testid="search"]') as HTMLInputElement | null)?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <header className="header">
      <div className="logo">
        <img src="./favicon.svg" alt="" width={22} height={22} /> SampleMind
      </div>
      <SearchBox />
      <div className="import-buttons">
        <button type="button" onClick={() => fileInput.current?.click()} data-testid="add-files">
          Add files
        </button>
        <button
          type="button"
          onClick={() => void pickFolder(store, dirInput.current)}
          data-testid="add-folder"
        >
          Add folder
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept="audio/*,.wav,.aif,.aiff,.flac,.mp3,.ogg"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            performance.mark('sm:files-received');
            void importFiles(store, Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
        <input
          ref={dirInput}
          type="file"
          hidden
          data-testid="folder-input"
          {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
          onChange={(e) => {
            void importFiles(store, Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
      </div>
      <ImportProgressBar />
      <Suspense fallback={null}>
        <SyncIndicator />
      </Suspense>
      <SettingsButton />
      <LibraryMenu />
    </header>
  );
}
