import { AI_PROVIDERS, type AiProviderId } from '@samplemind/contract';

/** "auto" = the server's priority order (with its fallbacks); else that provider first. */
export type AiProviderChoice = 'auto' | AiProviderId;

const KEY = 'samplemind.ai';
const listeners = new Set<() => void>();
let current: AiProviderChoice = read();

function read(): AiProviderChoice {
  try {
    const v = (JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '{}') as { provider?: unknown }).provider;
    return (AI_PROVIDERS as readonly unknown[]).includes(v) ? (v as AiProviderId) : 'auto';
  } catch {
    return 'auto';
  }
}

// A plain preference, not a secret: localStorage, and other tabs follow through the storage event.
globalThis.addEventListener?.('storage', (e: StorageEvent) => {
  if (e.key !== KEY && e.key !== null) return;
  current = read();
  for (const l of listeners) l();
});

export const aiProviderChoice = {
  get: (): AiProviderChoice => current,
  set(choice: AiProviderChoice): void {
    current = choice;
    try {
      globalThis.localStorage?.setItem(KEY, JSON.stringify({ provider: choice }));
    } catch {
      // Private mode: the choice lasts this page load.
    }
    for (const l of listeners) l();
  },
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  /** As a request option. */
  provider(): AiProviderId | undefined {
    return current === 'auto' ? undefined : current;
  },
};
