// The vvm-desk command-line framework: `vvm-desk [global options] <group> <command> [args]`.
// Each group lives in its own module (main/cli/commands/<group>.ts) and is listed in main/cli/main.ts.
// Exit codes: 0 success, 1 failure (message on stderr), 2 usage error.
import type { ParseArgsConfig } from 'node:util';
import type { Settings } from '../../shared/settings.js';
import type { AppError } from '../../shared/errors.js';
import { cliHintFor } from './hints.js';

/** Options every command accepts before or after the group name. */
export interface GlobalOptions {
  reader?: string;
  demo: boolean;
  json: boolean;
  server?: string;
  bsf?: string;
  ca?: string;
  imei?: string;
  msisdn?: string;
  /** --naf-fqdn: explicit NAF FQDN (default: the host of the server URL). */
  nafFqdn?: string;
  /** --reuse-bootstrap: sets settings.reuseBootstrap (only ever turns it on; the file may too). */
  reuseBootstrap?: boolean;
  /** --data-dir: folder of the local voicemail library (absolute; default the app's data folder). */
  dataDir?: string;
  verbose: boolean;
}

/** Where a command writes: stdout for results, stderr for messages. Replaceable in tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads a secret from the terminal without echo, or null when no terminal is attached. */
  promptSecret: (question: string) => Promise<string | null>;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** What a command gets to run. */
export interface CommandContext {
  global: GlobalOptions;
  settings: Settings;
  io: CliIo;
  signal: AbortSignal;
  /** Positional arguments after `<group> <command>`. */
  args: string[];
  /** Command-specific options parsed with the command's `options`. */
  options: Record<string, string | boolean | string[] | undefined>;
  /** Prints a value as JSON (with --json) or via the given formatter. */
  print: (value: unknown, human: () => string) => void;
}

/** One command of a group. `run` returns the exit code (0 or 1); throw UsageError for usage problems. */
export interface Command {
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  run(ctx: CommandContext): Promise<number>;
}

/** A group of commands (`card`, `gba`, `profile`, ...). */
export interface CommandGroup {
  name: string;
  summary: string;
  commands: Record<string, Command>;
}

/** A usage error: exit code 2, message plus the relevant usage line. */
export class UsageError extends Error {
  override readonly name = 'UsageError' as const;
}

/** Formats an AppError for stderr: message, then hint and detail when present. Never secrets. */
export function formatAppError(e: AppError): string {
  const lines = [`error: ${e.message} [${e.code}]`];
  const hint = cliHintFor(e);
  if (hint) lines.push(`hint: ${hint}`);
  if (e.detail) {
    for (const [k, v] of Object.entries(e.detail)) lines.push(`  ${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  }
  return lines.join('\n') + '\n';
}
