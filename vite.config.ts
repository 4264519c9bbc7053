import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// COOP/COEP make the page cross-origin isolated, which the threaded DuckDB-WASM build needs.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'es2022' },
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
});
