import type { DragEvent } from 'react';
import type { AppStore } from '../state/app-store';

const MIME: Record<string, string> = {
  wav: 'audio/wav',
  wave: 'audio/wav',
  aif: 'audio/aiff',
  aiff: 'audio/aiff',
  aifc: 'audio/aiff',
  flac: 'audio/flac',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
};

const ready = new Map<number, string>();

/**
 * Drag-out needs a URL synchronously in dragstart, but the bytes live in IndexedDB or behind a
 * handle (async). So the focused/selected row's blob URL is prepared ahead of time.
 */
export async function prepareDragOut(store: AppStore, fileId: number): Promise<void> {
  if (ready.has(fileId)) return;
  try {
    const blob = await store.access.blob(fileId);
    ready.set(fileId, URL.createObjectURL(blob));
    if (ready.size > 32) {
      const [oldId, url] = ready.entries().next().value!;
      URL.revokeObjectURL(url);
      ready.delete(oldId);
    }
  } catch {
    // Not reachable without a permission prompt: dragging this row then carries only its name.
  }
}

/**
 * Chrome's DownloadURL drag: dropping on the desktop or a file manager saves the file; DAWs that
 * accept file drops from the OS accept it where the browser hands the file over (see README).
 */
export function startDragOut(e: DragEvent, store: AppStore, fileId: number): void {
  const r = store.index.rowOfFile(fileId);
  if (r < 0) return;
  const name = store.index.name[r];
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  const url = ready.get(fileId);
  e.dataTransfer.effectAllowed = 'copy';
  e.dataTransfer.setData('text/plain', store.index.path[r]);
  if (url) e.dataTransfer.setData('DownloadURL', `${MIME[ext] ?? 'application/octet-stream'}:${name}:${url}`);
}
