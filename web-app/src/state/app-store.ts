import type { SampleMindDb } from '../db/database';
import { describeStorageError } from '../db/storage-errors';
import type { CollectionRow, FolderRow } from '../db/types';
import type { FileAccess } from '../import/file-access';
import type { Importer } from '../import/importer';
import type { ImportProgress } from '../import/progress';
import { type QueryResult, runQuery } from '../query/run-query';
import { SortCache } from '../query/sort';
import { formatViewQuery } from '../query/url-state';
import type { ViewQuery } from '../query/view-query';
import type { LibraryIndex } from './library-index';

export type Settings = { autoAudition: boolean; loudnessMatch: boolean };
export type Notice = { id: number; kind: 'error' | 'info'; text: string };
export type Panel = 'detail' | 'similar' | 'map' | null;

/**
 * The app's state outside React: the index, the current view and its result, selection and
 * import progress. Components subscribe to `version` (useSyncExternalStore) and read fields
 * directly; changes from imports are coalesced to a few notifications per second.
 */
export class AppStore {
  version = 0;
  query: ViewQuery;
  result: QueryResult;
  /** Selected file ids. */
  selection = new Set<number>();
  /** Keyboard focus (file id). */
  focus: number | null = null;
  anchor: number | null = null;
  panel: Panel = 'detail';
  settings: Settings;
  notices: Notice[] = [];
  progress: ImportProgress | null = null;
  collections: CollectionRow[] = [];
  folders: FolderRow[] = [];
  importer: Importer | null = null;
  lastQueryMs = 0;

  readonly sorts = new SortCache();
  private urlTimer: ReturnType<typeof setTimeout> | null = null;
  private listeners = new Set<() => void>();
  private resultFor = { version: -1, query: null as ViewQuery | null };
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private lastNotify = 0;
  private noticeId = 0;

  constructor(
    readonly db: SampleMindDb,
    readonly index: LibraryIndex,
    readonly access: FileAccess,
    query: ViewQuery,
    private readonly history: { replace(search: string): void } | null,
  ) {
    this.query = query;
    this.settings = readSettings();
    this.result = this.compute();
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getVersion = () => this.version;

  /** Re-renders now. */
  emit(): void {
    if (this.notifyTimer) {
      clearTimeout(this.notifyTimer);
      this.notifyTimer = null;
    }
    this.lastNotify = performance.now();
    this.version++;
    for (const l of this.listeners) l();
  }

  /** Re-renders soon: at most ~4 times a second while an import streams in. */
  emitSoon(): void {
    if (this.notifyTimer) return;
    const wait = Math.max(0, 250 - (performance.now() - this.lastNotify));
    this.notifyTimer = setTimeout(() => this.emit(), wait);
  }

  /** The current view's rows, recomputed only when the index or the query changed. */
  view(): QueryResult {
    if (this.resultFor.version !== this.index.version || this.resultFor.query !== this.query)
      this.result = this.compute();
    return this.result;
  }

  private compute(): QueryResult {
    const res = runQuery(this.index, this.query, this.sorts);
    this.lastQueryMs = res.ms;
    this.resultFor = { version: this.index.version, query: this.query };
    return res;
  }

  setQuery(patch: Partial<ViewQuery>): void {
    this.query = { ...this.query, ...patch };
    this.emit();
    // history.replaceState costs several ms: keep it off the path from input to new rows.
    if (this.urlTimer) clearTimeout(this.urlTimer);
    this.urlTimer = setTimeout(() => {
      this.urlTimer = null;
      this.history?.replace(formatViewQuery(this.query));
    }, 150);
  }

  setPanel(panel: Panel): void {
    this.panel = panel;
    this.emit();
  }

  setSettings(patch: Partial<Settings>): void {
    this.settings = { ...this.settings, ...patch };
    try {
      localStorage.setItem('samplemind.settings', JSON.stringify(this.settings));
    } catch {
      // Private mode or storage full: settings just do not persist.
    }
    this.emit();
  }

  notify(text: string, kind: Notice['kind'] = 'error'): void {
    if (this.notices.some((n) => n.text === text)) return;
    this.notices = [...this.notices, { id: ++this.noticeId, kind, text }];
    this.emit();
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.emit();
  }

  /** Runs a storage action and turns its failure (quota!) into a notice. */
  async guard<T>(what: string, action: () => Promise<T>): Promise<T | undefined> {
    try {
      const out = await action();
      this.emit();
      return out;
    } catch (err) {
      this.notify(describeStorageError(err, what));
      return undefined;
    }
  }

  async reloadCollections(): Promise<void> {
    this.collections = await this.db.collections.orderBy('name').toArray();
    this.folders = await this.db.folders.toArray();
    this.emit();
  }

  /** Selection helpers work on file ids; rows are positions in the current view. */
  select(fileId: number, mode: 'only' | 'toggle' | 'range'): void {
    if (mode === 'only') {
      this.selection = new Set([fileId]);
      this.anchor = fileId;
    } else if (mode === 'toggle') {
      const next = new Set(this.selection);
      if (next.has(fileId)) next.delete(fileId);
      else next.add(fileId);
      this.selection = next;
      this.anchor = fileId;
    } else {
      const rows = this.view().rows;
      const pos = (id: number | null) => (id === null ? -1 : rows.indexOf(this.index.rowOfFile(id)));
      const a = Math.max(0, pos(this.anchor));
      const b = pos(fileId);
      const next = new Set<number>();
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) next.add(this.index.fileId[rows[i]]);
      this.selection = next;
    }
    this.focus = fileId;
    this.emit();
  }

  selectAllInView(): void {
    const rows = this.view().rows;
    const next = new Set<number>();
    for (let i = 0; i < rows.length; i++) next.add(this.index.fileId[rows[i]]);
    this.selection = next;
    this.emit();
  }

  /** The selection, or the focused row when nothing is selected. */
  targets(): number[] {
    if (this.selection.size) return [...this.selection];
    return this.focus !== null ? [this.focus] : [];
  }
}

function readSettings(): Settings {
  const defaults: Settings = { autoAudition: false, loudnessMatch: false };
  try {
    return { ...defaults, ...JSON.parse(localStorage.getItem('samplemind.settings') ?? '{}') };
  } catch {
    return defaults;
  }
}
