#!/usr/bin/env node
// Project postinstall: fetch ffmpeg-static's binary for users with internet access.
// ffmpeg-static's own install script is denied in package.json `allowScripts` because it downloads from
// GitHub and, offline, fails and rolls back the whole `npm ci`. Here the same download is attempted in a
// child process and ANY failure is tolerated: one line on stderr, exit code 0. At run time the engine
// falls back to FFMPEG_PATH, then `ffmpeg` on PATH (main/adapters/ffmpeg/locate.ts).
// ffmpeg-static's script writes straight to the final path, so a download cut short leaves a truncated
// binary there, which the engine would prefer to a working ffmpeg: any failure removes that file.
// Opt out with VVM_SKIP_FFMPEG_DOWNLOAD=1.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const TIMEOUT_MS = 120_000;

function done(line) {
  if (line) process.stderr.write(`vvm-desk postinstall: ${line}\n`);
  process.exit(0);
}

function main() {
  if (process.env.VVM_SKIP_FFMPEG_DOWNLOAD === '1') return done('ffmpeg download skipped (VVM_SKIP_FFMPEG_DOWNLOAD=1)');
  const require = createRequire(import.meta.url);
  let installScript;
  let binary;
  try {
    installScript = join(dirname(require.resolve('ffmpeg-static/package.json')), 'install.js');
    binary = require('ffmpeg-static');
  } catch {
    return done('ffmpeg-static is not installed; ffmpeg will come from FFMPEG_PATH or PATH');
  }
  if (typeof binary === 'string' && existsSync(binary)) return done('');
  if (!existsSync(installScript)) return done('ffmpeg-static has no install script; using FFMPEG_PATH or PATH');
  const child = spawn(process.execPath, [installScript], { stdio: ['ignore', 'ignore', 'pipe'], cwd: dirname(installScript) });
  let stderr = '';
  child.stderr.on('data', (d) => {
    if (stderr.length < 4096) stderr += String(d);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  const removePartial = () => {
    if (typeof binary === 'string') rmSync(binary, { force: true });
  };
  child.on('error', () => {
    clearTimeout(timer);
    removePartial();
    done('could not run the ffmpeg-static download; ffmpeg will come from FFMPEG_PATH or PATH');
  });
  child.on('close', (code) => {
    clearTimeout(timer);
    if (code === 0 && typeof binary === 'string' && existsSync(binary)) return done('fetched the bundled ffmpeg (ffmpeg-static)');
    removePartial();
    const why = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo/.test(stderr) ? 'offline' : code === null ? 'timed out' : `exit ${code}`;
    done(`bundled ffmpeg not downloaded (${why}); ffmpeg will come from FFMPEG_PATH or PATH`);
  });
}

main();
