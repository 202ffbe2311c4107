import type { AnalysisResult } from '@samplemind/contract';
import type { SampleMindDb } from '../db/database';
import type { CollectionItemRow, CollectionRow, EditRow, FileRow, TagRow } from '../db/types';
import { loadVectors, packRows } from '../db/vector-source';

export const LIBRARY_FORMAT = 'samplemind-library';
export const LIBRARY_FORMAT_VERSION = 1;

type ExportedFile = Omit<FileRow, 'handle'>;
export type LibraryJson = {
  format: typeof LIBRARY_FORMAT;
  version: number;
  exportedAt: string;
  files: ExportedFile[];
  samples: AnalysisResult[];
  tags: TagRow[];
  collections: CollectionRow[];
  collectionItems: CollectionItemRow[];
  edits: EditRow[];
  folders: { id: number; name: string }[];
  /**
   * Vectors of sounds without an analysis record here (pulled from another device), so their
   * "not on this device" rows stay findable by similarity after an import. Absent in older exports.
   */
  vectors?: { contentHash: string; v: number[] }[];
};

/** Every table an export reads and an import writes. */
const libraryTables = (db: SampleMindDb) => [
  db.files,
  db.samples,
  db.vectors,
  db.vectorPacks,
  db.tags,
  db.collections,
  db.collectionItems,
  db.edits,
  db.folders,
];

/**
 * The whole library as one JSON document (built as Blob parts, record by record, so a large
 * library never becomes one giant string). Audio bytes and folder handles are not included.
 */
export async function exportLibrary(db: SampleMindDb): Promise<Blob> {
  const parts: string[] = [];
  const head = {
    format: LIBRARY_FORMAT,
    version: LIBRARY_FORMAT_VERSION,
    exportedAt: new Date().toISOString(),
  };
  parts.push(JSON.stringify(head).slice(0, -1));
  const section = async <T>(name: string, rows: T[], map: (r: T) => unknown = (r) => r) => {
    parts.push(`,"${name}":[`);
    for (let i = 0; i < rows.length; i++) parts.push((i ? ',' : '') + JSON.stringify(map(rows[i])));
    parts.push(']');
  };
  await db.transaction('r', libraryTables(db), async () => {
    await section('files', await db.files.toArray(), ({ handle: _h, ...f }) => f);
    const samples = await db.samples.toArray();
    await section('samples', samples);
    const analysed = new Set(samples.map((s) => s.contentHash));
    const pulled = [...(await loadVectors(db))].filter(([h]) => !analysed.has(h));
    await section('vectors', pulled, ([contentHash, v]) => ({ contentHash, v: Array.from(v) }));
    await section('tags', await db.tags.toArray());
    await section('collections', await db.collections.toArray());
    await section('collectionItems', await db.collectionItems.toArray());
    await section('edits', await db.edits.toArray());
    await section('folders', await db.folders.toArray(), (f) => ({ id: f.id, name: f.name }));
  });
  parts.push('}');
  return new Blob(parts, { type: 'application/json' });
}

export type ImportReport = {
  files: number;
  skipped: number;
  samples: number;
  tags: number;
  collections: number;
};

/**
 * Merges an exported library: files already present (same path) keep their id and get the
 * exported edits; tags and collections are matched by name. Imported files have no audio
 * attached until their folder is added again.
 */
export async function importLibrary(db: SampleMindDb, json: unknown): Promise<ImportReport> {
  const lib = json as LibraryJson;
  if (!lib || lib.format !== LIBRARY_FORMAT || typeof lib.version !== 'number') {
    throw new Error('this is not a SampleMind library export');
  }
  if (lib.version > LIBRARY_FORMAT_VERSION) {
    throw new Error(
      `this export was made by a newer SampleMind (format ${lib.version}); update the app first`,
    );
  }
  return db.transaction('rw', libraryTables(db), async () => {
    const tagId = new Map<number, number>();
    for (const t of lib.tags) {
      const found = await db.tags.where('name').equals(t.name).first();
      tagId.set(
        t.id!,
        found ? found.id! : ((await db.tags.add({ name: t.name, createdAt: t.createdAt })) as number),
      );
    }
    const collId = new Map<number, number>();
    for (const c of lib.collections) {
      const found = await db.collections.where('name').equals(c.name).first();
      collId.set(
        c.id!,
        found ? found.id! : ((await db.collections.add({ name: c.name, createdAt: c.createdAt })) as number),
      );
    }
    const existing = new Map((await db.files.toArray()).map((f) => [f.path, f.id!]));
    const fileId = new Map<number, number>();
    let added = 0;
    for (const f of lib.files) {
      const known = existing.get(f.path);
      if (known !== undefined) {
        fileId.set(f.id!, known);
        continue;
      }
      const { id: oldId, ...rest } = f;
      const row: FileRow = {
        ...rest,
        folderId: null,
        status: f.status === 'queued' ? 'missing' : f.status,
      };
      if (f.status === 'queued') {
        row.error = {
          code: 'unreadable',
          message: 'imported from a library export before it was analysed; add the file again',
        };
      }
      fileId.set(oldId!, (await db.files.add(row)) as number);
      added++;
    }
    await db.samples.bulkPut(lib.samples);
    await db.vectors.bulkPut(
      lib.samples.map((s) => ({ contentHash: s.contentHash, v: Float32Array.from(s.features) })),
    );
    // Pulled vectors stay pulled: a pack, so a later pull or a local analysis still wins.
    if (lib.vectors?.length) await db.vectorPacks.add(packRows(lib.vectors));
    await db.edits.bulkPut(
      lib.edits.flatMap((e) => {
        const id = fileId.get(e.fileId);
        if (id === undefined) return [];
        return [{ ...e, fileId: id, tags: e.tags?.flatMap((t) => (tagId.has(t) ? [tagId.get(t)!] : [])) }];
      }),
    );
    await db.collectionItems.bulkPut(
      lib.collectionItems.flatMap((it) => {
        const f = fileId.get(it.fileId);
        const c = collId.get(it.collectionId);
        return f === undefined || c === undefined ? [] : [{ ...it, fileId: f, collectionId: c }];
      }),
    );
    return {
      files: added,
      skipped: lib.files.length - added,
      samples: lib.samples.length,
      tags: lib.tags.length,
      collections: lib.collections.length,
    };
  });
}
