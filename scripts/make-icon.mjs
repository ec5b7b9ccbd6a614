#!/usr/bin/env node
// Draws the app icon (build/icon.png, 512×512): a teal rounded square with a
// stack of three boxes on a shelf. Plain code, no image tools needed:
//   node scripts/make-icon.mjs [size]
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const size = Number(process.argv[2] ?? 512);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const px = Buffer.alloc(size * size * 4);
const s = size / 512;

function blend(x, y, [r, g, b], a = 1) {
  if (x < 0 || y < 0 || x >= size || y >= size) return;
  const i = (y * size + x) * 4;
  const da = px[i + 3] / 255;
  const oa = a + da * (1 - a);
  const mix = (c, d) => Math.round((c * a + d * da * (1 - a)) / (oa || 1));
  px[i] = mix(r, px[i]);
  px[i + 1] = mix(g, px[i + 1]);
  px[i + 2] = mix(b, px[i + 2]);
  px[i + 3] = Math.round(oa * 255);
}

/** A rounded rectangle with 4×4 supersampled edges. */
function roundRect(x0, y0, x1, y1, radius, color) {
  [x0, y0, x1, y1, radius] = [x0, y0, x1, y1, radius].map((v) => v * s);
  for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
    for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const px_ = x + (sx + 0.5) / 4;
          const py = y + (sy + 0.5) / 4;
          if (px_ < x0 || px_ > x1 || py < y0 || py > y1) continue;
          const cx = Math.min(Math.max(px_, x0 + radius), x1 - radius);
          const cy = Math.min(Math.max(py, y0 + radius), y1 - radius);
          if ((px_ - cx) ** 2 + (py - cy) ** 2 <= radius * radius) hits++;
        }
      }
      if (hits) blend(x, y, color, hits / 16);
    }
  }
}

const teal = [15, 118, 110];
const tealDark = [17, 94, 89];
const cream = [253, 246, 227];
const amber = [245, 158, 11];
const amberDark = [217, 119, 6];

roundRect(16, 16, 496, 496, 96, teal);
roundRect(16, 300, 496, 496, 96, tealDark);
roundRect(16, 300, 496, 400, 0, tealDark);
// shelf
roundRect(88, 392, 424, 416, 8, cream);
// boxes: two at the bottom, one on top
for (const [x, y, w, h] of [
  [104, 262, 144, 130],
  [264, 262, 144, 130],
  [184, 140, 144, 122],
]) {
  roundRect(x, y, x + w, y + h, 10, amber);
  roundRect(x, y, x + w, y + 22, 10, amberDark);
  roundRect(x + w / 2 - 14, y, x + w / 2 + 14, y + h * 0.45, 3, cream);
}

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const raw = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) px.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0);
ihdr.writeUInt32BE(size, 4);
ihdr[8] = 8;
ihdr[9] = 6; // RGBA
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
const out = join(root, 'build', size === 512 ? 'icon.png' : `icon-${size}.png`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`wrote ${out}`);
