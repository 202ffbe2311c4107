import { LibrarySync, type SyncEngineDeps } from './library-sync';
import { OFF_STATUS, type SyncEngine } from './sync-status';

export type { SyncEngineDeps, SyncEngineOptions } from './library-sync';
export { LibrarySync } from './library-sync';
export type { SyncEngine, SyncState, SyncStatus } from './sync-status';

/*
 * The sync engine's public face (the UI uses only this): getSyncEngine() for the status, its
 * subscription, syncNow() and retry(). Boot creates the engine once the library is open.
 */

let shared: SyncEngine | null = null;

/** Creates the app's engine (boot does, once the library is open). */
export function initSyncEngine(deps: SyncEngineDeps): LibrarySync {
  const engine = new LibrarySync(deps);
  shared = engine;
  return engine;
}

const offEngine: SyncEngine = {
  getStatus: () => OFF_STATUS,
  subscribe: () => () => {},
  syncNow: async () => {},
  retry: () => {},
  start: () => {},
  stop: async () => {},
  setBootstrapPaused: async () => {},
};

/** The app's sync engine (an "off" one until boot created it). */
export function getSyncEngine(): SyncEngine {
  return shared ?? offEngine;
}

export function setSyncEngine(engine: SyncEngine | null): void {
  shared = engine;
}
