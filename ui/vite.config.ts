import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const uiRoot = dirname(fileURLToPath(import.meta.url));

/**
 * The admin web app. `vite build --config ui/vite.config.ts` writes `dist/ui`, which the gateway
 * serves at `/` (src/server/static-ui.ts). `vite --config ui/vite.config.ts` runs a dev server that
 * forwards the API to a gateway on SWITCHYARD_URL (default http://127.0.0.1:8045).
 */
export default defineConfig({
  root: uiRoot,
  base: '/',
  plugins: [react()],
  // The admin API contract (zod schemas and types), the UI's only import from the server's sources.
  resolve: { alias: { '@contracts': resolve(uiRoot, '../src/admin/admin-contract.ts') } },
  build: {
    outDir: resolve(uiRoot, '../dist/ui'),
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/v1', '/v1beta', '/healthz', '/metrics'].map((path) => [
        path,
        {
          target: process.env['SWITCHYARD_URL'] ?? 'http://127.0.0.1:8045',
          changeOrigin: true,
          // The gateway refuses state-changing admin requests from another origin; through this
          // proxy the dev server's page is the gateway's own UI.
          configure: (proxy) => proxy.on('proxyReq', (request) => request.removeHeader('origin')),
        },
      ]),
    ),
  },
});
