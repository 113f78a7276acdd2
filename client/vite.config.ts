import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

// The dashboard is served by Floatline itself at / and /config, so it builds with base '/'
// into dist/client. `vite --config client/vite.config.ts` proxies to a running server
// (FLOATLINE_URL, default http://127.0.0.1:8000) for hot-reload work. The proxy keeps the
// browser's Host, so Floatline sees the page's Origin as its own (server/http/cross-site.ts)
// and accepts its mutations; changeOrigin would make them cross-site (403).
const target = process.env.FLOATLINE_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: fileURLToPath(new URL('../dist/client', import.meta.url)),
    emptyOutDir: true,
    // No source maps in the shipped build: they publish the whole source and only cost
    // bytes. `vite` (dev server) still has them. The server also refuses *.map when
    // NODE_ENV=production, whatever a build left in dist/.
    sourcemap: false,
  },
  server: {
    proxy: {
      '/graphql': { target, ws: true },
      '/frontend-error': { target },
      '/auth': { target },
      '/presentation': { target },
    },
  },
});
