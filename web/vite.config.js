// Vite build of the zhibu web app.  Vant components are imported on demand
// (unplugin-vue-components + the Vant resolver); a small plugin writes the
// service worker with the list of hashed assets of this build, so the
// worker caches exactly the app shell and never anything under /api.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { VantResolver } from '@vant/auto-import-resolver';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { precompress } from './scripts/compress.mjs';

function serviceWorker() {
  return {
    name: 'zhibu-sw',
    apply: 'build',
    generateBundle(_opts, bundle) {
      const assets = Object.keys(bundle)
        .filter((f) => /\.(js|css|woff2?|png|svg)$/.test(f))
        .map((f) => '/' + f);
      const shell = ['/', '/index.html', '/manifest.webmanifest',
        '/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon.svg'];
      const version = createHash('sha256')
        .update(assets.sort().join('\n')).digest('hex').slice(0, 12);
      const src = readFileSync(new URL('./src/sw-template.js', import.meta.url), 'utf8')
        .replace('__VERSION__', version)
        .replace('__SHELL__', JSON.stringify(shell))
        .replace('__ASSETS__', JSON.stringify(assets));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: src });
    },
  };
}

// Vant inlines its icon font as a data: URL, which the server's CSP
// (default-src 'self') refuses: serve it as a hashed file of our own.
function vantIconFont() {
  return {
    name: 'zhibu-vant-icon-font',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!/vant\/(es|lib)\/icon\/index\.css/.test(id)) return null;
      // the data: URL becomes our file; the CDN fallback is dropped (no outside hosts)
      return code.replace(/,\s*url\([^)]*alicdn[^)]*\)\s*format\([^)]*\)/, '').replace(/url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\)/, (_m, b64) => {
        const source = Buffer.from(b64, 'base64');
        const hash = createHash('sha256').update(source).digest('hex').slice(0, 10);
        const fileName = `assets/vant-icon-${hash}.woff2`;
        this.emitFile({ type: 'asset', fileName, source });
        return `url(/${fileName})`;
      });
    },
  };
}

// FILE.br and FILE.gz beside each text file of the build: the server picks
// one by Accept-Encoding (src/http/static.c) and compresses nothing itself.
function precompressed() {
  let outDir = 'dist';
  return {
    name: 'zhibu-precompress',
    apply: 'build',
    configResolved(c) { outDir = resolve(c.root, c.build.outDir); },
    closeBundle() {
      const rows = precompress(outDir);
      const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
      this.info?.(`precompressed ${rows.length} files: ${sum('size')} -> br ${sum('br')} bytes`);
    },
  };
}

// The first screen without a waterfall on a slow line: index.html asks for
// /api/v1/auth/me (consumed by boot.js, which fetches it the same way) and
// the login screen's chunk while the app shell downloads, instead of after.
function firstScreen() {
  return {
    name: 'zhibu-first-screen',
    apply: 'build',
    enforce: 'post',
    generateBundle(_opts, bundle) {
      const html = bundle['index.html'];
      const login = Object.values(bundle).find((c) => c.type === 'chunk' && /src\/views\/Login\.vue$/.test(c.facadeModuleId || ''));
      if (!html || !login) return;
      const have = String(html.source);
      const files = [login.fileName, ...login.imports].filter((f) => !have.includes('/' + f));
      const links = ['<link rel="preload" href="/api/v1/auth/me" as="fetch" crossorigin>',
        ...files.map((f) => `<link rel="modulepreload" crossorigin href="/${f}">`)];
      html.source = have.replace('</head>', '  ' + links.join('\n  ') + '\n</head>');
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [
    vantIconFont(),
    vue(),
    Components({ dts: false, resolvers: [VantResolver()] }),
    serviceWorker(),
    firstScreen(),
    precompressed(),
  ],
  build: {
    outDir: 'dist',
    manifest: true,
    emptyOutDir: true,
    target: 'es2019',
    chunkSizeWarningLimit: 800,
    modulePreload: { polyfill: false },
    // Everything the entry imports statically (Vue, the Vant pieces of the
    // layout, the app's own modules) in one chunk: on a 400 ms line each
    // extra file of the first screen costs a round trip on one of the six
    // connections.  Screens and ECharts stay separate chunks.
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'shell', tags: ['$initial'] }] } },
    },
  },
  server: {
    proxy: { '/api': process.env.ZHIBU_API || 'http://127.0.0.1:8080' },
  },
});
