/**
 * Builds the renderer into dist/renderer. The output is plain static files
 * (relative asset paths, so it loads from file:// under Electron and from the
 * web server's root alike) with no inline scripts, so a strict CSP holds.
 *
 * `STOCKROOM_SERVER=http://127.0.0.1:PORT npx vite --config renderer/vite.config.ts`
 * serves the renderer with hot reload against a running web-mode server.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const server = process.env.STOCKROOM_SERVER;

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  server: server ? { proxy: { '/api': { target: server, ws: true } } } : {},
});
