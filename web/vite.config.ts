import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Libraries every page needs, in chunks of their own: they change less often than the app, so a
 * new release leaves them cached. Mantine stays with the pages that use each component, or the
 * login page would load the slider, the dropzone and the modal too.
 */
function vendorChunk(id: string): string | undefined {
  if (/node_modules\/(react|react-dom|scheduler|react-router)\//.test(id)) return 'react';
  if (/node_modules\/@tanstack\//.test(id)) return 'react-query';
  return undefined;
}

// Run from the repository root as `vite web` / `vite build web`: the root is this folder.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { output: { manualChunks: vendorChunk } },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:8000', changeOrigin: false, ws: true },
    },
  },
});
