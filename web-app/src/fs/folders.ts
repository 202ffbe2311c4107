import type { SampleMindDb } from '../db/database';
import type { FileRow } from '../db/types';
import { ensureReadPermission, type FileAccess } from '../import/file-access';
import { contentHash } from '../import/hash';
import type { Importer, ImportItem } from '../import/importer';
import { itemsFromDirectoryHandle } from '../import/sources';

type DirectoryPicker = (o?: {
  mode?: 'read' | 'readwrite';
  id?: string;
}) => Promise<FileSystemDirectoryHandle>;

/** File System Access folder picker, where the browser has it (Chromium). */
export function directoryPicker(): DirectoryPicker | null {
  const w = globalThis as unknown as { showDirectoryPicker?: DirectoryPicker };
  return typeof w.showDirectoryPicker === 'function' ? w.showDirectoryPicker.bind(globalThis) : null;
}

/** Stores the folder handle (so it can be rescanned after a reload) and imports its audio files. */
export async function addFolder(db: SampleMindDb, importer: Importer, handle: FileSystemDirectoryHandle) {
  const folders = await db.folders.toArray();
  for (const f of folders) {
    if (f.handle && (await f.handle.isSameEntry(handle))) return rescanFolder(db, importer, f.id!);
  }
  const folderId = (await db.folders.add({
    name: handle.name,
    handle,
    addedAt: Date.now(),
    lastScanAt: null,
  })) as number;
  const items = await itemsFromDirectoryHandle(handle, folderId);
  await importer.add(items);
  await db.folders.update(folderId, { lastScanAt: Date.now() });
  return { added: items.length, changed: 0, missing: 0, relinked: 0 };
}

export type RescanReport = { added: number; changed: number; missing: number; relinked: number };

/**
 * Rescan: new files are imported, changed ones (size or mtime) re-analysed, files no longer there
 * are marked missing, and a "new" file whose content hash matches a missing one is treated as a
 * move: the old row takes the new path and keeps its edits, tags and collections.
 */
export async function rescanFolder(
  db: SampleMindDb,
  importer: Importer,
  folderId: number,
): Promise<RescanReport> {
  const folder = await db.folders.get(folderId);
  if (!folder?.handle) throw new Error('this folder has no stored link; add it again with "Add folder"');
  if (!(await ensureReadPermission(folder.handle, true)))
    throw new Error(`access to "${folder.name}" was not granted`);
  const found = await itemsFromDirectoryHandle(folder.handle, folderId);
  const rows = await db.files.where('folderId').equals(folderId).toArray();
  return reconcileFolder(db, importer, rows, found);
}

export async function reconcileFolder(
  db: SampleMindDb,
  importer: Importer,
  rows: FileRow[],
  found: ImportItem[],
  hash: (b: Uint8Array) => Promise<string> = contentHash,
): Promise<RescanReport> {
  const byPath = new Map(rows.map((r) => [r.path, r]));
  const seen = new Set<string>();
  const fresh: ImportItem[] = [];
  const changed: { id: number; item: ImportItem }[] = [];
  for (const item of found) {
    seen.add(item.path);
    const row = byPath.get(item.path);
    if (!row) fresh.push(item);
    else if (row.size !== item.size || row.mtime !== item.mtime || row.status === 'missing') {
      changed.push({ id: row.id!, item });
    }
  }
  const gone = rows.filter((r) => !seen.has(r.path) && r.status !== 'missing');
  // Moves: hash only the new files that could match something that went missing.
  const goneByHash = new Map(gone.filter((r) => r.contentHash).map((r) => [r.contentHash!, r]));
  const relinked: { row: FileRow; item: ImportItem }[] = [];
  if (goneByHash.size) {
    for (const item of [...fresh]) {
      const h = await hash(new Uint8Array(await item.blob.arrayBuffer()));
      const row = goneByHash.get(h);
      if (row) {
        goneByHash.delete(h);
        relinked.push({ row, item });
        fresh.splice(fresh.indexOf(item), 1);
      }
    }
  }
  const relinkedIds = new Set(relinked.map((r) => r.row.id));
  const missing = gone.filter((r) => !relinkedIds.has(r.id));
  const index = importer.index;
  await db.transaction('rw', db.files, async () => {
    await db.files.bulkUpdate([
      ...relinked.map(({ row, item }) => ({
        key: row.id!,
        changes: {
          path: item.path,
          name: item.name,
          size: item.size,
          mtime: item.mtime,
          status: 'done' as const,
        },
      })),
      ...missing.map((r) => ({
        key: r.id!,
        changes: {
          status: 'missing' as const,
          error: { code: 'unreadable' as const, message: 'the file is no longer in its folder' },
        },
      })),
    ]);
  });
  for (const { row, item } of relinked) {
    index.patchFile(row.id!, { path: item.path, name: item.name, status: row.summary ? 'done' : 'queued' });
  }
  for (const r of missing) {
    index.patchFile(r.id!, {
      status: 'missing',
      error: { code: 'unreadable', message: 'the file is no longer in its folder' },
    });
  }
  await importer.add(fresh);
  await importer.requeue(
    changed.map((c) => c.id),
    changed.map((c) => c.item),
  );
  const folderId = found[0]?.folderId ?? rows[0]?.folderId;
  if (folderId != null) await db.folders.update(folderId, { lastScanAt: Date.now() });
  return { added: fresh.length, changed: changed.length, missing: missing.length, relinked: relinked.length };
}

/** Copies the files of a collection into a folder the user picks (File System Access). */
export async function copyToFolder(
  access: FileAccess,
  files: { id: number; name: string }[],
  target: FileSystemDirectoryHandle,
  onProgress?: (done: number) => void,
): Promise<{ copied: number; failed: string[] }> {
  const failed: string[] = [];
  let copied = 0;
  const used = new Set<string>();
  for (const f of files) {
    try {
      const blob = await access.blob(f.id, { ask: true });
      let name = f.name;
      for (let n = 2; used.has(name.toLowerCase()); n++) name = f.name.replace(/(\.[^.]*)?$/, ` (${n})$1`);
      used.add(name.toLowerCase());
      const fh = await target.getFileHandle(name, { create: true });
      const w = await fh.createWritable();
      await w.write(blob);
      await w.close();
      copied++;
    } catch (err) {
      failed.push(`${f.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    onProgress?.(copied + failed.length);
  }
  return { copied, failed };
}
