// The app's log file: JSON lines in <data folder>/logs/vvm-desk.log (0600, in a 0700 folder), rotated to
// vvm-desk.log.1 past 1 MiB. "Internal error (details are in the log)" points here, and the window can
// reveal the file. Callers never pass secrets (the services' rule); this only writes what it is given.
import { appendFileSync, chmodSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../services/ports.js';

/** The log's file name inside its folder. */
export const LOG_FILE_NAME = 'vvm-desk.log';
const MAX_BYTES = 1024 * 1024;

/** A Logger appending to a file, plus where the file is. */
export interface FileLogger extends Logger {
  readonly file: string;
  /** Logs an unexpected error with its stack. */
  internal(where: string, e: unknown): void;
}

/** Opens (creating) the log in `dir`; writing never throws (a full disk loses log lines, not the app). */
export function createFileLogger(dir: string, now: () => Date = () => new Date()): FileLogger {
  const file = join(dir, LOG_FILE_NAME);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    // Reported by the first write failing silently; the app runs on.
  }
  function write(level: string, msg: string, ctx?: Record<string, unknown>): void {
    const line = JSON.stringify({ t: now().toISOString(), level, msg, ...(ctx && { ctx }) }) + '\n';
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(file, `${file}.1`);
      appendFileSync(file, line, { mode: 0o600 });
      chmodSync(file, 0o600);
    } catch {
      // See above: logging must not break the operation being logged.
    }
  }
  return {
    file,
    // Debug lines (every request) stay out of the file: it is for errors and what led to them.
    debug: () => {},
    info: (msg, ctx) => write('info', msg, ctx),
    warn: (msg, ctx) => write('warn', msg, ctx),
    error: (msg, ctx) => write('error', msg, ctx),
    internal(where, e) {
      write('error', `internal error on ${where}`, { stack: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    },
  };
}
