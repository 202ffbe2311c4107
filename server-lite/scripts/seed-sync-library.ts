/**
 * Seeds a realistic synthetic sample library for one user straight into server-lite's stores
 * (no HTTP): the document store's batch write through the same LibraryService.push the sync
 * endpoint uses, so caches are invalidated, pokes published and vectors indexed as for a real push.
 *
 *   tsx server-lite/scripts/seed-sync-library.ts --user-email a@example.com --password 'secret-pass' \
 *     [--count 100000] [--username alice] [--collections 8] [--seed 1] [--batch 2000] \
 *     [--data-dir /path/to/data] [--client-id seed-abc123]
 *
 * Stores come from the same environment the server reads (src/config/env.ts): SAMPLEMIND_DATA_DIR
 * (the embedded SQLite file is <dir>/samplemind.db; --data-dir overrides it), REDIS_URL,
 * MONGODB_URL / MONGODB_DB, CHROMA_URL, REDIS_KEY_PREFIX, PASSWORD_SCRYPT_N. Point it at the
 * configuration of the server that will serve the library; the server may be running.
 *
 * The user is created when no account has this email (username defaults to the email's local
 * part), with the server's own password hashing, so signing in with --password works afterwards.
 * An existing account is reused only when --password matches it.
 *
 * The library (test/sync-library.ts, deterministic per --seed): per sample an upsertAnalysis with
 * a full analysis, name and path; tags on ~75 %; BPM/key/type corrections on ~5 %; favourites and
 * ratings on some; then --collections collections of 20-500 members. All as one new clientId.
 *
 * Prints one JSON object on stdout at the end:
 *   { userId, email, username, createdUser, clientId, counts: { samples, tagged, tagAssignments,
 *     corrections, favorites, rated, collections, collectionMembers, mutations },
 *     stores: { documents, cache, vectors, sqliteFile }, elapsedMs, samplesPerSec }
 * Progress goes to stderr. Exit code 2 on bad arguments or a wrong password for an existing user.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { registerRequestSchema } from '@samplemind/contract';
import { hashPassword, verifyPassword } from '../src/auth/passwords';
import { loadConfig } from '../src/config/env';
import { LibraryService } from '../src/library/service';
import { createStores, sqliteFile } from '../src/stores';
import { emptyCounts, libraryMutations } from '../test/sync-library';

function fail(message: string): never {
  process.stderr.write(`seed-sync-library: ${message}\n`);
  process.exit(2);
}

const { values: a } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    'user-email': { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    collections: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: '2000' },
    'data-dir': { type: 'string' },
    'client-id': { type: 'string' },
  },
  strict: true,
});

const int = (name: string, v: string, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    fail(`--${name} must be an integer >= ${min} (got ${JSON.stringify(v)})`);
  return n;
};
const count = int('count', a.count!, 0);
const collections = int('collections', a.collections!, 0);
const seed = int('seed', a.seed!, 0);
const batchSize = int('batch', a.batch!, 1);
if (!a['user-email'] || !a.password) fail('--user-email and --password are required');
const account = registerRequestSchema.safeParse({
  email: a['user-email'],
  username:
    a.username ??
    a['user-email']!.split('@')[0]
      .replace(/[^A-Za-z0-9_.-]/g, '_')
      .padEnd(3, '_'),
  password: a.password,
});
if (!account.success)
  fail(account.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
const clientId = a['client-id'] ?? `seed-${randomBytes(6).toString('hex')}`;
if (!/^[A-Za-z0-9_-]{8,64}$/.test(clientId)) fail('--client-id: 8-64 of A-Z a-z 0-9 _ -');

const env = { ...process.env, ...(a['data-dir'] ? { SAMPLEMIND_DATA_DIR: a['data-dir'] } : {}) };
const config = loadConfig(env);
const log = {
  warn: (o: object, m: string) => process.stderr.write(`warn: ${m} ${JSON.stringify(o)}\n`),
  info: () => {},
  error: (o: object, m: string) => process.stderr.write(`error: ${m} ${JSON.stringify(o)}\n`),
};
const stores = await createStores(config, log);
const started = Date.now();
try {
  const { email, username, password } = account.data;
  let user = await stores.docs.findUserByLogin(email);
  let createdUser = false;
  if (user) {
    if (!(await verifyPassword(password, user.passwordHash)))
      fail(`${email} exists and --password does not match it`);
  } else {
    const record = {
      id: randomUUID(),
      email,
      username,
      passwordHash: await hashPassword(password, config.PASSWORD_SCRYPT_N),
      createdAt: Date.now(),
    };
    const r = await stores.docs.createUser(record);
    if (r !== 'ok') fail(`cannot create ${email}: ${r}`);
    user = record;
    createdUser = true;
  }

  const library = new LibraryService(stores, config.CACHE_TTL_SEC, log);
  const counts = emptyCounts();
  let lastReport = Date.now();
  for (const batch of libraryMutations(
    { count, seed, clientId, collections, startMs: Date.now() },
    batchSize,
    counts,
  )) {
    const { body, rejected } = await library.push(user.id, batch);
    if (rejected)
      throw new Error(`push rejected: ${JSON.stringify(body.results.find((r) => r.status !== 'applied'))}`);
    if (Date.now() - lastReport > 2000) {
      lastReport = Date.now();
      process.stderr.write(`seeded ${counts.samples}/${count} samples (${counts.mutations} mutations)\n`);
    }
  }
  const elapsedMs = Date.now() - started;
  process.stdout.write(
    `${JSON.stringify({
      userId: user.id,
      email: user.email,
      username: user.username,
      createdUser,
      clientId,
      counts,
      stores: {
        ...config.backends,
        sqliteFile: config.MONGODB_URL ? null : sqliteFile(config.SAMPLEMIND_DATA_DIR),
      },
      elapsedMs,
      samplesPerSec: Math.round((counts.samples / Math.max(1, elapsedMs)) * 1000),
    })}\n`,
  );
} finally {
  await stores.close();
}
