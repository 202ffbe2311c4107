import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
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
  // A provider's endpoint URLs repeat on every call: parse each once.
  const targets = new Map<string, Target | null>();
  const targetOf = (input: string | URL): Target | null => {
    const href = typeof input === 'string' ? input : input.href;
    let t = targets.get(href);
    if (t === undefined) {
      t = toTarget(typeof input === 'string' ? new URL(input) : input);
      if (targets.size >= 256) targets.clear();
      targets.set(href, t);
    }
    return t;
  };
  const send = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request) return fetch(input, init);
    const target = targetOf(input);
    const body = init.body;
    if (target === null || (body != null && typeof body !== 'string' && !(body instanceof Uint8Array))) {
      return fetch(input, init);
    }
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const headers = rawHeaders(init.headers, target.host);
    if (body != null) headers.push('content-length', String(Buffer.byteLength(body)));
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
      const req = (target.isHttps ? httpsRequest : httpRequest)(
        {
          ...target.options,
          method: init.method ?? 'GET',
          headers,
          agent: target.isHttps ? agents['https:'] : agents['http:'],
        },
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
            const bytes = nullBody ? null : Buffer.concat(chunks);
            const answerHeaders = new NodeHeaders(res.headers);
            resolve(
              new BufferedResponse(
                target.href,
                status,
                res.statusMessage ?? '',
                answerHeaders,
                bytes,
              ) as unknown as Response,
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

type Target = {
  href: string;
  isHttps: boolean;
  /** The Host header fetch would send. */
  host: string;
  options: { protocol: string; hostname: string; port: string; path: string };
};

function toTarget(url: URL): Target | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // node:http wants a bare IPv6 address; the Host header keeps the brackets.
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return {
    href: url.href,
    isHttps: url.protocol === 'https:',
    host: url.host,
    options: { protocol: url.protocol, hostname, port: url.port, path: `${url.pathname}${url.search}` },
  };
}

/**
 * The request's header lines as node:http's flat [name, value, …] list, which it writes as given
 * instead of re-validating and indexing each header one by one. Host goes first, as fetch sends it.
 */
function rawHeaders(init: RequestInit['headers'], host: string): string[] {
  const out = ['host', host];
  const add = (k: string, v: string) => {
    if (k.toLowerCase() !== 'host' && k.toLowerCase() !== 'content-length') out.push(k, v);
  };
  if (init == null) return out;
  if (init instanceof Headers || Array.isArray(init)) {
    for (const [k, v] of init as Iterable<[string, string]>) add(k, v);
    return out;
  }
  for (const k of Object.keys(init)) {
    const v = (init as Record<string, string | undefined>)[k];
    if (v !== undefined) add(k, v);
  }
  return out;
}

/**
 * The answer's headers as fetch shows them (lower-case names, repeated values joined), read from
 * node's already-parsed header object instead of being copied into a WHATWG Headers.
 */
export class NodeHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  *entries(): IterableIterator<[string, string]> {
    for (const k of Object.keys(this.raw).sort()) yield [k, this.get(k)!];
  }
  keys(): IterableIterator<string> {
    return Object.keys(this.raw).sort()[Symbol.iterator]();
  }
  *values(): IterableIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }
  forEach(fn: (value: string, name: string) => void): void {
    for (const [k, v] of this.entries()) fn(v, k);
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * The Response surface the SDKs read on a buffered answer: status, headers, and the body once, as
 * text, JSON, bytes or a one-chunk stream reader. A WHATWG Response over a buffer builds a
 * ReadableStream, a Headers copy and undici's body machinery per call; none of it is needed for
 * bytes that are already all here.
 */
export class BufferedResponse {
  readonly type = 'basic';
  readonly redirected = false;
  private isUsed = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: NodeHeaders,
    private readonly payload: Buffer | null,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get bodyUsed(): boolean {
    return this.isUsed;
  }

  /** A stream-shaped body: getReader() hands out the buffer as a single chunk. */
  get body(): { getReader(): BodyReader; cancel(): Promise<void> } | null {
    if (this.payload === null) return null;
    return {
      getReader: () => {
        const chunk = this.take();
        let isDone = chunk.length === 0;
        return {
          read: async () => {
            if (isDone) return { done: true, value: undefined };
            isDone = true;
            return { done: false, value: chunk };
          },
          cancel: async () => {
            isDone = true;
          },
          releaseLock: () => {},
        };
      },
      cancel: async () => {
        this.isUsed = true;
      },
    };
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.take()).buffer;
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(this.take());
  }

  async text(): Promise<string> {
    return this.take().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  clone(): BufferedResponse {
    if (this.isUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.url, this.status, this.statusText, this.headers, this.payload);
  }

  /** The body, once; a second read fails as fetch's does. */
  private take(): Buffer {
    if (this.isUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.isUsed = true;
    return this.payload ?? Buffer.alloc(0);
  }
}

type BodyReader = {
  read(): Promise<{ done: true; value: undefined } | { done: false; value: Uint8Array }>;
  cancel(): Promise<void>;
  releaseLock(): void;
};
