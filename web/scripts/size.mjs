// Measures what a phone downloads: the app shell (entry chunk, its static
// imports and CSS, as index.html loads them) and each screen on top of it,
// gzip-compressed (level 9, as a server or CDN would send them).
// Reads dist/.vite/manifest.json; prints a table; exits 1 if the shell's
// JavaScript is over the 300 KB budget.
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8'));
const gz = (f) => gzipSync(readFileSync(new URL(f, dist)), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1) + ' KB';

function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const i of manifest[key].imports || []) closure(i, seen);
  return seen;
}
function files(keys) {
  const js = new Set(), css = new Set();
  for (const k of keys) {
    js.add(manifest[k].file);
    for (const c of manifest[k].css || []) css.add(c);
  }
  return { js, css };
}
function sum(set) { let n = 0; for (const f of set) n += gz(f); return n; }

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const shellKeys = closure(entryKey);
const shell = files(shellKeys);
const shellJs = sum(shell.js), shellCss = sum(shell.css);
const html = gz('index.html');

console.log('\nFirst load (gzip -9):');
console.log(`  app shell JS   ${kb(shellJs)}  (${shell.js.size} files)`);
console.log(`  app shell CSS  ${kb(shellCss)}`);
console.log(`  index.html     ${kb(html)}`);

console.log('\nEach screen on top of the shell (JS + CSS, gzip):');
const rows = [];
for (const key of Object.keys(manifest)) {
  const m = manifest[key];
  if (!/src\/views\/.*\.vue$/.test(key) || !m.isDynamicEntry) continue;
  const f = files([...closure(key)].filter((k) => !shellKeys.has(k)));
  rows.push([key.replace('src/views/', ''), sum(f.js) + sum(f.css)]);
}
rows.sort((a, b) => a[0].localeCompare(b[0]));
for (const [name, n] of rows) console.log(`  ${name.padEnd(18)} ${kb(n)}`);

const chartsKey = Object.keys(manifest).find((k) => /src\/charts\.js$/.test(k));
if (chartsKey) {
  const f = files([...closure(chartsKey)].filter((k) => !shellKeys.has(k)));
  const charts = sum(f.js);
  console.log(`\nECharts (lazy, only on 首页 and 组织详情): ${kb(charts)}`);
  const home = rows.find((r) => r[0] === 'Home.vue');
  if (home) console.log(`First visit to 首页 with its charts (shell + Home + ECharts JS/CSS): ${kb(shellJs + shellCss + home[1] + charts)}`);
}
const font = Object.keys(manifest).length && readdirSync(new URL('assets/', dist)).find((f) => f.endsWith('.woff2'));
if (font) console.log(`Icon font (woff2, loaded with the first icon): ${kb(statSync(new URL('assets/' + font, dist)).size)}`);
const all = Object.values(manifest).reduce((n, m) => n + gz(m.file), 0);
console.log(`All JS of the build: ${kb(all)}\n`);

if (shellJs > 300 * 1024) {
  console.error('app shell JS is over the 300 KB budget');
  process.exit(1);
}
if (!existsSync(new URL('sw.js', dist))) { console.error('sw.js missing'); process.exit(1); }
