import { midiNoteName } from '@samplemind/contract';

export const midiName = (m: number) => midiNoteName(m);

export function fmtDuration(sec: number): string {
  if (Number.isNaN(sec)) return '';
  if (sec < 10) return `${sec.toFixed(2)} s`;
  const m = Math.floor(sec / 60);
  const s = sec - m * 60;
  return m ? `${m}:${s.toFixed(0).padStart(2, '0')}` : `${s.toFixed(1)} s`;
}

export const fmtNum = (x: number, digits = 1) => (Number.isNaN(x) ? '' : x.toFixed(digits));
export const fmtPct = (x: number) => `${Math.round(x * 100)} %`;

// One formatter for all rows: building an Intl formatter per call costs ~0.1 ms.
const DATE = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
export const fmtDate = (ms: number): string => DATE.format(ms);

export function fmtEta(sec: number | null): string {
  if (sec === null) return '…';
  if (sec < 60) return `${Math.ceil(sec)} s`;
  const m = Math.floor(sec / 60);
  return m < 60 ? `${m} min ${Math.round(sec - m * 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const u = ['KB', 'MB', 'GB', 'TB'];
  let i = -1;
  do {
    n /= 1024;
    i++;
  } while (n >= 1024 && i < u.length - 1);
  return `${n.toFixed(n < 10 ? 1 : 0)} ${u[i]}`;
}

/** Whole BPM when it is one, else one decimal. */
export function fmtBpm(bpm: number): string {
  if (Number.isNaN(bpm)) return '';
  return Math.abs(bpm - Math.round(bpm)) < 0.05 ? String(Math.round(bpm)) : bpm.toFixed(1);
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", else the date. */
export function fmtAgo(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  return fmtDate(at);
}
