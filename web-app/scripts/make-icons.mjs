// Renders the PWA icons from public/favicon.svg (run after changing the logo; outputs are committed).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const publicDir = fileURLToPath(new URL('../../public/', import.meta.url));
const svg = await readFile(`${publicDir}favicon.svg`);

for (const size of [192, 512]) {
  await sharp(svg, { density: 600 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(`${publicDir}icons/icon-${size}.png`);
}
// Maskable: the logo inside the 80 % safe zone on a full-bleed background.
const inner = await sharp(svg, { density: 600 }).resize(410, 410).png().toBuffer();
await sharp({ create: { width: 512, height: 512, channels: 4, background: '#111318' } })
  .composite([{ input: inner, gravity: 'center' }])
  .png({ compressionLevel: 9 })
  .toFile(`${publicDir}icons/icon-maskable-512.png`);
console.log('icons written to public/icons/');
