import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { catalogChunkName, catalogs } from './vite-catalogs.mjs';
import { guide } from './vite-guide.mjs';

// The server (`gmg serve --web web/dist`) serves the built files and answers index.html for
// any other non-API path, so the app routes with the history API from base '/'.
export default defineConfig({
  base: '/',
  plugins: [preact(), catalogs(), guide()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // The polyfill would be bundled, not inlined, but every browser we target has modulepreload.
    modulePreload: { polyfill: false },
    // Catalogue chunks are named `i18n-<lang>-<area>` (`-core` for the core) for the size report
    // and the tests that check which ones a page fetches.
    rollupOptions: {
      output: {
        chunkFileNames: (chunk) => {
          const name = catalogChunkName(chunk.facadeModuleId);
          return name ? `assets/${name}-[hash].js` : 'assets/[name]-[hash].js';
        },
      },
    },
  },
  server: {
    // `npm run dev` against a local `gmg serve` on the default port.
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
    // The /help page imports the people's guide from ../docs/guide (vite-guide.mjs).
    fs: { allow: ['.', '../docs/guide'] },
  },
});
