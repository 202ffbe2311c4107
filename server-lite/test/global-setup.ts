import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { type Service, startChroma, startRedis } from './services';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    chromaUrl: string;
  }
}

/** One real Redis and one real Chroma for the whole run; always stopped, even when tests fail. */
export default async function setup(project: TestProject) {
  const started: Service[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((s) => s.stop().catch(() => undefined)));
  };
  try {
    const [redis, chroma] = await Promise.all([startRedis(), startChroma()]);
    started.push(redis, chroma);
    project.provide('redisUrl', redis.url);
    project.provide('chromaUrl', chroma.url);
  } catch (e) {
    await stopAll();
    throw e;
  }
  const onSignal = () => void stopAll().then(() => process.exit(1));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  };
}
