export type ImportProgress = {
  /** Files in this import session (registered now or resumed from the last visit). */
  total: number;
  done: number;
  failed: number;
  /** Files being read, hashed or analysed right now. */
  running: number;
  queued: number;
  filesPerSec: number;
  /** Seconds left at the current rate; null until there is a rate. */
  etaSec: number | null;
  isPaused: boolean;
  isActive: boolean;
  startedAt: number | null;
  finishedAt: number | null;
  /** Files waiting for a permission (folder access) before they can be read. */
  blocked: number;
};

/** Files per second over a sliding window, so the ETA follows the current mix of files. */
export class RateMeter {
  private times: number[] = [];

  constructor(private readonly windowMs = 5000) {}

  tick(now: number, count = 1): void {
    for (let i = 0; i < count; i++) this.times.push(now);
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.times.length && this.times[drop] < cutoff) drop++;
    if (drop) this.times.splice(0, drop);
  }

  rate(now: number, startedAt: number): number {
    const cutoff = now - this.windowMs;
    let n = 0;
    for (let i = this.times.length - 1; i >= 0 && this.times[i] >= cutoff; i--) n++;
    const span = Math.max(250, Math.min(this.windowMs, now - startedAt));
    return (n * 1000) / span;
  }

  reset(): void {
    this.times = [];
  }
}
