import { SAMPLE_TYPES } from '@samplemind/contract';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useLayoutEffect, useRef } from 'react';
import { camelotOfCode, keyLabel } from '../query/keys';
import type { SortField } from '../query/view-query';
import { EDITED, STATUS } from '../state/library-index';
import { togglePlay } from './actions';
import { startDragOut } from './drag-out';
import { fmtBpm, fmtDate, fmtDuration, fmtNum, midiName } from './format';
import { isRemoteStatus, NotOnDeviceBadge } from './not-on-device';
import { TYPE_COLOURS } from './type-colours';
import { usePlayer, useStore } from './use-store';

const ROW_HEIGHT = 28;

const COLUMNS: { field: SortField | null; label: string; className: string }[] = [
  { field: null, label: '★', className: 'c-fav' },
  { field: 'name', label: 'Name', className: 'c-name' },
  { field: 'type', label: 'Type', className: 'c-type' },
  { field: 'bpm', label: 'BPM', className: 'c-num' },
  { field: 'key', label: 'Key', className: 'c-key' },
  { field: 'duration', label: 'Length', className: 'c-num' },
  { field: 'lufs', label: 'LUFS', className: 'c-num' },
  { field: 'root', label: 'Root', className: 'c-key' },
  { field: 'added', label: 'Added', className: 'c-date' },
];

/** The virtualised sample list: only the rows on screen exist in the DOM, at any library size. */
export function LibraryTable() {
  const store = useStore();
  const player = usePlayer();
  const { index, query } = store;
  const result = store.view();
  const rows = result.rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();

  // Rows on screen are analysed first.
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    const ids: number[] = [];
    for (let i = first; i <= last && i < rows.length; i++) {
      if (index.status[rows[i]] === STATUS.queued) ids.push(index.fileId[rows[i]]);
    }
    store.importer?.setVisible(ids);
  }, [first, last, rows, index, store]);

  // Benchmark hook: called after every commit of the table (before paint).
  useLayoutEffect(() => {
    (globalThis as { __samplemindTableCommit?: () => void }).__samplemindTableCommit?.();
  });

  const focusPos = store.focus === null ? -1 : rows.indexOf(index.rowOfFile(store.focus));

  const moveFocus = (pos: number, extend: boolean) => {
    if (!rows.length) return;
    const p = Math.max(0, Math.min(rows.length - 1, pos));
    const id = index.fileId[rows[p]];
    store.select(id, extend ? 'range' : 'only');
    virtualizer.scrollToIndex(p, { align: 'auto' });
    if (store.settings.autoAudition && index.status[rows[p]] === STATUS.done)
      togglePlay(store, player, id, true);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 280) / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        moveFocus(focusPos + 1, e.shiftKey);
        break;
      case 'ArrowUp':
        moveFocus(focusPos < 0 ? 0 : focusPos - 1, e.shiftKey);
        break;
      case 'PageDown':
        moveFocus(focusPos + page, e.shiftKey);
        break;
      case 'PageUp':
        moveFocus(focusPos - page, e.shiftKey);
        break;
      case 'Home':
        moveFocus(0, e.shiftKey);
        break;
      case 'End':
        moveFocus(rows.length - 1, e.shiftKey);
        break;
      case ' ':
        if (store.focus !== null) togglePlay(store, player, store.focus);
        break;
      case 'Enter':
        store.setPanel('detail');
        break;
      case 'a':
        if (!(e.ctrlKey || e.metaKey)) return;
        store.selectAllInView();
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const sortBy = (field: SortField) => {
    if (query.sort === field) store.setQuery({ desc: !query.desc });
    else store.setQuery({ sort: field, desc: field === 'added' });
  };

  return (
    <div className="table" data-testid="library-table">
      {/* Virtualised rows are absolutely positioned divs, so the grid semantics are ARIA roles. */}
      {/* biome-ignore lint/a11y/useSemanticElements: see above */}
      {/* biome-ignore lint/a11y/useFocusableInteractive: the header row is not a focus stop; its buttons are */}
      <div className="t-head" role="row">
        {COLUMNS.map((c) => (
          // biome-ignore lint/a11y/useSemanticElements: see above
          // biome-ignore lint/a11y/useFocusableInteractive: the sort button inside is the focus stop
          <div
            key={c.label}
            className={`t-cell ${c.className}`}
            role="columnheader"
            aria-sort={
              c.field && query.sort === c.field ? (query.desc ? 'descending' : 'ascending') : undefined
            }
          >
            {c.field ? (
              <button
                type="button"
                className={query.sort === c.field ? 'sorted' : ''}
                data-sort={c.field}
                onClick={() => sortBy(c.field!)}
              >
                {c.label}
                {query.sort === c.field ? (query.desc ? ' ▾' : ' ▴') : ''}
              </button>
            ) : (
              c.label
            )}
          </div>
        ))}
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: see above */}
      <div
        className="t-body"
        ref={scrollRef}
        tabIndex={0}
        role="grid"
        aria-rowcount={rows.length}
        aria-label="Samples"
        onKeyDown={onKeyDown}
        data-testid="table-body"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const r = rows[v.index];
            const id = index.fileId[r];
            const status = index.status[r];
            const selected = store.selection.has(id);
            const edited = index.edited[r];
            const typeIdx = index.type[r];
            const key = index.key[r];
            const dups = index.duplicateCount(r);
            const playing = player.state.fileId === id && player.state.isPlaying;
            const isRemote = isRemoteStatus(status);
            return (
              // biome-ignore lint/a11y/useSemanticElements: a virtualised grid row
              // biome-ignore lint/a11y/useKeyWithClickEvents: the grid handles the keyboard (arrows, space, enter)
              <div
                key={id}
                role="row"
                tabIndex={-1}
                aria-selected={selected}
                data-file-id={id}
                data-status={status}
                className={`t-row${selected ? ' selected' : ''}${store.focus === id ? ' focused' : ''}${playing ? ' playing' : ''}${isRemote ? ' remote' : ''}`}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                draggable={status === STATUS.done}
                onDragStart={(e) => startDragOut(e, store, id)}
                onClick={(e) => {
                  store.select(id, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'only');
                  scrollRef.current?.focus({ preventScroll: true });
                }}
                onDoubleClick={() => togglePlay(store, player, id, true)}
              >
                <div className="t-cell c-fav">{index.favourite[r] ? '★' : ''}</div>
                <div className="t-cell c-name" title={index.path[r]}>
                  <span className="name">{index.name[r]}</span>
                  {dups > 1 && (
                    <span className="badge" title={`${dups} files with identical content`}>
                      ×{dups}
                    </span>
                  )}
                  {status === STATUS.missing && <span className="badge warn">missing</span>}
                  {isRemote && <NotOnDeviceBadge isCompact />}
                </div>
                {status === STATUS.queued ? (
                  <div className="t-cell c-span muted">analysing…</div>
                ) : status === STATUS.error ? (
                  <div className="t-cell c-span error-text" data-testid="row-error">
                    {index.error[r] || 'analysis failed'}
                  </div>
                ) : (
                  <>
                    <div className={`t-cell c-type${edited & EDITED.type ? ' edited' : ''}`} data-col="type">
                      {typeIdx >= 0 ? (
                        <span className="type-chip" style={{ borderColor: TYPE_COLOURS[typeIdx] }}>
                          {SAMPLE_TYPES[typeIdx]}
                        </span>
                      ) : (
                        ''
                      )}
                    </div>
                    <div className={`t-cell c-num${edited & EDITED.bpm ? ' edited' : ''}`} data-col="bpm">
                      {fmtBpm(index.bpm[r])}
                    </div>
                    <div
                      className={`t-cell c-key${edited & EDITED.key ? ' edited' : ''}`}
                      data-col="key"
                      title={key >= 0 ? camelotOfCode(key) : ''}
                    >
                      {key >= 0 ? keyLabel(key) : ''}
                    </div>
                    <div className="t-cell c-num" data-col="duration">
                      {fmtDuration(index.duration[r])}
                    </div>
                    <div className="t-cell c-num" data-col="lufs">
                      {fmtNum(index.lufs[r])}
                    </div>
                    <div className="t-cell c-key" data-col="root">
                      {Number.isNaN(index.root[r]) ? '' : midiName(index.root[r])}
                    </div>
                  </>
                )}
                <div className="t-cell c-date">{fmtDate(index.addedAt[r])}</div>
              </div>
            );
          })}
        </div>
        {rows.length === 0 && (
          <div className="empty">
            {index.size === 0 ? (
              <>
                <p>Drop audio files or whole folders anywhere in this window,</p>
                <p>or use “Add files” / “Add folder” above. Everything is analysed on this device.</p>
              </>
            ) : (
              <p>No samples match these filters.</p>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
