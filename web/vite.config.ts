import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// Everything the page needs is bundled into web/dist: the app must work with no internet.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [
    react(),
    // An installable app whose service worker keeps the whole built app (shell, message catalogues, the bundled
    // basemap) so it opens with no network after one visit. The API is never cached by the service worker:
    // offline data lives encrypted in IndexedDB (web/src/offline), not in a readable HTTP cache.
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      // Registered by web/src/offline/serviceWorker.ts, only in the built app.
      injectRegister: false,
      includeAssets: ['icons/icon.svg'],
      manifest: {
        name: 'armtrace',
        short_name: 'armtrace',
        description: 'Document, preserve and trace arms and ammunition recovered in conflict areas.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f3ea',
        theme_color: '#3b4a2f',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // Icons and the manifest are added by the plugin itself (includeAssets, manifest icons).
        globPatterns: ['**/*.{js,css,html,json,woff,woff2}'],
        // The Natural Earth basemap chunk is several MB; it must be precached too, or the map is empty offline.
        maximumFileSizeToCacheInBytes: 30 * 1024 * 1024,
        navigateFallback: '/index.html',
        // API paths are real requests, never answered with the app page or from a cache.
        navigateFallbackDenylist: [/^\/api(\/|$)/],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // The Natural Earth basemap is a large, lazily loaded chunk by design.
    chunkSizeWarningLimit: 1500,
    sourcemap: true,
  },
  server: {
    // `npm run web:dev` against `armtrace serve` on the default port.
    proxy: { '/api': 'http://127.0.0.1:8470' },
  },
});
