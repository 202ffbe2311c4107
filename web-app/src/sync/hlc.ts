/**
 * Hybrid logical clock stamps as sync.md defines them: "<13-digit ms>-<4-digit counter>", compared
 * as strings. A device keeps its stamps strictly increasing even when its wall clock steps back,
 * and never stamps below a time it has seen from the server, so its edits order after what it saw.
 */
export const HLC_ZERO = '0000000000000-0000';
const MAX_COUNTER = 9999;

export function formatHlc(ms: number, counter: number): string {
  return `${String(Math.max(0, Math.floor(ms))).padStart(13, '0')}-${String(counter).padStart(4, '0')}`;
}

export function parseHlc(hlc: string): { ms: number; counter: number } {
  const m = /^(\d{13})-(\d{4})$/.exec(hlc);
  if (!m) throw new Error(`not an HLC stamp: "${hlc}"`);
  return { ms: Number(m[1]), counter: Number(m[2]) };
}

/** The stamp after `last` at wall-clock `now`: ms = max(now, last.ms); counter + 1 when ms did not move. */
export function nextHlc(last: string, now: number): string {
  const prev = parseHlc(last);
  const ms = Math.max(Math.floor(now), prev.ms);
  if (ms > prev.ms) return formatHlc(ms, 0);
  // 10,000 stamps in one millisecond: borrow the next millisecond rather than overflow the field.
  if (prev.counter >= MAX_COUNTER) return formatHlc(ms + 1, 0);
  return formatHlc(ms, prev.counter + 1);
}

/**
 * Moves the clock past a time seen from the server (an entity's updatedAt, never behind the clock
 * of any stamp it holds), so the next local stamp orders after every stamp of that millisecond:
 * the clock goes to the millisecond's last counter, and nextHlc then moves on to the next one.
 * Stopping at counter 0 would let a device's later edit lose to "<same ms>-0005" from a device
 * whose clock runs ahead.
 */
export function observeHlc(last: string, seenMs: number): string {
  if (!Number.isFinite(seenMs) || seenMs < 0) return last;
  const seen = formatHlc(seenMs, MAX_COUNTER);
  return seen > last ? seen : last;
}
