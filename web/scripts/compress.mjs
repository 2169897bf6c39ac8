// Precompress the built web app: FILE.br (brotli, quality 11) and FILE.gz
// (gzip -9) beside every text file of 1 KiB or more, kept only when smaller
// than the file.  The server sends one of them when the client's
// Accept-Encoding takes it (src/http/static.c); nothing is compressed per
// request.  Node's zlib does both codings: no extra dependency.
// Run by the Vite build (vite.config.js); `node scripts/compress.mjs [dir]`
// redoes it by hand.
import { readdirSync, readFileSync, writeFileSync, statSync, unlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;
const MIN = 1024; // the server sends smaller files as they are

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
}

/** Compress every text file under dir; returns [{file, size, gz, br}]. */
export function precompress(dir) {
  const done = [];
  for (const file of walk(dir)) {
    if (/\.(gz|br)$/.test(file)) {
      // a variant whose file is gone would never be served: drop it
      if (!existsSync(file.slice(0, -3))) unlinkSync(file);
      continue;
    }
    if (!TEXT.test(file)) continue;
    const src = readFileSync(file);
    if (src.length < MIN) continue;
    const gz = gzipSync(src, { level: 9 });
    const br = brotliCompressSync(src, { params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: src.length,
    } });
    const row = { file, size: src.length, gz: 0, br: 0 };
    for (const [ext, data] of [['.gz', gz], ['.br', br]]) {
      if (data.length < src.length) {
        writeFileSync(file + ext, data);
        row[ext.slice(1)] = data.length;
      } else if (existsSync(file + ext)) {
        unlinkSync(file + ext);
      }
    }
    done.push(row);
  }
  return done;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] || fileURLToPath(new URL('../dist/', import.meta.url));
  const rows = precompress(dir);
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  console.log(`precompressed ${rows.length} files: ${sum('size')} bytes -> gzip ${sum('gz')}, brotli ${sum('br')}`);
}
