import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SessionService } from '../../auth/sessions';
import type { AnalysisEngine } from '../../engine/engine';
import { createEngine } from '../../engine/engine';
import { LibraryService } from '../../library/service';
import { createStores } from '../../stores';
import type { Stores } from '../../stores/types';

export type StoreOverrides = { stores?: Stores; engine?: AnalysisEngine };

/** Stores (chosen by configuration), the services over them, and their shutdown. */
export default fp<StoreOverrides>(
  async (app: FastifyInstance, opts) => {
    const { config } = app;
    const stores = opts.stores ?? (await createStores(config, app.log));
    app.decorate('stores', stores);
    const sessions = new SessionService(
      stores.docs,
      stores.cache,
      stores.pokes,
      config.REFRESH_TOKEN_TTL_SEC,
      config.CACHE_TTL_SEC,
      // In process the cache is already local; with Redis, skip a round trip per request.
      stores.cache.backend === 'redis' ? config.SESSION_LOCAL_CACHE_MS : 0,
    );
    app.decorate('sessions', sessions);
    const library = new LibraryService(stores, config.CACHE_TTL_SEC, app.log);
    library.start();
    app.decorate('library', library);
    app.decorate('engine', opts.engine ?? createEngine(config.ANALYSIS_WORKERS));
    app.log.info({ backends: config.backends }, 'stores ready');
    app.addHook('onClose', async () => {
      library.stop();
      sessions.close();
      await app.engine.close();
      // Stores handed in by the caller are the caller's to close.
      if (!opts.stores) await stores.close();
    });
  },
  { name: 'stores' },
);
