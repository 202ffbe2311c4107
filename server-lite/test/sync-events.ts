import { type IncomingHttpHeaders, request } from 'node:http';

export type EventStream = {
  headers: IncomingHttpHeaders;
  /** Resolves with performance.now() when the next `event: <name>` not yet consumed has arrived. */
  next(name: string, timeoutMs?: number): Promise<number>;
  /** Everything received so far, as sent (the raw bytes, decoded as UTF-8). */
  raw(): string;
  close(): void;
};

/**
 * GET /api/v1/sync/events over a plain node:http request, so the test sees the bytes and headers
 * exactly as sent (fetch would negotiate and undo any compression on its own).
 */
export function openEventStream(
  base: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/v1/sync/events`, {
      headers: { authorization: `Bearer ${token}`, ...headers },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`events: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      let text = '';
      let consumed = 0;
      const arrivals: { name: string; at: number; end: number }[] = [];
      let wake: (() => void) | null = null;
      res.on('data', (chunk: Buffer) => {
        const at = performance.now();
        text += chunk.toString('utf8');
        const from = arrivals.at(-1)?.end ?? 0;
        for (const m of text.slice(from).matchAll(/event: (\w+)\n(?:data: [^\n]*\n)?\n/g)) {
          arrivals.push({ name: m[1], at, end: from + m.index + m[0].length });
        }
        wake?.();
      });
      resolve({
        headers: res.headers,
        async next(name, timeoutMs = 5000) {
          const until = Date.now() + timeoutMs;
          for (;;) {
            while (consumed < arrivals.length) {
              const e = arrivals[consumed++];
              if (e.name === name) return e.at;
            }
            const left = until - Date.now();
            if (left <= 0)
              throw new Error(`no "${name}" event within ${timeoutMs} ms; got: ${JSON.stringify(text)}`);
            await new Promise<void>((ok) => {
              const t = setTimeout(ok, left);
              wake = () => {
                clearTimeout(t);
                ok();
              };
            });
            wake = null;
          }
        },
        raw: () => text,
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}
