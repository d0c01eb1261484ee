// Builds the web harness's browser shim (renderer/harness/api-shim.ts) to one classic script that runs
// before the renderer. Development and tests only: electron-builder never packages out/web-harness.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'out/web-harness',
    emptyOutDir: true,
    target: 'chrome130',
    minify: false,
    lib: { entry: 'renderer/harness/api-shim.ts', formats: ['iife'], name: 'vvmHarnessShim', fileName: () => 'api-shim.js' },
  },
});
