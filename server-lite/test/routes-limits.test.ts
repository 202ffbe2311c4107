import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTmp, newUser, testApp } from './harness';

describe('routes: limits, errors, observability (embedded)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await testApp(
      {},
      { AUTH_RATE_LIMIT_IP: '4', AUTH_RATE_LIMIT_ACCOUNT: '3', BODY_LIMIT_MB: '0.05' },
    ));
  });
  afterAll(async () => {
    await app?.close();
    cleanupTmp();
  });

  it('rate-limits login per IP', async () => {
    let n = 0;
    // A different account each time, so only the per-IP limit can trigger.
    const from = (ip: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: ip,
        payload: { username: `nobody-${++n}`, password: 'whatever1' },
      });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await from('10.0.0.1')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    const limited = await from('10.0.0.1');
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json().error).toBe('rate-limited');
    expect((await from('10.0.0.2')).statusCode).toBe(401);
  });

  it('rate-limits login per account, whatever the IP', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: `10.1.0.${i}`,
        payload: { username: 'target-account', password: 'guess1234' },
      });
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429]);
  });

  it('refuses bodies over the limit with 413', async () => {
    const u = await newUser(app);
    const big = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: u.headers,
      payload: { mutations: [{ pad: 'x'.repeat(100_000) }] },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('payload-too-large');
  });

  it('answers unknown routes with a JSON 404 and echoes request ids', async () => {
    const r = await app.inject({
      method: 'GET',
      url: '/api/v1/nope',
      headers: { 'x-request-id': 'trace-1234567' },
    });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ error: 'not-found', requestId: 'trace-1234567' });
    expect(r.headers['x-request-id']).toBe('trace-1234567');
  });

  it('sets security headers', async () => {
    const r = await app.inject({ method: 'GET', url: '/health' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('serves the OpenAPI document, the docs page and metrics', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const p of [
      '/health',
      '/health/ready',
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/audio/files',
      '/api/v1/audio/files/{id}',
      '/api/v1/audio/analyze',
      '/api/v1/audio/similar',
      '/api/v1/sync/push',
      '/api/v1/sync/pull',
    ]) {
      expect(Object.keys(spec.paths)).toContain(p);
    }
    expect(spec.paths['/api/v1/audio/files'].get.responses['200']).toBeDefined();
    const html = await app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(html.statusCode);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('http_requests_total');
    expect(metrics.body).toContain('route="/docs/json"');
  });

  it('reports readiness per store', async () => {
    const r = (await app.inject({ method: 'GET', url: '/health/ready' })).json();
    expect(r).toMatchObject({ status: 'ok', failing: [] });
    expect(r.checks.documents.backend).toBe('sqlite');
  });
});

describe('routes: 5xx bodies carry no internals', () => {
  it('hides the message and stack of an unexpected failure', async () => {
    const { app } = await testApp();
    const u = await newUser(app);
    // Break the document store under the running app.
    await app.stores.docs.close();
    const r = await app.inject({ method: 'GET', url: '/api/v1/audio/files?q=zzz', headers: u.headers });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({
      error: 'internal',
      message: 'internal server error',
      requestId: expect.any(String),
    });
    expect(r.body).not.toMatch(/database|sqlite|stack|at .*\.ts/i);
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().failing).toEqual(['documents']);
    await app.close();
    cleanupTmp();
  });
});

describe('routes: the global per-IP limit', () => {
  it('counts bearer and anonymous requests from one IP together, and answers 429 past the limit', async () => {
    const { app } = await testApp({}, { RATE_LIMIT_MAX: '6', RATE_LIMIT_WINDOW_MS: '60000' });
    const u = await newUser(app);
    const from = (ip: string, headers: Record<string, string> = u.headers) =>
      app.inject({ method: 'GET', url: '/api/v1/auth/me', remoteAddress: ip, headers });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await from('10.5.0.1')).statusCode);
    // Anonymous and bogus-token requests count too.
    codes.push((await from('10.5.0.1', {})).statusCode);
    codes.push((await from('10.5.0.1', { authorization: 'Bearer nope' })).statusCode);
    const limited = await from('10.5.0.1');
    codes.push(limited.statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 401, 401, 429]);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await from('10.5.0.2')).statusCode).toBe(200);
    // Health checks are never limited.
    expect((await app.inject({ method: 'GET', url: '/health', remoteAddress: '10.5.0.1' })).statusCode).toBe(
      200,
    );
    await app.close();
    cleanupTmp();
  });
});
