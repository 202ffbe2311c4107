import { useState } from 'react';
import { download, exportRecords, toCsv } from '../export/selection';
import { copyToFolder, directoryPicker } from '../fs/folders';
import {
  addTag,
  addToCollection,
  createCollection,
  removeFiles,
  removeFromCollection,
  removeTag,
  setFavourite,
} from '../state/library-actions';
import { STATUS } from '../state/library-index';
import { AiBulkDescribeButton } from './ai-bulk-describe';
import { useStore } from './use-store';

/** Counts, and everything that acts on the selection (or the focused row). */
export function SelectionBar() {
  const store = useStore();
  const { index } = store;
  const res = store.view();
  const [tag, setTag] = useState('');
  const [newCollection, setNewCollection] = useState<string | null>(null);
  const targets = store.targets();
  const has = targets.length > 0;
  const anyFav = targets.some((id) => index.favourite[index.rowOfFile(id)] === 1);
  const tagsOnTargets = [...new Set(targets.flatMap((id) => index.tags[index.rowOfFile(id)] ?? []))];
  const inCollection = store.query.collection;
  // Samples synced from another device have no file here to analyse.
  const local = targets.filter((id) => index.status[index.rowOfFile(id)] !== STATUS.remote);

  const exportAs = (kind: 'csv' | 'json') => {
    // Nothing selected: export the whole current view.
    const ids = store.selection.size ? [...store.selection] : Array.from(res.rows, (r) => index.fileId[r]);
    const records = exportRecords(index, ids);
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    if (kind === 'csv') download(`samplemind-${stamp}.csv`, toCsv(records), 'text/csv');
    else download(`samplemind-${stamp}.json`, JSON.stringify(records, null, 2), 'application/json');
  };

  const submitTag = () => {
    const name = tag.trim();
    if (!name || !has) return;
    setTag('');
    void store.guard('Tagging failed', () => addTag(store.db, index, targets, name));
  };

  const submitCollection = () => {
    const name = newCollection?.trim();
    setNewCollection(null);
    if (!name) return;
    void store.guard('Creating the collection failed', async () => {
      const id = await createCollection(store.db, name);
      if (has) await addToCollection(store.db, index, id, targets);
      await store.reloadCollections();
    });
  };

  return (
    <div className="selection-bar">
      <span className="counts" data-testid="counts">
        <b data-testid="view-count">{res.rows.length}</b> of {index.size} samples
        {store.selection.size > 0 && <> · {store.selection.size} selected</>}
        <span className="muted"> · {res.ms.toFixed(1)} ms</span>
      </span>
      <div className="actions">
        <button
          type="button"
          disabled={!has}
          data-testid="favourite"
          title="Favourite (F)"
          onClick={() =>
            void store.guard('Saving failed', () => setFavourite(store.db, index, targets, !anyFav))
          }
        >
          {anyFav ? '★ Unfavourite' : '☆ Favourite'}
        </button>
        <input
          className="tag-input"
          placeholder="add tag"
          aria-label="Add tag to selection"
          data-testid="tag-input"
          value={tag}
          disabled={!has}
          onChange={(e) => setTag(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && submitTag()}
        />
        {tagsOnTargets.length > 0 && (
          <select
            aria-label="Remove tag from selection"
            data-testid="tag-remove"
            value=""
            onChange={(e) => {
              const tagId = Number(e.target.value);
              void store.guard('Saving failed', () => removeTag(store.db, index, targets, tagId));
            }}
          >
            <option value="">remove tag…</option>
            {tagsOnTargets.map((t) => (
              <option key={t} value={t}>
                #{index.tagName(t)}
              </option>
            ))}
          </select>
        )}
        {newCollection === null ? (
          <select
            aria-label="Add selection to collection"
            data-testid="collection-add"
            value=""
            onChange={(e) => {
              const v = e.target.value;
              if (v === 'new') setNewCollection('');
              else if (v && has) {
                void store.guard('Saving failed', async () => {
                  await addToCollection(store.db, index, Number(v), targets);
                  await store.reloadCollections();
                });
              }
            }}
          >
            <option value="">add to collection…</option>
            {store.collections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
            <option value="new">new collection…</option>
          </select>
        ) : (
          <input
            placeholder="collection name"
            data-testid="collection-name"
            value={newCollection}
            onChange={(e) => setNewCollection(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') submitCollection();
              if (e.key === 'Escape') setNewCollection(null);
            }}
            onBlur={submitCollection}
          />
        )}
        {inCollection !== null && has && (
          <button
            type="button"
            onClick={() =>
              void store.guard('Saving failed', async () => {
                await removeFromCollection(store.db, index, inCollection, targets);
                await store.reloadCollections();
              })
            }
          >
            Remove from collection
          </button>
        )}
        {inCollection !== null && directoryPicker() && (
          <button
            type="button"
            title="Copy this collection's files into a folder you choose"
            onClick={async () => {
              let dir: FileSystemDirectoryHandle;
              try {
                dir = await directoryPicker()!({ mode: 'readwrite', id: 'samplemind-export' });
              } catch {
                return;
              }
              const ids = [...(index.collections.get(inCollection) ?? [])];
              const files = ids.map((id) => ({ id, name: index.name[index.rowOfFile(id)] }));
              const r = await copyToFolder(store.access, files, dir);
              store.notify(
                `Copied ${r.copied} files to “${dir.name}”${r.failed.length ? `; ${r.failed.length} failed: ${r.failed.slice(0, 3).join('; ')}` : ''}`,
                r.failed.length ? 'error' : 'info',
              );
            }}
          >
            Copy to folder…
          </button>
        )}
        <button
          type="button"
          onClick={() => exportAs('csv')}
          data-testid="export-csv"
          title="Selection, or the whole view"
        >
          Export CSV
        </button>
        <button type="button" onClick={() => exportAs('json')} data-testid="export-json">
          Export JSON
        </button>
        <button
          type="button"
          disabled={!local.length}
          title="Analyse again (e.g. after an engine update)"
          onClick={() =>
            void store.guard('Re-analysis failed', () =>
              store.importer!.requeue(local, undefined, { force: true }),
            )
          }
        >
          Re-analyse
        </button>
        <AiBulkDescribeButton />
        <button
          type="button"
          disabled={!has}
          className="danger"
          data-testid="remove"
          onClick={() => {
            if (
              !confirm(`Remove ${targets.length} sample(s) from the library? Files on disk are not touched.`)
            )
              return;
            void store.guard('Removing failed', async () => {
              await removeFiles(store.db, index, targets);
              store.selection = new Set();
              store.focus = null;
            });
          }}
        >
          Remove
        </button>
      </div>
    </div>
  );
}
