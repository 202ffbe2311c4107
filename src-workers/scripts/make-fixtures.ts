/**
 * Writes the generated fixture set (src/testing/fixtures.ts) to src-workers/.fixtures/ with an
 * index.json of what each file should decode to. Run: npx tsx src-workers/scripts/make-fixtures.ts [dir]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixtures } from '../src/testing/fixtures';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, '..', '.fixtures'));
await mkdir(out, { recursive: true });
const fixtures = await buildFixtures();
for (const f of fixtures) await writeFile(join(out, f.name), f.bytes);
const index = fixtures.map(({ name, description, expect, bytes }) => ({
  name,
  bytes: bytes.length,
  description,
  expect,
}));
await writeFile(join(out, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
process.stdout.write(`wrote ${fixtures.length} fixtures to ${out}\n`);
