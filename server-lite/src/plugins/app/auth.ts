import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { tooManyRequests, unauthorized } from '../../http-errors';
import type { AccessClaims } from '../../types';
import { globalLimitKey } from '../external/rate-limit';

/**
 * Access tokens: HS256 JWTs carrying the user id (sub) and the refresh-token family (sid). A token
 * is accepted only while its family is live, so logout and reuse detection revoke it at once on
 * every instance (the status lives in the shared cache, falling back to the document store).
 */
export default fp(
  async (app: FastifyInstance) => {
    const { config } = app;
    await app.register(jwt, {
      secret: config.JWT_SECRET,
      sign: { algorithm: 'HS256', expiresIn: config.ACCESS_TOKEN_TTL_SEC },
      // Verified tokens are remembered below (VerifiedTokens), not in fast-jwt's cache.
      verify: { algorithms: ['HS256'] },
    });

    app.decorateRequest('auth', undefined as unknown as FastifyRequest['auth']);
    const verified = new VerifiedTokens(10_000);
    const { RATE_LIMIT_MAX: max, RATE_LIMIT_WINDOW_MS: window } = config;
    /** The global per-IP limit for bearer requests (the rate-limit plugin skips them). */
    const countRequest = (req: FastifyRequest) =>
      max > 0 && !(req.routeOptions.config as { rateLimit?: unknown }).rateLimit
        ? app.stores.counters.incr(globalLimitKey(req.ip), window)
        : null;

    app.decorate('authenticate', async (req: FastifyRequest, reply: FastifyReply) => {
      const header = req.headers.authorization;
      if (!header || !/^bearer /i.test(header)) throw unauthorized('missing bearer token');
      const counted = countRequest(req);
      const token = header.slice(7);
      let claims: AccessClaims | null = verified.get(token) ?? null;
      const wasVerified = claims !== null;
      if (wasVerified) req.user = claims!;
      else {
        try {
          claims = await req.jwtVerify<AccessClaims>();
        } catch {}
      }
      const valid =
        claims !== null &&
        claims.typ === 'access' &&
        typeof claims.sub === 'string' &&
        typeof claims.sid === 'string';
      if (valid && !wasVerified) verified.set(token, claims!);
      // The counter and the session status are looked up together.
      const [count, active] = await Promise.all([
        counted,
        valid ? app.sessions.isActive(claims!.sid) : false,
      ]);
      if (count) {
        reply.header('x-ratelimit-limit', max);
        reply.header('x-ratelimit-remaining', Math.max(0, max - count.count));
        reply.header('x-ratelimit-reset', Math.ceil(count.ttlMs / 1000));
        if (count.count > max) throw tooManyRequests(count.ttlMs / 1000);
      }
      if (!valid) throw unauthorized('invalid or expired access token');
      if (!active) throw unauthorized('session revoked');
      req.auth = { userId: claims!.sub, sessionId: claims!.sid };
    });
  },
  { name: 'auth', dependencies: ['stores'] },
);

/**
 * Access tokens that verified before, by their exact text, until they expire. @fastify/jwt's own
 * cache still decodes and hashes the token on every request, about 0.1 ms of each authenticated
 * call; this is a map lookup. Only the same bytes can hit, and the session check still runs.
 */
export class VerifiedTokens {
  private readonly byToken = new Map<string, AccessClaims & { exp: number }>();

  constructor(private readonly max: number) {}

  get(token: string): AccessClaims | undefined {
    const claims = this.byToken.get(token);
    if (claims === undefined) return undefined;
    if (claims.exp * 1000 > Date.now()) return claims;
    this.byToken.delete(token);
    return undefined;
  }

  set(token: string, claims: AccessClaims & { exp?: unknown }): void {
    // A token without an expiry is verified every time rather than trusted for ever.
    if (typeof claims.exp !== 'number') return;
    if (this.byToken.size >= this.max) this.byToken.delete(this.byToken.keys().next().value!);
    this.byToken.set(token, claims as AccessClaims & { exp: number });
  }
}
