import { Workbox } from 'workbox-window';

/**
 * Registers the service worker of the built app (web/dist/sw.js, made by vite-plugin-pwa), which precaches the
 * whole app so it opens with no network. Not in the development server, where files change on every edit.
 *
 * @example
 * registerServiceWorker(); // once, in main.tsx
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const workbox = new Workbox('/sw.js', { scope: '/' });
  // A failed registration (e.g. a private window that refuses it) only means no offline start.
  workbox.register().catch((error: unknown) => console.warn('Service worker not registered', error));
}
