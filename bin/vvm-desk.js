#!/usr/bin/env node
// vvm-desk command line. The TypeScript sources compile to out/ (npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../out/main/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('vvm-desk: not built yet. Run `npm run build` in the project folder first.\n');
  process.exit(1);
}
const { runCli } = await import(entry.href);
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.exitCode = await runCli(process.argv.slice(2), undefined, undefined, controller.signal);
