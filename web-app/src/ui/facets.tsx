import { SAMPLE_TYPES, type SampleType } from '@samplemind/contract';
import { useMemo, useState } from 'react';
import { rescanFolder } from '../fs/folders';
import { camelotOfCode, KEY_COUNT, keyLabel } from '../query/keys';
import { DEFAULT_QUERY, type StatusFilter } from '../query/view-query';
import { deleteCollection } from '../state/library-actions';
import type { LibraryIndex } from '../state/library-index';
import { TYPE_COLOURS } from './type-colours';
import { useStore } from './use-store';

const STATUS_LABELS: [StatusFilter, string][] = [
  ['any', 'All'],
  ['done', 'Analysed'],
  ['queued', 'Queued'],
  ['error', 'Errors'],
  ['missing', 'Missing'],
  ['remote', 'Not on this device'],
  ['duplicates', 'Duplicates'],
  ['favourites', 'Favourites'],
  ['outdated', 'Older engine'],
];

const ALL_KEYS = Array.from({ length: KEY_COUNT }, (_, c) => c);

/** Folder paths (up to two levels) with file counts, recomputed only when the index changes. */
function folderCounts(index: LibraryIndex): [string, number][] {
  const counts = new Map<string, number>();
  // indexOf/slice rather than split: this runs over every row each time rows change (each page
  // of a first sync), and split allocates an array per row.
  for (let r = 0; r < index.size; r++) {
    const path = index.path[r];
    const first = path.indexOf('/');
    if (first < 0) continue;
    const top = path.slice(0, first);
    counts.set(top, (counts.get(top) ?? 0) + 1);
    const second = path.indexOf('/', first + 1);
    if (second >= 0) {
      const two = path.slice(0, second);
      counts.set(two, (counts.get(two) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => a[0].localeCompare(b[0]));
}

function NumberRange(props: {
  label: string;
  min: number | null;
  max: number | null;
  step: number;
  onChange: (min: number | null, max: number | null) => void;
  testId: string;
}) {
  const parse = (s: string) => (s.trim() === '' || Number.isNaN(Number(s)) ? null : Number(s));
  return (
    <div className="range">
      <input
        type="number"
        aria-label={`${props.label} from`}
        data-testid={`${props.testId}-min`}
        placeholder="min"
        step={props.step}
        value={props.min ?? ''}
        onChange={(e) => props.onChange(parse(e.target.value), props.max)}
      />
      <span>–</span>
      <input
        type="number"
        aria-label={`${props.label} to`}
        data-testid={`${props.testId}-max`}
        placeholder="max"
        step={props.step}
        value={props.max ?? ''}
        onChange={(e) => props.onChange(props.min, parse(e.target.value))}
      />
    </div>
  );
}

export function Facets() {
  const store = useStore();
  const { query: q, index } = store;
  const res = store.view();
  const [folderVersion, setFolderVersion] = useState(-1);
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed when the index's sort keys change
  const folders = useMemo(() => folderCounts(index), [index.rowsVersion, folderVersion]);
  const toggleType = (t: SampleType) =>
    store.setQuery({ types: q.types.includes(t) ? q.types.filter((x) => x !== t) : [...q.types, t] });
  const toggleKey = (k: number) =>
    store.setQuery({ keys: q.keys.includes(k) ? q.keys.filter((x) => x !== k) : [...q.keys, k] });
  const toggleTag = (id: number) =>
    store.setQuery({ tags: q.tags.includes(id) ? q.tags.filter((x) => x !== id) : [...q.tags, id] });
  const fsFolders = store.folders.filter((f) => f.handle);

  return (
    <aside className="facets" aria-label="Filters">
      <div className="facet-head">
        <h2>Filters</h2>
        <button
          type="button"
          className="link"
          onClick={() => store.setQuery({ ...DEFAULT_QUERY, sort: q.sort, desc: q.desc })}
        >
          clear
        </button>
      </div>

      <section>
        <fieldset className="chips" aria-label="Status">
          {STATUS_LABELS.map(([value, label]) => (
            <button
              key={value}
              type="button"
              aria-pressed={q.status === value}
              className={`chip${q.status === value ? ' on' : ''}`}
              data-testid={`status-${value}`}
              onClick={() => store.setQuery({ status: value })}
            >
              {label}
            </button>
          ))}
        </fieldset>
      </section>

      <section>
        <h3>Type</h3>
        <ul className="facet-list">
          {SAMPLE_TYPES.map((t, i) => (
            <li key={t}>
              <label>
                <input
                  type="checkbox"
                  checked={q.types.includes(t)}
                  onChange={() => toggleType(t)}
                  data-testid={`type-${t}`}
                />
                <span className="type-dot" style={{ background: TYPE_COLOURS[i] }} />
                {t}
                <span className="count">{res.typeCounts[i]}</span>
              </label>
            </li>
          ))}
        </ul>
      </section>

      <section>
        <h3>Key</h3>
        <div className="key-grid">
          {ALL_KEYS.slice()
            .sort((a, b) => (a & 1) - (b & 1) || a - b)
            .map((c) => (
              <button
                key={c}
                type="button"
                className={`key${q.keys.includes(c) ? ' on' : ''}${res.keyCounts[c] ? '' : ' none'}`}
                title={`${keyLabel(c)} (${camelotOfCode(c)}): ${res.keyCounts[c]}`}
                data-testid={`key-${keyLabel(c)}`}
                onClick={() => toggleKey(c)}
              >
                {keyLabel(c)}
              </button>
            ))}
        </div>
        <label className="toggle">
          <input
            type="checkbox"
            checked={q.compatible}
            onChange={(e) => store.setQuery({ compatible: e.target.checked })}
          />
          include compatible keys (Camelot ±1, relative)
        </label>
      </section>

      <section>
        <h3>BPM</h3>
        <NumberRange
          label="BPM"
          testId="bpm"
          min={q.bpmMin}
          max={q.bpmMax}
          step={1}
          onChange={(bpmMin, bpmMax) => store.setQuery({ bpmMin, bpmMax })}
        />
        <label className="toggle">
          <input
            type="checkbox"
            checked={q.halfDouble}
            data-testid="bpm-halfdouble"
            onChange={(e) => store.setQuery({ halfDouble: e.target.checked })}
          />
          also half / double time
        </label>
      </section>

      <section>
        <h3>Length (s)</h3>
        <NumberRange
          label="Length"
          testId="dur"
          min={q.durMin}
          max={q.durMax}
          step={0.1}
          onChange={(durMin, durMax) => store.setQuery({ durMin, durMax })}
        />
      </section>

      <section>
        <h3>Loop</h3>
        <fieldset className="chips" aria-label="Loop or one-shot">
          {(
            [
              ['any', 'Any'],
              ['oneshot', `One-shots ${res.loopCounts[0]}`],
              ['loop', `Loops ${res.loopCounts[1]}`],
            ] as const
          ).map(([v, label]) => (
            <button
              key={v}
              type="button"
              aria-pressed={q.loop === v}
              className={`chip${q.loop === v ? ' on' : ''}`}
              data-testid={`loop-${v}`}
              onClick={() => store.setQuery({ loop: v })}
            >
              {label}
            </button>
          ))}
        </fieldset>
      </section>

      {index.allTags().length > 0 && (
        <section>
          <h3>Tags</h3>
          <div className="chips">
            {index.allTags().map((t) => (
              <button
                key={t.id}
                type="button"
                className={`chip${q.tags.includes(t.id) ? ' on' : ''}`}
                data-testid={`tag-${t.name}`}
                onClick={() => toggleTag(t.id)}
              >
                #{t.name}
              </button>
            ))}
          </div>
        </section>
      )}

      {store.collections.length > 0 && (
        <section>
          <h3>Collections</h3>
          <ul className="facet-list">
            {store.collections.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className={`link${q.collection === c.id ? ' on' : ''}`}
                  data-testid={`collection-${c.name}`}
                  onClick={() => store.setQuery({ collection: q.collection === c.id ? null : c.id! })}
                >
                  {c.name}
                </button>
                <span className="count">{index.collections.get(c.id!)?.size ?? 0}</span>
                <button
                  type="button"
                  className="icon"
                  title="Delete collection (the samples stay)"
                  onClick={() =>
                    void store.guard('Deleting the collection failed', async () => {
                      await deleteCollection(store.db, index, c.id!);
                      if (q.collection === c.id) store.setQuery({ collection: null });
                      await store.reloadCollections();
                    })
                  }
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      {folders.length > 0 && (
        <section>
          <h3>Folders</h3>
          <ul className="facet-list folders">
            {folders.map(([path, count]) => (
              <li key={path} className={path.includes('/') ? 'sub' : ''}>
                <button
                  type="button"
                  className={`link${q.folder === path ? ' on' : ''}`}
                  onClick={() => store.setQuery({ folder: q.folder === path ? null : path })}
                >
                  {path.split('/').pop()}
                </button>
                <span className="count">{count}</span>
              </li>
            ))}
          </ul>
          {fsFolders.map((f) => (
            <button
              key={f.id}
              type="button"
              className="small"
              title="Analyse new and changed files, mark missing ones, relink moved ones"
              onClick={() =>
                void store.guard('Rescan failed', async () => {
                  if (!store.importer) return;
                  try {
                    const r = await rescanFolder(store.db, store.importer, f.id!);
                    store.notify(
                      `Rescanned “${f.name}”: ${r.added} new, ${r.changed} changed, ${r.missing} missing, ${r.relinked} moved`,
                      'info',
                    );
                  } catch (err) {
                    store.notify(err instanceof Error ? err.message : String(err));
                  }
                  setFolderVersion((v) => v + 1);
                })
              }
            >
              ⟳ Rescan {f.name}
            </button>
          ))}
        </section>
      )}
    </aside>
  );
}
