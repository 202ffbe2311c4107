/**
 * Exponential back-off with jitter: 1 s, 2 s, 4 s, … capped (default 60 s), each wait drawn from
 * [half, full] so devices that failed together do not retry together. Reset after a success.
 */
export class Backoff {
  failures = 0;

  constructor(
    private readonly baseMs = 1000,
    private readonly capMs = 60_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next attempt (counts a failure). */
  next(): number {
    const full = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.round(full / 2 + (this.random() * full) / 2);
  }

  reset(): void {
    this.failures = 0;
  }
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
