// Vite build of the enterprise runtime: root runtime/, output dist/runtime/ at the repository root
// (served by the server at /). Build: npx vite build --config runtime/vite.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/runtime', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    proxy: { '/api': `http://localhost:${process.env.LADDER_API_PORT ?? 3000}` },
  },
});
