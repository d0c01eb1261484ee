// Runs the real `vvm-desk` process (node bin/vvm-desk.js over the compiled out/ tree) for CLI tests.
// The build is not done here (it is slow and shared): a missing or stale build fails with how to fix it.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'vvm-desk.js');

/** Throws unless out/ holds a build at least as new as the given sources (paths relative to the root, .ts). */
export function requireBuilt(sources: string[]): void {
  for (const src of sources) {
    const out = join(ROOT, 'out', src.replace(/\.ts$/, '.js'));
    if (!existsSync(out)) throw new Error(`The CLI is not built (${out} missing): run \`npx tsc -p tsconfig.json\` (or npm run build) first.`);
    if (statSync(out).mtimeMs < statSync(join(ROOT, src)).mtimeMs) throw new Error(`The build is older than ${src}: run \`npx tsc -p tsconfig.json\` (or npm run build) first.`);
  }
}

/** Outcome of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `vvm-desk <args>` with extra environment, in `cwd`; no terminal is attached (stdin is not a TTY). */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 30_000, cwd = ROOT): Promise<CliRun> {
  return new Promise((res) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      res({ code, stdout, stderr });
    });
  });
}
