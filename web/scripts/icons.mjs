// Draws the app icons (a gold star on a red rounded square) without any
// image library: rasterised here with 4x4 supersampling and written as PNG.
// Run once with `node scripts/icons.mjs`; the results are committed.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const RED = [200, 22, 29], GOLD = [255, 214, 0];

function star(cx, cy, r) {
  const pts = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + i * Math.PI / 5;
    const rr = i % 2 ? r * 0.382 : r;
    pts.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
  }
  return pts;
}
function inside(p, x, y) {
  let c = false;
  for (let i = 0, j = p.length - 1; i < p.length; j = i++) {
    if ((p[i][1] > y) !== (p[j][1] > y) &&
        x < (p[j][0] - p[i][0]) * (y - p[i][1]) / (p[j][1] - p[i][1]) + p[i][0]) c = !c;
  }
  return c;
}
function inRounded(x, y, n, rad) {
  const cx = Math.min(Math.max(x, rad), n - rad), cy = Math.min(Math.max(y, rad), n - rad);
  return (x - cx) ** 2 + (y - cy) ** 2 <= rad * rad;
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(n, maskable) {
  const s = star(n / 2, n / 2 + n * 0.03, n * (maskable ? 0.3 : 0.36));
  const raw = Buffer.alloc((n * 4 + 1) * n);
  const SS = 4;
  for (let y = 0; y < n; y++) {
    raw[y * (n * 4 + 1)] = 0;
    for (let x = 0; x < n; x++) {
      let bg = 0, fg = 0;
      for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
        const px = x + (sx + 0.5) / SS, py = y + (sy + 0.5) / SS;
        if (maskable || inRounded(px, py, n, n * 0.18)) {
          if (inside(s, px, py)) fg++; else bg++;
        }
      }
      const tot = SS * SS, a = (bg + fg) / tot;
      const o = y * (n * 4 + 1) + 1 + x * 4;
      for (let k = 0; k < 3; k++) raw[o + k] = a ? Math.round((RED[k] * bg + GOLD[k] * fg) / (bg + fg)) : 0;
      raw[o + 3] = Math.round(a * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(n, 0); ihdr.writeUInt32BE(n, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
const dir = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', dir), png(192, false));
writeFileSync(new URL('icon-512.png', dir), png(512, true));
const pts = star(256, 271, 184).map((p) => p.map((v) => v.toFixed(1)).join(',')).join(' ');
writeFileSync(new URL('icon.svg', dir),
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="92" fill="#c8161d"/><polygon points="${pts}" fill="#ffd600"/></svg>\n`);
console.log('icons written');
