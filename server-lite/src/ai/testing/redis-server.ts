import { startRedis } from '../../../test/services';

export type RedisServer = { url: string; port: number; stop(): Promise<void> };

/** A private redis-server (no persistence) on a free loopback port, for one test file. */
export async function startRedisServer(): Promise<RedisServer> {
  const svc = await startRedis();
  return { url: svc.url, port: svc.port, stop: () => svc.stop() };
}
