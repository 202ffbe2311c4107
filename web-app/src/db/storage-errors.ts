/** True for IndexedDB/Dexie "disk full" failures, however the browser wraps them. */
export function isQuotaError(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { inner?: unknown }).inner) {
    const name = (e as { name?: string }).name;
    if (name === 'QuotaExceededError' || name === 'QuotaExceeded') return true;
    const failures = (e as { failures?: unknown[] }).failures;
    if (failures?.some(isQuotaError)) return true;
  }
  return false;
}

/** A sentence for the user, not a stack trace. */
export function describeStorageError(err: unknown, what: string): string {
  if (isQuotaError(err)) {
    return `${what}: the browser's storage for this site is full. Remove samples or free disk space, then try again.`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return `${what}: ${message}`;
}

/** How much of the origin's quota is used, when the browser says (navigator.storage.estimate). */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | null> {
  const est = await globalThis.navigator?.storage?.estimate?.();
  return est?.quota ? { usage: est.usage ?? 0, quota: est.quota } : null;
}
