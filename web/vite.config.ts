import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Run from the repository root as `vite web` / `vite build web`: the root is this folder.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:8000', changeOrigin: false, ws: true },
    },
  },
});
