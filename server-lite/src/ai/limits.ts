import type { AiCounters } from './store';

export type LimitVerdict =
  | { ok: true }
  | { ok: false; reason: 'rate-limit' | 'token-budget'; retryAfterSec: number };

const DAY_MS = 24 * 3600 * 1000;

/**
 * Per-user request rate (fixed one-minute windows) and daily token budget (UTC days). Both live in
 * the shared counters, so with Redis every server instance sees the same totals.
 */
export class UserLimits {
  /** The UTC day of the last budget key and its date text, formatted once a day instead of per call. */
  private day = Number.NaN;
  private dayText = '';

  constructor(
    private readonly counters: AiCounters,
    private readonly perMinute: number,
    private readonly dailyTokens: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts this request against the minute's allowance. */
  async hit(userId: string): Promise<LimitVerdict> {
    const t = this.now();
    const window = Math.floor(t / 60_000);
    const n = await this.counters.incrBy(`ai:rl:${userId}:${window}`, 1, 61);
    if (n !== null && n > this.perMinute) {
      return {
        ok: false,
        reason: 'rate-limit',
        retryAfterSec: Math.max(1, Math.ceil(((window + 1) * 60_000 - t) / 1000)),
      };
    }
    return { ok: true };
  }

  /** Whether the user may still spend provider tokens today (checked before a provider call). */
  async canSpend(userId: string): Promise<LimitVerdict> {
    if (this.dailyTokens <= 0) return { ok: true };
    const t = this.now();
    const used = await this.counters.peek(this.budgetKey(userId, t));
    if (used !== null && used >= this.dailyTokens) {
      const nextDay = (Math.floor(t / DAY_MS) + 1) * DAY_MS;
      return {
        ok: false,
        reason: 'token-budget',
        retryAfterSec: Math.max(1, Math.ceil((nextDay - t) / 1000)),
      };
    }
    return { ok: true };
  }

  async spend(userId: string, tokens: number): Promise<void> {
    if (this.dailyTokens <= 0 || tokens <= 0) return;
    await this.counters.incrBy(this.budgetKey(userId, this.now()), tokens, 2 * 24 * 3600);
  }

  private budgetKey(userId: string, t: number) {
    const day = Math.floor(t / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.dayText = new Date(day * DAY_MS).toISOString().slice(0, 10);
    }
    return `ai:budget:${userId}:${this.dayText}`;
  }
}
