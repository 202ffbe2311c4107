/**
 * One tab syncs: the one holding a Web Lock (held until it stops or closes; the browser then hands
 * it to a waiting tab). Without the Web Locks API every tab syncs (the server's exactly-once
 * rules keep that correct, only wasteful).
 */
export class LeaderElection {
  isLeader = false;
  private release: (() => void) | null = null;
  private abort: AbortController | null = null;

  constructor(
    private readonly name: string,
    private readonly locks: LockManager | null = (globalThis.navigator as Navigator | undefined)?.locks ??
      null,
  ) {}

  /** Waits for the lead and calls `onLead` once it is ours (maybe never). */
  start(onLead: () => void): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    if (!this.locks) {
      this.isLeader = true;
      onLead();
      return;
    }
    void this.locks
      .request(this.name, { signal: abort.signal }, () => {
        if (abort.signal.aborted) return undefined;
        this.isLeader = true;
        onLead();
        return new Promise<void>((resolve) => {
          this.release = resolve;
        });
      })
      .catch(() => {
        // Aborted while waiting: this tab stopped before it got the lead.
      });
  }

  stop(): void {
    this.abort?.abort();
    this.abort = null;
    this.isLeader = false;
    this.release?.();
    this.release = null;
  }
}

export type SyncMessage =
  /** A tab queued mutations: the leader pushes. */
  | { type: 'outbox' }
  /** A tab asks the leader to sync now. */
  | { type: 'sync-now' }
  /** The leader's status, for the followers' indicator. */
  | { type: 'status'; lastSyncedAt: number | null; error: string | null; state: string }
  /** The library changed in another tab (pulled or edited): refresh the index for these hashes (null: all). */
  | { type: 'changed'; hashes: string[] | null; collections: boolean };

/** BroadcastChannel when there is one; otherwise messages go nowhere (single tab). */
export class SyncChannel {
  private readonly channel: BroadcastChannel | null;

  constructor(name: string | null, onMessage: (m: SyncMessage) => void) {
    this.channel = name && typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(name) : null;
    if (this.channel) {
      this.channel.onmessage = (e: MessageEvent<SyncMessage>) => onMessage(e.data);
      (this.channel as { unref?: () => void }).unref?.();
    }
  }

  post(m: SyncMessage): void {
    try {
      this.channel?.postMessage(m);
    } catch {
      // A closed channel (the tab is going away): nothing to tell.
    }
  }

  close(): void {
    this.channel?.close();
  }
}
