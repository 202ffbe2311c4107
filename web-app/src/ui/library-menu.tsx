import { useEffect, useRef, useState } from 'react';
import { storageEstimate } from '../db/storage-errors';
import { exportLibrary, importLibrary } from '../export/library-json';
import { download } from '../export/selection';
import { loadLibrary } from '../state/load-library';
import { reshareLibrary } from '../sync/bootstrap';
import { getSyncEngine } from '../sync/sync-engine';
import { fmtBytes } from './format';
import { useStore } from './use-store';

/** Settings, storage use, and whole-library export/import. */
export function LibraryMenu() {
  const store = useStore();
  const [open, setOpen] = useState(false);
  const [usage, setUsage] = useState<string>('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!open) return;
    void storageEstimate().then((e) =>
      setUsage(e ? `${fmtBytes(e.usage)} of ${fmtBytes(e.quota)} used` : ''),
    );
  }, [open]);
  return (
    <div className="menu">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="menu">
        ☰
      </button>
      {open && (
        <div className="menu-pop" role="menu">
          <label className="toggle">
            <input
              type="checkbox"
              checked={store.settings.autoAudition}
              data-testid="auto-audition"
              onChange={(e) => store.setSettings({ autoAudition: e.target.checked })}
            />
            Play while moving with the arrow keys
          </label>
          <label className="toggle">
            <input
              type="checkbox"
              checked={store.settings.loudnessMatch}
              onChange={(e) => store.setSettings({ loudnessMatch: e.target.checked })}
            />
            Loudness-matched playback (by LUFS)
          </label>
          <hr />
          <button
            type="button"
            data-testid="export-library"
            onClick={() =>
              void store.guard('Export failed', async () => {
                download(
                  `samplemind-library-${new Date().toISOString().slice(0, 10)}.json`,
                  await exportLibrary(store.db),
                  'application/json',
                );
              })
            }
          >
            Export library (JSON)
          </button>
          <button type="button" onClick={() => input.current?.click()}>
            Import library (JSON)…
          </button>
          <input
            ref={input}
            type="file"
            accept="application/json,.json"
            hidden
            data-testid="import-library"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file) return;
              void store.guard('Import failed', async () => {
                try {
                  const report = await importLibrary(store.db, JSON.parse(await file.text()));
                  // The import wrote past the library actions (nothing queued for sync): describe
                  // the library to the account again, and start that now rather than at the next poke.
                  if (await reshareLibrary(store.db)) void getSyncEngine().syncNow();
                  // Rebuild the index from storage so everything imported shows up.
                  store.index.replaceWith(await loadLibrary(store.db));
                  await store.reloadCollections();
                  store.notify(
                    `Imported ${report.files} files (${report.skipped} already here), ${report.tags} tags, ${report.collections} collections`,
                    'info',
                  );
                } catch (err) {
                  store.notify(`Import failed: ${err instanceof Error ? err.message : String(err)}`);
                }
              });
            }}
          />
          {usage && <p className="muted small-text">Storage: {usage}</p>}
        </div>
      )}
    </div>
  );
}
