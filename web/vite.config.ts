import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// Everything the page needs is bundled into web/dist: the app must work with no internet.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
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
