/** See sync-server.mjs: a real server-lite in process, for the sync unit tests. */
export declare const SERVER_URL: string;

export type SyncServer = {
  url: string;
  /** fetch() against the server (no socket). */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  inject(path: string, method: string, headers: Record<string, string>, body?: string): Promise<Response>;
  newUser(): Promise<{ username: string; password: string }>;
  close(): Promise<void>;
};

export declare function startSyncServer(env?: Record<string, string>): Promise<SyncServer>;
