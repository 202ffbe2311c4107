import { randomUUID } from 'node:crypto';
import {
  errorResponseSchema,
  loginRequestSchema,
  logoutRequestSchema,
  refreshRequestSchema,
  registerRequestSchema,
  tokenResponseSchema,
  userSchema,
} from '@samplemind/contract';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../auth/passwords';
import { SessionService } from '../auth/sessions';
import { HttpError, tooManyRequests, unauthorized } from '../http-errors';
import { compileSerializer } from '../library/serialize';

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 429: errorResponseSchema };
const serializeUser = compileSerializer(userSchema);

export default async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config } = app;
  const authLimit = {
    rateLimit: {
      max: config.AUTH_RATE_LIMIT_IP || 1_000_000,
      timeWindow: config.AUTH_RATE_LIMIT_WINDOW_MS,
    },
  };

  /** Per-account attempts, counted across instances; the IP limit is the route's rateLimit. */
  async function accountLimit(kind: string, account: string) {
    if (config.AUTH_RATE_LIMIT_ACCOUNT === 0) return;
    const r = await app.stores.counters.incr(
      `${kind}:${account.toLowerCase()}`,
      config.AUTH_RATE_LIMIT_WINDOW_MS,
    );
    if (r.count > config.AUTH_RATE_LIMIT_ACCOUNT) {
      throw tooManyRequests(
        r.ttlMs / 1000,
        `too many attempts for this account; retry in ${Math.ceil(r.ttlMs / 1000)} s`,
      );
    }
  }

  async function issueTokens(userId: string, sessionId: string, refreshToken: string) {
    const access = await app.jwt.sign({ sub: userId, sid: sessionId, typ: 'access' });
    return {
      access_token: access,
      refresh_token: refreshToken,
      token_type: 'bearer' as const,
      expires_in: config.ACCESS_TOKEN_TTL_SEC,
    };
  }

  app.post(
    '/register',
    {
      config: authLimit,
      schema: {
        tags: ['auth'],
        summary: 'Create an account',
        body: registerRequestSchema,
        response: { 201: userSchema, 409: errorResponseSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { email, username, password } = req.body;
      await accountLimit('register', email);
      const user = {
        id: randomUUID(),
        email,
        username,
        passwordHash: await hashPassword(password, config.PASSWORD_SCRYPT_N),
        createdAt: Date.now(),
      };
      const r = await app.stores.docs.createUser(user);
      if (r === 'email-taken') throw new HttpError(409, 'email-taken', 'an account with this email exists');
      if (r === 'username-taken') throw new HttpError(409, 'username-taken', 'this username is taken');
      reply.code(201);
      return { id: user.id, email, username, createdAt: new Date(user.createdAt).toISOString() };
    },
  );

  app.post(
    '/login',
    {
      config: authLimit,
      schema: {
        tags: ['auth'],
        summary: 'Log in with username or email and password (JSON or form, OAuth2 password grant style)',
        body: loginRequestSchema,
        response: { 200: tokenResponseSchema, ...errors },
      },
    },
    async (req) => {
      const login = (req.body.username ?? req.body.email)!;
      await accountLimit('login', login);
      const user = await app.stores.docs.findUserByLogin(login);
      if (!user) {
        await burnPasswordCheck(req.body.password, config.PASSWORD_SCRYPT_N);
        throw unauthorized('wrong username/email or password');
      }
      if (!(await verifyPassword(req.body.password, user.passwordHash))) {
        throw unauthorized('wrong username/email or password');
      }
      const s = await app.sessions.create(user.id);
      return issueTokens(user.id, s.sessionId, s.refreshToken);
    },
  );

  app.post(
    '/refresh',
    {
      config: authLimit,
      schema: {
        tags: ['auth'],
        summary: 'Trade a refresh token for new tokens (rotating; a reused token revokes its family)',
        body: refreshRequestSchema,
        response: { 200: tokenResponseSchema, ...errors },
      },
    },
    async (req) => {
      const r = await app.sessions.refresh(req.body.refresh_token);
      if (!r.ok) {
        const why = {
          invalid: 'invalid refresh token',
          expired: 'refresh token expired; log in again',
          revoked: 'refresh token revoked; log in again',
          reused: 'refresh token reuse detected; the session was revoked',
        }[r.reason];
        throw unauthorized(why);
      }
      return issueTokens(r.userId, r.sessionId, r.refreshToken);
    },
  );

  app.post(
    '/logout',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: "Revoke the caller's session (and the given refresh token's, if it is theirs)",
        security: [{ bearerAuth: [] }],
        // nullish: a bodiless POST (no content) arrives as null, not undefined.
        body: logoutRequestSchema.nullish(),
        response: { 204: z.null().describe('logged out'), ...errors },
      },
    },
    async (req, reply) => {
      await app.sessions.revoke(req.auth.sessionId);
      const other = req.body?.refresh_token ? SessionService.sessionOf(req.body.refresh_token) : null;
      if (other && other !== req.auth.sessionId && (await app.sessions.owner(other)) === req.auth.userId) {
        await app.sessions.revoke(other);
      }
      reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'The current user',
        security: [{ bearerAuth: [] }],
        response: { 200: userSchema, ...errors },
      },
    },
    async (req, reply) => {
      const key = `me:${req.auth.userId}`;
      let body = await app.stores.cache.get(key);
      if (body === null) {
        const u = await app.stores.docs.getUser(req.auth.userId);
        if (!u) throw unauthorized('account no longer exists');
        body = serializeUser({
          id: u.id,
          email: u.email,
          username: u.username,
          createdAt: new Date(u.createdAt).toISOString(),
        });
        await app.stores.cache.set(key, body, config.CACHE_TTL_SEC);
      }
      // Pre-serialized (and cached) through the response schema.
      return reply.type('application/json; charset=utf-8').send(body as never);
    },
  );
}
