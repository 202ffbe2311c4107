import type { ImportItem } from './importer';

export const AUDIO_EXTENSIONS = ['wav', 'wave', 'aif', 'aiff', 'aifc', 'flac', 'mp3', 'ogg', 'oga'];
const AUDIO_RE = new RegExp(`\\.(${AUDIO_EXTENSIONS.join('|')})$`, 'i');

/** Inside folders only audio files count (no .DS_Store, project files, docs). */
export const isAudioName = (name: string) => AUDIO_RE.test(name);

const itemOf = (
  file: File,
  path: string,
  folderId: number | null,
  handle?: FileSystemFileHandle,
): ImportItem => ({
  blob: file,
  name: file.name,
  path,
  size: file.size,
  mtime: file.lastModified,
  folderId,
  ...(handle ? { handle } : {}),
});

/**
 * From <input type=file> (with or without webkitdirectory). Reading a disk-backed File's size and
 * date costs a little main-thread time each, so thousands are read in slices with yields between.
 */
export async function itemsFromFiles(files: Iterable<File>, slice = 100): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  let n = 0;
  for (const f of files) {
    // Yield first too: the browser has just spent its own long task building the file list.
    if (n++ % slice === 0) await new Promise((r) => setTimeout(r, 0));
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath;
    if (rel && !isAudioName(f.name)) continue;
    out.push(itemOf(f, rel || f.name, null));
  }
  return out;
}

/** Recursively lists a directory handle (File System Access). */
export async function itemsFromDirectoryHandle(
  dir: FileSystemDirectoryHandle,
  folderId: number,
  prefix = dir.name,
): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  const iterable = dir as unknown as AsyncIterable<[string, FileSystemHandle]> & {
    entries(): AsyncIterable<[string, FileSystemHandle]>;
  };
  for await (const [name, handle] of iterable.entries()) {
    const path = `${prefix}/${name}`;
    if (handle.kind === 'directory') {
      out.push(...(await itemsFromDirectoryHandle(handle as FileSystemDirectoryHandle, folderId, path)));
    } else if (isAudioName(name)) {
      const file = await (handle as FileSystemFileHandle).getFile();
      out.push(itemOf(file, path, folderId));
    }
  }
  return out;
}

type Entry = FileSystemEntry;

async function itemsFromEntry(entry: Entry, path: string): Promise<ImportItem[]> {
  if (entry.isFile) {
    if (path.includes('/') && !isAudioName(entry.name)) return [];
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    return [itemOf(file, path, null)];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: Entry[] = [];
  // readEntries returns at most ~100 entries per call.
  for (;;) {
    const batch = await new Promise<Entry[]>((res, rej) => reader.readEntries(res, rej));
    if (!batch.length) break;
    children.push(...batch);
  }
  const out: ImportItem[] = [];
  for (const child of children) out.push(...(await itemsFromEntry(child, `${path}/${child.name}`)));
  return out;
}

export type DropResult = {
  items: ImportItem[];
  /** Folder handles from the drop (Chrome); the caller stores them and scans with their ids. */
  folders: FileSystemDirectoryHandle[];
};

/**
 * Reads a drop. Everything is requested synchronously inside the drop event (the DataTransfer is
 * emptied afterwards): file-system handles where the browser has them (kept for rescans and
 * playback after a reload), else entries (folders without handles), else plain files.
 */
export function readDrop(dt: DataTransfer): Promise<DropResult> {
  type HandleItem = DataTransferItem & { getAsFileSystemHandle?: () => Promise<FileSystemHandle | null> };
  const pending: Promise<{ items: ImportItem[]; folder?: FileSystemDirectoryHandle }>[] = [];
  for (const it of Array.from(dt.items) as HandleItem[]) {
    if (it.kind !== 'file') continue;
    const file = it.getAsFile();
    const entry = it.webkitGetAsEntry?.() ?? null;
    const handleP = it.getAsFileSystemHandle?.() ?? Promise.resolve(null);
    pending.push(
      (async () => {
        const handle = await handleP.catch(() => null);
        if (handle?.kind === 'directory') return { items: [], folder: handle as FileSystemDirectoryHandle };
        if (handle?.kind === 'file') {
          const f = await (handle as FileSystemFileHandle).getFile();
          return { items: [itemOf(f, f.name, null, handle as FileSystemFileHandle)] };
        }
        if (entry?.isDirectory) return { items: await itemsFromEntry(entry, entry.name) };
        return { items: file ? [itemOf(file, file.name, null)] : [] };
      })(),
    );
  }
  return Promise.all(pending).then((parts) => ({
    items: parts.flatMap((p) => p.items),
    folders: parts.flatMap((p) => (p.folder ? [p.folder] : [])),
  }));
}
