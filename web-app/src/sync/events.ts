import type { ApiClient } from '../account/api-client';
import { isApiError } from '../account/api-error';
import { readSse } from '../ai/sse';
import { Backoff, sleep } from './backoff';

/**
 * Listens to GET /api/v1/sync/events (fetch with the Authorization header: EventSource cannot
 * send one) and calls `onPoke` on every poke, and `onReady` on every (re)connection (a pull then
 * catches what was missed while disconnected). Reconnects with back-off until the signal aborts;
 * a signed-out session ends it.
 */
export async function listenForPokes(
  api: ApiClient,
  handlers: { onPoke(): void; onReady(): void; signal: AbortSignal },
  backoff = new Backoff(1000, 30_000),
): Promise<void> {
  const { signal } = handlers;
  while (!signal.aborted) {
    try {
      const res = await api.request('/api/v1/sync/events', {
        headers: { accept: 'text/event-stream' },
        signal,
      });
      if (!res.body) throw new Error('no event stream');
      for await (const e of readSse(res.body)) {
        if (signal.aborted) return;
        if (e.event === 'ready') {
          backoff.reset();
          handlers.onReady();
        } else if (e.event === 'poke') handlers.onPoke();
      }
    } catch (e) {
      if (signal.aborted) return;
      if (isApiError(e) && (e.kind === 'signed-out' || e.kind === 'no-server')) return;
    }
    await sleep(backoff.next(), signal);
  }
}
