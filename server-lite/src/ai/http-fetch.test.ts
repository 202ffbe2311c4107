import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpFetch } from './http-fetch';

let server: Server | undefined;

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((ok) => server?.close(ok) ?? ok(undefined));
  server = undefined;
});

describe('createHttpFetch', () => {
  it('sends method, headers and body, and answers like fetch', async () => {
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        res.setHeader('x-seen', `${req.method} ${req.url} ${req.headers['x-api-key']} ${body}`);
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
        res.end(JSON.stringify({ error: 'slow down' }));
      });
    });
    const res = await createHttpFetch()(`${url}/v1/chat?x=1`, {
      method: 'POST',
      headers: { 'x-api-key': 'k1', 'content-type': 'application/json' },
      body: '{"a":"é"}',
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('x-seen')).toBe('POST /v1/chat?x=1 k1 {"a":"é"}');
    expect(await res.json()).toEqual({ error: 'slow down' });
  });

  it('rejects with the abort reason when the signal fires mid-call', async () => {
    const url = await serve(() => {}); // never answers
    const ctl = new AbortController();
    const reason = new Error('deadline');
    const pending = createHttpFetch()(url, { method: 'POST', body: '{}', signal: ctl.signal });
    setTimeout(() => ctl.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it('reports an unreachable host as fetch does (TypeError "fetch failed" with a cause)', async () => {
    const url = await serve(() => {});
    await new Promise((ok) => server!.close(ok));
    server = undefined;
    const err = await createHttpFetch()(url, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as TypeError).message).toBe('fetch failed');
    expect(((err as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});
