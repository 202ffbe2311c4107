import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AiProviderId } from '../contract';
import {
  authOk,
  errorBody,
  jsonResponse,
  type ParsedRequest,
  parseRequest,
  streamContentType,
  streamFrames,
} from './stub-protocols';

/** What the stub does with one request. Everything optional: the default is a valid answer at once. */
export type StubReply = {
  /** HTTP status; non-2xx answers carry the provider's error body with `errorMessage`. */
  status?: number;
  errorMessage?: string;
  /** Sent as retry-after (seconds) when set. */
  retryAfterSec?: number;
  /** Wait before the status line. */
  delayMs?: number;
  /** Never answer (the connection stays open until the client gives up or the stub closes). */
  hang?: boolean;
  /** The model's text. Default: a valid JSON answer for every sample ref in the prompt. */
  content?: string;
  /** Pause between streamed chunks. */
  chunkDelayMs?: number;
  /** Streaming: cut the connection after this many frames (a provider dying mid-answer). */
  dropAfterFrames?: number;
};

export type StubRequest = ParsedRequest & {
  provider: AiProviderId;
  path: string;
  authOk: boolean;
  /** Header names received (values withheld; tests compare keys through authOk). */
  headerNames: string[];
  /** The JSON body as sent. */
  body: Record<string, unknown>;
  /** performance.now() when the request arrived / when the answer was complete. */
  receivedAt: number;
  finishedAt?: number;
};

export type ProviderStub = {
  url: string;
  /** Base URL to configure for each provider (e.g. OPENAI_BASE_URL). */
  baseURL(provider: AiProviderId): string;
  keys: Record<AiProviderId, string | undefined>;
  requests: StubRequest[];
  /** Queue one-shot replies for a provider's next requests, in order. */
  script(provider: AiProviderId, ...replies: StubReply[]): void;
  /** Reply used when the queue is empty. */
  setDefault(provider: AiProviderId, reply: StubReply | ((req: StubRequest) => StubReply)): void;
  reset(): void;
  close(): Promise<void>;
};

export type StubOptions = {
  keys?: Partial<Record<AiProviderId, string>>;
  /** Extra latency per request (e.g. random 1-4 s in the benchmark). */
  latencyMs?: () => number;
  /** Keep only the last N requests (the benchmark sends thousands). */
  maxRecorded?: number;
};

const PREFIX: Record<AiProviderId, string> = {
  openai: '/openai/v1',
  anthropic: '/anthropic/v1',
  gemini: '/gemini/v1beta',
  ollama: '/ollama/api',
};

export const STUB_KEYS: Record<AiProviderId, string> = {
  openai: 'sk-stub-openai-0123456789',
  anthropic: 'sk-ant-stub-0123456789',
  gemini: 'AIzaStub-gemini-0123456789',
  ollama: 'ollama-stub-0123456789',
};

const SAMPLE_LINE = /^\[(s\d+)\] file: (".*")$/gm;
const TYPE_LINE = /^type: ([a-z-]+)/gm;

/** A valid answer for the samples in the prompt: what a well-behaved model would return. */
export function defaultAnswer(prompt: string): string {
  const refs = [...prompt.matchAll(SAMPLE_LINE)].map((m) => ({
    ref: m[1]!,
    file: JSON.parse(m[2]!) as string,
  }));
  const types = [...prompt.matchAll(TYPE_LINE)].map((m) => m[1]!);
  return JSON.stringify({
    items: refs.map((r, i) => ({
      ref: r.ref,
      description: `A ${types[i] ?? 'sample'} called ${r.file}, tight and punchy. Sits well in a busy mix.`,
      tags: [
        types[i] === 'drum-loop' || types[i] === 'music-loop' ? types[i] : 'one-shot',
        'punchy',
        'tight',
      ],
      freeTags: ['stub'],
      genres: [{ name: 'techno', confidence: 0.7 }],
      moods: [{ name: 'energetic', confidence: 0.6 }],
      productionTips: ['High-pass below 30 Hz to keep the low end clean.'],
      creativeIdeas: ['Layer it under a clap for a wider backbeat.'],
    })),
  });
}

function route(path: string): AiProviderId | undefined {
  for (const [id, prefix] of Object.entries(PREFIX) as [AiProviderId, string][]) {
    if (path.startsWith(`${prefix}/`)) return id;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function split(text: string, size = 16): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Local HTTP server speaking the four providers' real wire protocols, scriptable per test. */
export async function startProviderStub(options: StubOptions = {}): Promise<ProviderStub> {
  const keys: Record<AiProviderId, string | undefined> = { ...STUB_KEYS, ollama: undefined, ...options.keys };
  const queues = new Map<AiProviderId, StubReply[]>();
  const defaults = new Map<AiProviderId, StubReply | ((req: StubRequest) => StubReply)>();
  const requests: StubRequest[] = [];
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const receivedAt = performance.now();
    const url = new URL(req.url ?? '/', 'http://stub');
    if (req.method === 'GET' && url.pathname === '/_stub/requests') {
      // For a client in another process (the benchmark): what arrived, with the stub's own timings.
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(requests));
      return;
    }
    const provider = route(url.pathname);
    if (!provider || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const body = await readBody(req);
    const parsed = parseRequest(provider, url.pathname, body);
    const record: StubRequest = {
      ...parsed,
      provider,
      path: url.pathname,
      authOk: authOk(provider, req.headers, url.searchParams, keys[provider]),
      headerNames: Object.keys(req.headers),
      body,
      receivedAt,
    };
    requests.push(record);
    if (options.maxRecorded !== undefined && requests.length > options.maxRecorded) requests.shift();

    const queued = queues.get(provider)?.shift();
    const fallback = defaults.get(provider);
    const reply: StubReply = queued ?? (typeof fallback === 'function' ? fallback(record) : (fallback ?? {}));
    const delay = (reply.delayMs ?? 0) + (options.latencyMs?.() ?? 0);
    if (reply.hang) return; // the socket is destroyed by the client's abort or by close()
    if (delay > 0) await sleep(delay);
    if (res.destroyed) return;

    const fail = (status: number, message: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify(errorBody(provider, status, message)));
    };
    if (!record.authOk) return fail(401, 'stub: missing or wrong API key');
    const status = reply.status ?? 200;
    if (status !== 200) {
      const extra: Record<string, string> =
        reply.retryAfterSec !== undefined ? { 'retry-after': String(reply.retryAfterSec) } : {};
      fail(status, reply.errorMessage ?? `stub error ${status}`, extra);
      record.finishedAt = performance.now();
      return;
    }

    const text = reply.content ?? defaultAnswer(parsed.userTexts[0] ?? '');
    const usage = {
      input: Math.ceil((parsed.system.length + parsed.userTexts.join('').length) / 4),
      output: Math.max(1, Math.ceil(text.length / 4)),
    };
    if (!parsed.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jsonResponse(provider, parsed.model, text, usage)));
      record.finishedAt = performance.now();
      return;
    }
    res.writeHead(200, { 'content-type': streamContentType(provider), 'cache-control': 'no-cache' });
    const frames = streamFrames(provider, parsed.model, split(text), usage);
    for (const [i, frame] of frames.entries()) {
      if (res.destroyed) return;
      if (reply.dropAfterFrames !== undefined && i >= reply.dropAfterFrames) {
        // Let what was written reach the client first, as when a real server dies mid-answer.
        await sleep(50);
        res.destroy();
        return;
      }
      res.write(frame);
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    }
    res.end();
    record.finishedAt = performance.now();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseURL: (p) => `${url}${PREFIX[p]}`,
    keys,
    requests,
    script(provider, ...replies) {
      queues.set(provider, [...(queues.get(provider) ?? []), ...replies]);
    },
    setDefault(provider, reply) {
      defaults.set(provider, reply);
    },
    reset() {
      queues.clear();
      defaults.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
