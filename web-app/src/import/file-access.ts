import type { SampleMindDb } from '../db/database';

/** Thrown when a file's bytes cannot be reached; `needsPermission` means a click can fix it. */
export class SourceUnavailable extends Error {
  constructor(
    message: string,
    readonly needsPermission = false,
  ) {
    super(message);
    this.name = 'SourceUnavailable';
  }
}

type PermissionHandle = FileSystemHandle & {
  queryPermission?(d: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  requestPermission?(d: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
};

/** Checks (and, during a user gesture, asks for) read access to a stored handle. */
export async function ensureReadPermission(handle: FileSystemHandle, ask: boolean): Promise<boolean> {
  const h = handle as PermissionHandle;
  if (!h.queryPermission) return true;
  const state = await h.queryPermission({ mode: 'read' });
  if (state === 'granted') return true;
  if (!ask || !h.requestPermission) return false;
  return (await h.requestPermission({ mode: 'read' })) === 'granted';
}

/** Resolves "Kit/Sub/a.wav" under a handle for the folder "Kit". */
export async function fileInFolder(root: FileSystemDirectoryHandle, path: string): Promise<File> {
  const parts = path.split('/').filter(Boolean);
  let dir = root;
  // The stored path starts with the folder's own name.
  for (const part of parts.slice(1, -1)) dir = await dir.getDirectoryHandle(part);
  const fh = await dir.getFileHandle(parts[parts.length - 1]);
  return fh.getFile();
}

/**
 * Where a file's bytes come from, cheapest first: the File dropped in this session, the copy
 * kept in IndexedDB, the file's own handle, then its folder's handle plus relative path.
 */
export class FileAccess {
  private session = new Map<number, Blob>();

  constructor(private readonly db: SampleMindDb) {}

  remember(fileId: number, blob: Blob): void {
    this.session.set(fileId, blob);
  }

  forget(fileId: number): void {
    this.session.delete(fileId);
  }

  async blob(fileId: number, options: { ask?: boolean } = {}): Promise<Blob> {
    const mem = this.session.get(fileId);
    if (mem) return mem;
    const kept = await this.db.blobs.get(fileId);
    if (kept) return kept.blob;
    const file = await this.db.files.get(fileId);
    if (!file) throw new SourceUnavailable('the file is no longer in the library');
    try {
      if (file.handle) {
        if (!(await ensureReadPermission(file.handle, options.ask ?? false))) {
          throw new SourceUnavailable(`access to "${file.name}" needs your permission again`, true);
        }
        return await file.handle.getFile();
      }
      if (file.folderId !== null) {
        const folder = await this.db.folders.get(file.folderId);
        if (folder?.handle) {
          if (!(await ensureReadPermission(folder.handle, options.ask ?? false))) {
            throw new SourceUnavailable(
              `access to the folder "${folder.name}" needs your permission again`,
              true,
            );
          }
          return await fileInFolder(folder.handle, file.path);
        }
      }
    } catch (err) {
      if (err instanceof SourceUnavailable) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw new SourceUnavailable(
        `"${file.path}" could not be read (${reason}); it may have been moved or deleted`,
      );
    }
    throw new SourceUnavailable(
      `"${file.name}" is not stored in the library and has no folder link; drop the file again to play or re-analyse it`,
    );
  }
}
