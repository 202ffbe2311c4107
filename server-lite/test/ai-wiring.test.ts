// The AI proxy as mounted in the real app: real auth, real stores (embedded and Redis), the
// provider stub speaking OpenAI's wire protocol.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kick } from '../src/ai/testing/fixtures';
import { stubEnv } from '../src/ai/testing/harness';
import { type ProviderStub, startProviderStub } from '../src/ai/testing/provider-stub';
import { cleanupTmp, newUser, testApp, VARIANTS } from './harness';

let stub: ProviderStub;
beforeAll(async () => {
  stub = await startProviderStub();
});
afterAll(async () => {
  await stub.close();
  cleanupTmp();
});

for (const variant of VARIANTS.filter((v) => !v.skip)) {
  describe(`AI routes in the app: ${variant.name}`, () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      ({ app } = await testApp({ ...variant.env(), ...stubEnv(stub, ['openai']), METRICS_ENABLED: 'true' }));
    });
    afterAll(() => app?.close());

    it('needs a signed-in user', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/ai/providers' });
      expect(res.statusCode).toBe(401);
    });

    it('lists the configured provider and answers, then answers a repeat from cache', async () => {
      const user = await newUser(app);
      const providers = await app.inject({
        method: 'GET',
        url: '/api/v1/ai/providers',
        headers: user.headers,
      });
      expect(providers.statusCode).toBe(200);
      expect(JSON.stringify(providers.json())).toContain('openai');
      expect(providers.body).not.toContain(stub.keys.openai ?? 'no-key');

      const sample = { ...kick(1), id: `k-${variant.name.length}` };
      const first = await app.inject({
        method: 'POST',
        url: '/api/v1/ai/analyze',
        headers: user.headers,
        payload: { sample },
      });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ provider: 'openai', cached: false });
      const again = await app.inject({
        method: 'POST',
        url: '/api/v1/ai/analyze',
        headers: user.headers,
        payload: { sample },
      });
      expect(again.json()).toMatchObject({ provider: 'openai', cached: true });
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/samplemind_ai_cache_(hits|lookups)/);
    });
  });
}
