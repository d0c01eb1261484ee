// Builds the renderer (React, sandboxed Chromium) to out/renderer. Relative asset URLs, so the same
// build is served by Electron's app:// protocol and by the loopback web harness.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    chunkSizeWarningLimit: 2048,
  },
});
