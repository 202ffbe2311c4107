import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * A fetch for the SDKs' non-streamed calls, on node:http with keep-alive pools. Node's fetch
 * (undici behind WHATWG Request/Headers/streams) costs several times the CPU of node:http per
 * exchange, and on a proxy whose own work is a few milliseconds that is a large share. Covers what
 * the SDKs use for a JSON POST: string/URL input, method, headers, string or byte body, abort signal.
 * The whole answer is buffered, so streamed calls keep the platform fetch.
 *
 * Failures look like undici's: an abort rejects with the signal's reason, a network error with
 * TypeError('fetch failed', { cause }), which the SDKs turn into a retryable APICallError.
 */
export function createHttpFetch(): typeof fetch {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true }),
    'https:': new HttpsAgent({ keepAlive: true }),
  };
  const send = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request) return fetch(input, init);
    const url = typeof input === 'string' ? new URL(input) : input;
    const agent =
      url.protocol === 'https:' ? agents['https:'] : url.protocol === 'http:' ? agents['http:'] : null;
    const body = init.body;
    if (agent === null || (body != null && typeof body !== 'string' && !(body instanceof Uint8Array))) {
      return fetch(input, init);
    }
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const headers = new Headers(init.headers);
    if (body != null) headers.set('content-length', String(Buffer.byteLength(body)));
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      };
      const onAbort = () => {
        const reason = abortReason(signal!);
        fail(reason);
        req.destroy();
      };
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        { method: init.method ?? 'GET', headers: Object.fromEntries(headers), agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => fail(new TypeError('fetch failed', { cause: e })));
          res.on('end', () => {
            if (settled) return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            const status = res.statusCode ?? 0;
            // A null-body status may not carry a body in a Response.
            const nullBody = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
            resolve(
              new Response(nullBody ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage ?? '',
                headers: responseHeaders(res),
              }),
            );
          });
        },
      );
      req.on('error', (e) => fail(new TypeError('fetch failed', { cause: e })));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.end(body ?? undefined);
    });
  };
  return send as typeof fetch;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function responseHeaders(res: IncomingMessage): Headers {
  const h = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) h.append(raw[i]!, raw[i + 1]!);
  return h;
}
