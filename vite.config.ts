import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The SPA: React on the main thread, the market-data worker as an ES module worker that bundles the wasm engine.
// In development the backend (node build/server/src/main.js, port 8787) serves the API and the WebSocket;
// FERRODESK_BACKEND points the dev proxy elsewhere (e.g. http://127.0.0.1:9000).
const BACKEND = process.env.FERRODESK_BACKEND ?? 'http://127.0.0.1:8787';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  server: {
    proxy: {
      '/api': { target: BACKEND },
      '/ws': { target: BACKEND, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
