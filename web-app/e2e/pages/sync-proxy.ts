// A plain HTTP forwarder between the app and server-lite, for failures only a network can produce
// on demand: "the server committed the push and died before the answer left" and "the server died
// as the push arrived". It forwards every request and streams every response (server-sent events
// included) and records each push with the server's answer. When a trap is set, the next push
// either reaches the server and its answer is held back ('after'), or is held before it reaches
// the server ('before'); the trap runs (e.g. SIGKILL the server) and the app's connection is cut.
// With the server down, connections are cut at once (what a dead host looks like). A request can
// also be held for a while before it goes on (a slow network), e.g. until the token it carries has
// expired.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { freePort } from './ai-server';

export type PushTrapResult = {
  /** Status and body the server had answered (never delivered to the app); 0 and '' for 'before'. */
  status: number;
  body: string;
  /** The request body the app had sent. */
  request: string;
};

/** One push as it went through: the request, and the answer the app got (null: cut). */
export type PushRecord = { request: string; status: number | null; response: string | null };

export type SyncProxy = {
  url: string;
  /**
   * 'after': the next POST /api/v1/sync/push goes through to the server; once the server has
   * answered, `then` runs and the app's connection is cut without the answer. 'before': the push is
   * held back, `then` runs, and the connection is cut (the server never saw it). Resolves with
   * what was held back.
   */
  trapNextPush(when: 'before' | 'after', then: () => Promise<void>): Promise<PushTrapResult>;
  /** Every push so far, in order of arrival, with what the app was answered. */
  pushes: PushRecord[];
  /** Every request so far: method, path and the status the server answered (null: none). */
  log: { method: string; path: string; status: number | null; at: number }[];
  /** Holds the next request to a path (e.g. '/api/v1/sync/pull') for `ms` before forwarding it; resolves once forwarded. */
  delayNext(path: string, ms: number): Promise<void>;
  close(): Promise<void>;
};

export async function startSyncProxy(upstreamPort: number): Promise<SyncProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  type Trap = { when: 'before' | 'after'; then: () => Promise<void>; resolve: (r: PushTrapResult) => void };
  let trap: Trap | null = null;
  const pushes: PushRecord[] = [];
  const log: SyncProxy['log'] = [];
  const delays: { path: string; ms: number; done: () => void }[] = [];

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const isPush = req.method === 'POST' && path === '/api/v1/sync/push';
    if (!isPush) {
      const d = delays.findIndex((x) => x.path === path);
      if (d < 0) {
        forward(req, res, null);
        return;
      }
      const [delay] = delays.splice(d, 1);
      setTimeout(() => {
        forward(req, res, null);
        delay.done();
      }, delay.ms);
      return;
    }
    // Pushes are small: read the whole body first, so it can be recorded and held back.
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const record: PushRecord = {
        request: Buffer.concat(chunks).toString('utf8'),
        status: null,
        response: null,
      };
      pushes.push(record);
      const held = trap;
      trap = null;
      if (held?.when === 'before') {
        void held.then().finally(() => {
          res.socket?.destroy();
          held.resolve({ status: 0, body: '', request: record.request });
        });
        return;
      }
      forward(req, res, { record, held, body: Buffer.concat(chunks) });
    });
  });

  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    push: { record: PushRecord; held: Trap | null; body: Buffer } | null,
  ) {
    const entry = {
      method: req.method ?? '',
      path: new URL(req.url ?? '/', 'http://x').pathname,
      status: null as number | null,
      at: Date.now(),
    };
    log.push(entry);
    const up = request(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (ur) => {
        entry.status = ur.statusCode ?? null;
        if (!push) {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
          ur.on('error', () => res.destroy());
          return;
        }
        const body: Buffer[] = [];
        ur.on('data', (d: Buffer) => body.push(d));
        ur.on('error', () => res.socket?.destroy());
        ur.on('end', () => {
          const text = Buffer.concat(body).toString('utf8');
          const held = push.held;
          if (held) {
            void held.then().finally(() => {
              res.socket?.destroy();
              held.resolve({ status: ur.statusCode ?? 0, body: text, request: push.record.request });
            });
            return;
          }
          push.record.status = ur.statusCode ?? 0;
          push.record.response = text;
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          res.end(body.length ? Buffer.concat(body) : undefined);
        });
      },
    );
    up.on('error', () => res.socket?.destroy());
    res.on('close', () => up.destroy());
    if (push) up.end(push.body);
    else req.pipe(up);
  }
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));

  return {
    url: `http://127.0.0.1:${port}`,
    pushes,
    log,
    delayNext: (path, ms) =>
      new Promise<void>((done) => {
        delays.push({ path, ms, done });
      }),
    trapNextPush: (when, then) =>
      new Promise<PushTrapResult>((resolve) => {
        trap = { when, then, resolve };
      }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
