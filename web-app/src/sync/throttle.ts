/**
 * Calls `fire` at most once per `ms`: at once after a quiet spell, otherwise once at the end of the
 * current interval for all the requests made during it.
 */
export class Throttle {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastAt = Number.NEGATIVE_INFINITY;
  private isRequested = false;

  constructor(
    private readonly ms: number,
    private readonly fire: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  request(): void {
    this.isRequested = true;
    if (this.timer) return;
    const wait = this.lastAt + this.ms - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Fires now if a request is waiting. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.isRequested) return;
    this.isRequested = false;
    this.lastAt = this.now();
    this.fire();
  }

  /** Drops a waiting request. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.isRequested = false;
  }
}
