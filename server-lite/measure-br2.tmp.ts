import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { brotliCompress, brotliCompressSync, constants, createBrotliCompress, createGzip } from 'node:zlib';
import { promisify } from 'node:util';
import { SqliteDocumentStore } from './src/stores/embedded/sqlite-docs';
import { pullBody } from './src/library/sync-json';
const store = new SqliteDocumentStore(process.argv[2]);
const user = (await store.findUserByLogin('a@example.com'))!;
const p = await store.pullCompact(user.id, 20000, 5000);
const body = pullBody({ cursor: String(p.cursor), hasMore: p.hasMore, samples: p.samples, collections: [], clients: p.clients });
const opts = (chunkSize?: number) => ({ ...(chunkSize ? { chunkSize } : {}), params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } });
const stream = async (mk: () => NodeJS.ReadWriteStream) => { let n = 0; const s = mk(); s.on('data', (c: Buffer) => { n += c.length; }); await pipeline(Readable.from((async function* () { yield body; })()), s as never); return n; };
for (let k = 0; k < 2; k++) {
  for (const [label, f] of [
    ['sync', async () => brotliCompressSync(body, opts()).length],
    ['async one-shot', async () => (await promisify(brotliCompress)(body, opts())).length],
    ['stream 16K', () => stream(() => createBrotliCompress(opts()))],
    ['stream 64K', () => stream(() => createBrotliCompress(opts(65536)))],
    ['gzip stream', () => stream(() => createGzip({ level: 6 }))],
  ] as const) {
    const c0 = process.cpuUsage(); const t = performance.now(); const n = await f(); const c = process.cpuUsage(c0);
    console.log(label.padEnd(16), n, 'wall', (performance.now() - t).toFixed(0), 'cpu', ((c.user + c.system) / 1000).toFixed(0));
  }
}
await store.close();
