import { SAMPLE_TYPES, type SampleType } from '@samplemind/contract';
import { keyLabel, NO_KEY, parseKeyLabel } from './keys';
import {
  DEFAULT_QUERY,
  SORT_FIELDS,
  type SortField,
  STATUS_FILTERS,
  type StatusFilter,
  type ViewQuery,
} from './view-query';

const num = (s: string | null): number | null => {
  if (s === null || s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};
const list = (s: string | null): string[] => (s ? s.split(',').filter(Boolean) : []);
const range = (s: string | null): [number | null, number | null] => {
  if (!s) return [null, null];
  const [a, b = ''] = s.split('-');
  return [num(a), num(b)];
};
const fmtRange = (a: number | null, b: number | null) =>
  a === null && b === null ? null : `${a ?? ''}-${b ?? ''}`;

/** Parses the view from a URL query string; unknown or malformed parts fall back to defaults. */
export function parseViewQuery(search: string): ViewQuery {
  const p = new URLSearchParams(search);
  const [bpmMin, bpmMax] = range(p.get('bpm'));
  const [durMin, durMax] = range(p.get('dur'));
  const sort = p.get('sort') as SortField | null;
  const status = p.get('status') as StatusFilter | null;
  const loop = p.get('loop');
  return {
    text: p.get('q') ?? '',
    types: list(p.get('type')).filter((t): t is SampleType =>
      (SAMPLE_TYPES as readonly string[]).includes(t),
    ),
    keys: list(p.get('key'))
      .map(parseKeyLabel)
      .filter((k) => k !== NO_KEY),
    compatible: p.get('compat') === '1',
    bpmMin,
    bpmMax,
    halfDouble: p.get('hd') === '1',
    durMin,
    durMax,
    loop: loop === 'loop' || loop === 'oneshot' ? loop : 'any',
    tags: list(p.get('tags'))
      .map(Number)
      .filter((n) => Number.isInteger(n)),
    collection: num(p.get('coll')),
    folder: p.get('folder') || null,
    status: status && STATUS_FILTERS.includes(status) ? status : DEFAULT_QUERY.status,
    sort: sort && SORT_FIELDS.includes(sort) ? sort : DEFAULT_QUERY.sort,
    desc: p.has('dir') ? p.get('dir') === 'desc' : DEFAULT_QUERY.desc,
  };
}

/** Serialises only what differs from the defaults, so a plain view has a plain URL. */
export function formatViewQuery(q: ViewQuery): string {
  const p = new URLSearchParams();
  if (q.text) p.set('q', q.text);
  if (q.types.length) p.set('type', q.types.join(','));
  if (q.keys.length) p.set('key', q.keys.map(keyLabel).join(','));
  if (q.compatible) p.set('compat', '1');
  const bpm = fmtRange(q.bpmMin, q.bpmMax);
  if (bpm) p.set('bpm', bpm);
  if (q.halfDouble) p.set('hd', '1');
  const dur = fmtRange(q.durMin, q.durMax);
  if (dur) p.set('dur', dur);
  if (q.loop !== 'any') p.set('loop', q.loop);
  if (q.tags.length) p.set('tags', q.tags.join(','));
  if (q.collection !== null) p.set('coll', String(q.collection));
  if (q.folder) p.set('folder', q.folder);
  if (q.status !== DEFAULT_QUERY.status) p.set('status', q.status);
  if (q.sort !== DEFAULT_QUERY.sort) p.set('sort', q.sort);
  if (q.desc !== DEFAULT_QUERY.desc) p.set('dir', q.desc ? 'desc' : 'asc');
  const s = p.toString();
  return s ? `?${s}` : '';
}
