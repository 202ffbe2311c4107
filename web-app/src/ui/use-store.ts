import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Player } from '../audio/player';
import type { AppStore } from '../state/app-store';

export const StoreContext = createContext<AppStore | null>(null);
export const PlayerContext = createContext<Player | null>(null);

/** Re-renders the caller whenever the store changes; returns the store. */
export function useStore(): AppStore {
  const store = useContext(StoreContext)!;
  useSyncExternalStore(store.subscribe, store.getVersion);
  return store;
}

export function usePlayer(): Player {
  const player = useContext(PlayerContext)!;
  useSyncExternalStore(
    (l) => player.subscribe(l),
    () => player.state,
  );
  return player;
}
