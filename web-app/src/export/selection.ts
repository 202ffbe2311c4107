import { SAMPLE_TYPES } from '@samplemind/contract';
import { camelotOfCode, keyLabel } from '../query/keys';
import { type LibraryIndex, STATUS_CODES } from '../state/library-index';
import { midiName } from '../ui/format';

export type ExportRecord = {
  name: string;
  path: string;
  status: string;
  type: string | null;
  bpm: number | null;
  key: string | null;
  camelot: string | null;
  durationSec: number | null;
  lufs: number | null;
  rootNote: string | null;
  loop: boolean | null;
  favourite: boolean;
  tags: string[];
  contentHash: string | null;
  error: string | null;
};

const num = (x: number, digits: number) => (Number.isNaN(x) ? null : Number(x.toFixed(digits)));

/** The values exactly as the table shows them (user edits applied). */
export function exportRecords(index: LibraryIndex, fileIds: number[]): ExportRecord[] {
  return fileIds.flatMap((id) => {
    const r = index.rowOfFile(id);
    if (r < 0) return [];
    const key = index.key[r];
    return [
      {
        name: index.name[r],
        path: index.path[r],
        status: STATUS_CODES[index.status[r]],
        type: index.type[r] >= 0 ? SAMPLE_TYPES[index.type[r]] : null,
        bpm: num(index.bpm[r], 2),
        key: key >= 0 ? keyLabel(key) : null,
        camelot: key >= 0 ? camelotOfCode(key) : null,
        durationSec: num(index.duration[r], 3),
        lufs: num(index.lufs[r], 1),
        rootNote: Number.isNaN(index.root[r]) ? null : midiName(index.root[r]),
        loop: index.loop[r] < 0 ? null : index.loop[r] === 1,
        favourite: index.favourite[r] === 1,
        tags: (index.tags[r] ?? []).map((t) => index.tagName(t)),
        contentHash: index.hash[r] || null,
        error: index.error[r] || null,
      },
    ];
  });
}

const COLUMNS: (keyof ExportRecord)[] = [
  'name',
  'path',
  'status',
  'type',
  'bpm',
  'key',
  'camelot',
  'durationSec',
  'lufs',
  'rootNote',
  'loop',
  'favourite',
  'tags',
  'contentHash',
  'error',
];

function cell(v: ExportRecord[keyof ExportRecord]): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join(';') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header row. */
export function toCsv(records: ExportRecord[]): string {
  const lines = [COLUMNS.join(',')];
  for (const r of records) lines.push(COLUMNS.map((c) => cell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Saves text as a download. */
export function download(fileName: string, content: string | Blob, mime: string): void {
  const blob = typeof content === 'string' ? new Blob([content], { type: mime }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
