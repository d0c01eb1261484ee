import { defineConfig } from 'vitest/config';

// Three kinds of test, each its own project:
// - unit: pure protocol code, services against in-process simulators, CLI, IPC (Node, parallel).
// - integration: the real stack (pcscd + vpcd + simulated ISIM, ffmpeg, keyring). One virtual reader
//   per machine, so these run one file at a time.
// - renderer: React components in jsdom.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/shared/**/*.test.ts', 'test/main/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
        },
      },
    ],
  },
});
