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
        res.setHeader(
          'x-host',
          `${req.headers.host} ${req.headers['content-length']} ${req.headers.connection}`,
        );
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
    // Host as fetch sends it, the body's length in bytes (é is two), and a kept-alive connection.
    expect(res.headers.get('x-host')).toBe(`${new URL(url).host} 10 keep-alive`);
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

  it('hands the body out once, as a one-chunk stream or as text, with headers as fetch shows them', async () => {
    const url = await serve((_req, res) => {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Trace': 'abc' });
      res.end('{"ok":true}');
    });
    const fetchHttp = createHttpFetch();
    const res = await fetchHttp(url, { method: 'POST', body: '{}' });
    expect(res.ok).toBe(true);
    expect(res.headers.get('x-trace')).toBe('abc');
    expect(res.headers.get('X-TRACE')).toBe('abc');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(res.headers.get('missing')).toBeNull();
    const names = [...res.headers].map(([k]) => k);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('content-type');

    const clone = res.clone();
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('{"ok":true}');
    expect((await reader.read()).done).toBe(true);
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
    expect(await clone.json()).toEqual({ ok: true });
  });

  it('gives a bodiless answer a null body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const res = await createHttpFetch()(url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });
});
