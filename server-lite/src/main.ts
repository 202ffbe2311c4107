import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { ConfigError, loadConfig, SERVER_ROOT } from './config/env';

/** Reads the repository's .env when there is one; variables already in the environment win. */
function loadDotEnv() {
  let text: string;
  try {
    text = readFileSync(join(SERVER_ROOT, '..', '.env'), 'utf8');
  } catch {
    return;
  }
  for (const [k, v] of Object.entries(parseEnv(text))) if (process.env[k] === undefined) process.env[k] = v;
}

async function main() {
  loadDotEnv();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`server-lite: refusing to start.\n${e.message}\nSee .env.example for every setting.`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const app = await buildApp({ config });
  // Stop taking requests, finish the ones in flight, close stores and workers; force-exit after 10 s.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'fatal error; shutting down');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  await app.listen({ port: config.PORT, host: config.HOST });
}

main().catch((err) => {
  console.error('server-lite failed to start:', err);
  process.exit(1);
});
