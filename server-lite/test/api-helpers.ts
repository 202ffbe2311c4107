import type { Mutation } from '@samplemind/contract';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { clientMutations, type FakeAnalysisOptions, fakeAnalysis, randomHash } from './fixtures';
import type { newUser } from './harness';

export type User = Awaited<ReturnType<typeof newUser>>;

export async function push(app: FastifyInstance, user: User, mutations: Mutation[]) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/sync/push',
    headers: user.headers,
    payload: { mutations },
  });
}

export async function seed(
  app: FastifyInstance,
  user: User,
  items: (FakeAnalysisOptions & { name?: string; tags?: string[] })[],
) {
  const m = clientMutations(`seed-${user.username}`.slice(0, 60));
  const muts: Mutation[] = [];
  const ids: string[] = [];
  for (const it of items) {
    const h = it.hash ?? randomHash();
    ids.push(h);
    muts.push(
      m('sample.upsertAnalysis', {
        id: h,
        analysis: fakeAnalysis({ ...it, hash: h }),
        name: it.name ?? `${h.slice(0, 6)}.wav`,
      }),
    );
    if (it.tags) muts.push(m('sample.addTags', { id: h, tags: it.tags }));
  }
  const r = await push(app, user, muts);
  expect(r.statusCode).toBe(200);
  return ids;
}

export const get = (app: FastifyInstance, user: User, url: string) =>
  app.inject({ method: 'GET', url, headers: user.headers });
