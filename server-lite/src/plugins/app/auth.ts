import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { unauthorized } from '../../http-errors';
import type { AccessClaims } from '../../types';

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
      verify: { algorithms: ['HS256'], cache: 10_000 },
    });

    app.decorateRequest('auth', undefined as unknown as FastifyRequest['auth']);
    app.decorate('authenticate', async (req: FastifyRequest) => {
      const header = req.headers.authorization;
      if (!header || !/^bearer /i.test(header)) throw unauthorized('missing bearer token');
      let claims: AccessClaims;
      try {
        claims = await req.jwtVerify<AccessClaims>();
      } catch {
        throw unauthorized('invalid or expired access token');
      }
      if (claims.typ !== 'access' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string') {
        throw unauthorized('not an access token');
      }
      if (!(await app.sessions.isActive(claims.sid))) throw unauthorized('session revoked');
      req.auth = { userId: claims.sub, sessionId: claims.sid };
    });
  },
  { name: 'auth', dependencies: ['stores'] },
);
