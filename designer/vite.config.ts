// Vite build of the designer: root designer/, output dist/designer/ at the repository root, served
// by the server at /designer/. Build: npx vite build --config designer/vite.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/designer/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/designer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
  server: {
    proxy: { '/api': `http://localhost:${process.env.LADDER_API_PORT ?? 3000}` },
  },
});
