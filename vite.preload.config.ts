// Bundles the sandboxed preload to ONE CommonJS file (a sandboxed preload can `require` only
// 'electron' and a few polyfilled modules, so everything else is inlined).
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'out/preload',
    emptyOutDir: true,
    target: 'chrome130',
    minify: false,
    sourcemap: true,
    lib: { entry: 'preload/index.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
