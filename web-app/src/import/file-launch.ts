import type { AppStore } from '../state/app-store';

type LaunchParams = { files: FileSystemFileHandle[] };
type LaunchQueue = { setConsumer(consumer: (params: LaunchParams) => void): void };

/** Audio files opened from the OS with the installed app (manifest file_handlers) are imported. */
export function listenForLaunchedFiles(store: AppStore): void {
  const queue = (globalThis as { launchQueue?: LaunchQueue }).launchQueue;
  queue?.setConsumer(async ({ files }) => {
    if (!files.length || !store.importer) return;
    const items = await Promise.all(
      files.map(async (handle) => {
        const file = await handle.getFile();
        return {
          blob: file,
          name: file.name,
          path: file.name,
          size: file.size,
          mtime: file.lastModified,
          folderId: null,
          handle,
        };
      }),
    );
    const ids = await store.importer.add(items);
    if (ids.length) store.select(ids[0], 'only');
  });
}
