import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from './api-helpers';
import { cleanupTmp, newUser, testApp, VARIANTS } from './harness';

for (const variant of VARIANTS.filter((v) => !v.skip)) {
  describe(`routes: ${variant.name}`, () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      ({ app } = await testApp(variant.env()));
    });
    afterAll(async () => {
      await app?.close();
      cleanupTmp();
    });

    describe('auth', () => {
      it('registers, refuses duplicates, and never returns the password hash', async () => {
        const payload = {
          email: 'Dup@Example.com',
          username: `dup${Date.now()}`,
          password: 'long enough pw',
          isAdmin: true,
        };
        const r = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload });
        expect(r.statusCode).toBe(201);
        const body = r.json();
        expect(Object.keys(body).sort()).toEqual(['createdAt', 'email', 'id', 'username']);
        expect(body.email).toBe('dup@example.com');
        const again = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: { ...payload, username: `x${payload.username}` },
        });
        expect(again.statusCode).toBe(409);
        expect(again.json().error).toBe('email-taken');
        const bad = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: { email: 'nope', username: 'a', password: 'x' },
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error).toBe('validation');
        expect(
          bad
            .json()
            .issues.map((i: { path: string }) => i.path)
            .sort(),
        ).toEqual(['email', 'password', 'username']);
      });

      it('logs in with a username or an email, as JSON or as a form', async () => {
        const u = await newUser(app);
        const asEmail = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: `${u.username}@example.com`, password: u.password },
        });
        expect(asEmail.statusCode).toBe(200);
        const form = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: `grant_type=password&username=${u.username.toUpperCase()}&password=${encodeURIComponent(u.password)}`,
        });
        expect(form.statusCode).toBe(200);
        const t = form.json();
        expect(t.token_type).toBe('bearer');
        expect(t.expires_in).toBeGreaterThan(0);
        const me = await app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { authorization: `Bearer ${t.access_token}` },
        });
        expect(me.json()).toMatchObject({ id: u.id, username: u.username });
      });

      it('answers wrong passwords and unknown accounts alike', async () => {
        const u = await newUser(app);
        const wrong = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: u.username, password: 'wrong password' },
        });
        const unknown = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'no-such-user-x', password: 'wrong password' },
        });
        expect(wrong.statusCode).toBe(401);
        expect(unknown.statusCode).toBe(401);
        expect(wrong.json().message).toBe(unknown.json().message);
      });

      it('requires a valid bearer token', async () => {
        expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
        const junk = await app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { authorization: 'Bearer a.b.c' },
        });
        expect(junk.statusCode).toBe(401);
        expect(junk.json().error).toBe('unauthorized');
      });

      it('rotates refresh tokens; reusing an old one revokes the whole family', async () => {
        const u = await newUser(app);
        const r1 = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refresh_token: u.tokens.refresh_token },
        });
        expect(r1.statusCode).toBe(200);
        const t1 = r1.json();
        expect(t1.refresh_token).not.toBe(u.tokens.refresh_token);
        const meNew = await app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { authorization: `Bearer ${t1.access_token}` },
        });
        expect(meNew.statusCode).toBe(200);
        // Replaying the first refresh token: reuse detected.
        const replay = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refresh_token: u.tokens.refresh_token },
        });
        expect(replay.statusCode).toBe(401);
        expect(replay.json().message).toMatch(/reuse/);
        // The family is gone: the newest refresh token and the access tokens stop working.
        const next = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refresh_token: t1.refresh_token },
        });
        expect(next.statusCode).toBe(401);
        const me = await app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { authorization: `Bearer ${t1.access_token}` },
        });
        expect(me.statusCode).toBe(401);
        // Another session of the same user is unaffected.
        const other = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: u.username, password: u.password },
        });
        expect(other.statusCode).toBe(200);
      });

      it('logout revokes the session’s access and refresh tokens', async () => {
        const u = await newUser(app);
        const out = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/logout',
          headers: u.headers,
          payload: {},
        });
        expect(out.statusCode).toBe(204);
        expect((await get(app, u, '/api/v1/auth/me')).statusCode).toBe(401);
        const refresh = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refresh_token: u.tokens.refresh_token },
        });
        expect(refresh.statusCode).toBe(401);
      });

      it('a token accepted before is refused once it expires, and a tampered copy never passes', async () => {
        const u = await newUser(app);
        const { sub, sid } = app.jwt.decode<{ sub: string; sid: string }>(u.tokens.access_token)!;
        const token = app.jwt.sign({ sub, sid, typ: 'access' }, { expiresIn: 1 });
        const me = (t: string) =>
          app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${t}` } });
        expect((await me(token)).statusCode).toBe(200);
        expect((await me(token)).statusCode).toBe(200);
        // Same header and claims, another signature: must not ride on the accepted token.
        const tampered = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
        expect((await me(tampered)).statusCode).toBe(401);
        const { exp } = app.jwt.decode<{ exp: number }>(token)!;
        await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 50));
        const late = await me(token);
        expect(late.statusCode).toBe(401);
        expect(late.json().error).toBe('unauthorized');
        // The login's own token is still good.
        expect((await get(app, u, '/api/v1/auth/me')).statusCode).toBe(200);
      });

      it('logs out with no body at all; an empty JSON body is refused plainly', async () => {
        const u = await newUser(app);
        const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: u.headers });
        expect(out.statusCode).toBe(204);
        expect((await get(app, u, '/api/v1/auth/me')).statusCode).toBe(401);
        const v = await newUser(app);
        const empty = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/logout',
          headers: { ...v.headers, 'content-type': 'application/json' },
        });
        expect(empty.statusCode).toBe(400);
        expect(empty.json().message).toMatch(/Body cannot be empty/);
      });
    });
  });
}
