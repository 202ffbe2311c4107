import { liveQuery } from 'dexie';
import { useEffect, useState } from 'react';
import { type AiDb, type AiRecord, getAiDb, getRecord } from './ai-store';

/**
 * The stored AI description of a sound, kept current (a bulk run or another tab may write it).
 * `undefined` while loading, `null` when there is none.
 */
export function useAiRecord(hash: string | null, db: AiDb = getAiDb()): AiRecord | null | undefined {
  const [value, setValue] = useState<{ hash: string; record: AiRecord | null } | null>(null);
  useEffect(() => {
    if (!hash) return;
    const sub = liveQuery(() => getRecord(db, hash)).subscribe({
      next: (record) => setValue({ hash, record: record ?? null }),
      error: () => setValue({ hash, record: null }),
    });
    return () => sub.unsubscribe();
  }, [hash, db]);
  if (!hash) return null;
  return value?.hash === hash ? value.record : undefined;
}
