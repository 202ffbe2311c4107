import { createHash } from 'node:crypto';
import { createClient, RESP_TYPES, type RedisClientType } from 'redis';

export type Log = { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };

/** Every call gives up after this long, so a stalled Redis costs a request at most this much. */
export const REDIS_OP_TIMEOUT_MS = 300;

export class RedisUnavailable extends Error {
  constructor(message = 'redis is not connected') {
    super(message);
    this.name = 'RedisUnavailable';
  }
}

/**
 * One node-redis connection that fails fast while disconnected (no offline queue) and reconnects
 * in the background forever, so callers can treat errors as "degraded" and carry on.
 */
export class RedisConnection {
  readonly client: RedisClientType;
  /** The same connection, answering bulk strings as Buffers (cached bodies are sent as they are). */
  readonly buffers: RedisClientType;
  private readonly shas = new Map<string, string>();
  private wasReady = false;

  constructor(
    url: string,
    private readonly log: Log,
    readonly name = 'redis',
  ) {
    this.client = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2000,
        reconnectStrategy: (retries) => Math.min(100 + retries * 200, 2000),
      },
    }) as RedisClientType;
    this.buffers = this.client.withTypeMapping({
      [RESP_TYPES.BLOB_STRING]: Buffer,
    }) as unknown as RedisClientType;
    this.client.on('error', (err: Error) => {
      if (this.wasReady) log.warn({ err: err.message, conn: name }, 'redis connection lost; degrading');
      this.wasReady = false;
    });
    this.client.on('ready', () => {
      if (!this.wasReady) log.info({ conn: name }, 'redis connected');
      this.wasReady = true;
    });
  }

  /** Waits up to `waitMs` for the first connection; a Redis that is down at start is not fatal. */
  async start(waitMs = 3000): Promise<void> {
    const connecting = this.client.connect().catch(() => undefined);
    await Promise.race([connecting, new Promise((r) => setTimeout(r, waitMs).unref())]);
    if (!this.client.isReady)
      this.log.warn({ conn: this.name }, 'redis not reachable at start; retrying in background');
  }

  get ready(): boolean {
    return this.client.isReady;
  }

  async run<T>(
    op: (c: RedisClientType) => Promise<T>,
    timeoutMs = REDIS_OP_TIMEOUT_MS,
    client: RedisClientType = this.client,
  ): Promise<T> {
    if (!this.client.isReady) throw new RedisUnavailable();
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        op(client),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new RedisUnavailable('redis timed out')), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** EVALSHA with a fallback to EVAL when the server has not seen the script (e.g. after a restart). */
  async script(source: string, keys: string[], args: (string | Buffer)[]): Promise<unknown> {
    let sha = this.shas.get(source);
    if (!sha) {
      sha = createHash('sha1').update(source).digest('hex');
      this.shas.set(source, sha);
    }
    return this.run(async (c) => {
      try {
        return await c.sendCommand(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
      } catch (e) {
        if (!String((e as Error).message).includes('NOSCRIPT')) throw e;
        return c.sendCommand(['EVAL', source, String(keys.length), ...keys, ...args]);
      }
    });
  }

  async close(): Promise<void> {
    try {
      if (this.client.isOpen) await this.client.quit();
    } catch {
      this.client.destroy();
    }
  }
}
