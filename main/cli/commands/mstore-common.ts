// Shared plumbing of the mstore CLI groups (profile, voicemail, greeting, doctor): opening a session
// (card -> GBA -> relay, or demo mode) with the CLI's SIM PIN source, id arguments, bulk result reporting and
// safe downloads.
import { statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BulkItemResult, FolderKind, FolderQuota } from '../../../shared/domain/mstore.js';
import { openMstoreSession, type MstoreSession } from '../../app.js';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.js';
import { objectPathProblem } from '../../protocol/mstore/urls.js';
import { sanitizeFilename } from '../../protocol/mstore/filename.js';
import { EXPORT_FORMATS, type ExportOptions, type ExportResult } from '../../services/audio/export.js';
import * as mailbox from '../../services/mailbox/use-cases.js';
import type { Logger } from '../../services/ports.js';
import { UsageError, type Command, type CommandContext } from '../framework.js';
import { cliPinSource } from '../pin-source.js';

/** With --verbose, a logger that writes `[level] message {fields}` lines to stderr; else undefined. */
export function stderrLogger(ctx: CommandContext): Logger | undefined {
  if (!ctx.global.verbose) return undefined;
  const line = (level: string) => (msg: string, fields?: Record<string, unknown>) => ctx.io.stderr(`[${level}] ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** Opens a session for the command, runs `fn`, always closes it. */
export async function withMstore(ctx: CommandContext, fn: (s: MstoreSession) => Promise<number>): Promise<number> {
  const logger = stderrLogger(ctx);
  const session = await openMstoreSession({
    settings: ctx.settings,
    demo: ctx.global.demo,
    env: ctx.io.env,
    // One PIN source for the whole CLI (main/cli/pin-source.ts): env, else prompt, else a clear error.
    pinSource: cliPinSource(ctx.io),
    ...(logger && { logger }),
  });
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

/** Checks id arguments (object paths from `list`): at least one, none that could escape the object space. */
export function idArgs(ctx: CommandContext, min = 1, max = Infinity): string[] {
  const ids = ctx.args;
  if (ids.length < min) throw new UsageError(`expected ${min === 1 && max === 1 ? 'an id' : 'at least one id'} (from the list command)`);
  if (ids.length > max) throw new UsageError(`expected at most ${max} id(s)`);
  for (const id of ids) {
    const p = objectPathProblem(id);
    if (p !== null) throw new UsageError(`not a valid id: ${JSON.stringify(id.slice(0, 80))} (${p})`);
  }
  return ids;
}

/**
 * The options every export command takes: --format, --out DIR (required, relative to the working folder),
 * --template, --manifest json|csv and --on-exists error|suffix.
 */
export function exportOptions(ctx: CommandContext): Pick<ExportOptions, 'format' | 'outDir' | 'template' | 'manifest' | 'onExists'> {
  const format = EXPORT_FORMATS.find((f) => f === ctx.options.format);
  if (!format) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const out = ctx.options.out;
  if (typeof out !== 'string' || out === '') throw new UsageError('--out DIR is required');
  const manifest = ctx.options.manifest;
  if (manifest !== undefined && manifest !== 'json' && manifest !== 'csv') throw new UsageError('--manifest must be json or csv');
  const onEx = ctx.options['on-exists'];
  if (onEx !== undefined && onEx !== 'error' && onEx !== 'suffix') throw new UsageError('--on-exists must be error or suffix (export never overwrites)');
  const template = ctx.options.template;
  return {
    format,
    outDir: resolve(ctx.io.cwd, out),
    ...(typeof template === 'string' && { template }),
    ...(manifest !== undefined && { manifest }),
    ...(onEx !== undefined && { onExists: onEx }),
  };
}

/** The lines naming what an export wrote into `outDir`: each file, then the manifest. */
export function exportedLines(outDir: string, r: Pick<ExportResult, 'files' | 'manifest'>): string[] {
  const lines = r.files.map((f) => `saved ${join(outDir, f.file)} (${(f.durationMs / 1000).toFixed(1)} s, ${f.bytes} bytes)`);
  if (r.manifest) lines.push(`manifest ${join(outDir, r.manifest)}`);
  return lines;
}

/** Prints per-item bulk results; returns 1 if any failed (listing them on stderr). */
export function reportBulk(ctx: CommandContext, verb: string, results: BulkItemResult[], relisted: boolean): number {
  const failed = results.filter((r) => !r.ok);
  ctx.print({ results, relisted }, () => results.map((r) => `${r.ok ? 'ok    ' : 'FAILED'} ${r.id}${r.ok ? '' : `  (${r.code ?? '-'} ${r.reason})`}\n`).join(''));
  if (relisted) ctx.io.stderr('note: the server gave no per-item results; they were confirmed by listing again\n');
  if (failed.length > 0) {
    ctx.io.stderr(`error: could not ${verb} ${failed.length} of ${results.length}: ${failed.map((r) => r.id).join(', ')}\n`);
    return 1;
  }
  return 0;
}

/**
 * Writes a download: to FILE when given (an existing folder = that folder with the default name), else
 * to the current folder with the server's name made safe. Never overwrites: " (1)", " (2)" ... are added.
 * Returns the path written.
 */
export async function saveDownload(ctx: CommandContext, bytes: Uint8Array, serverName: string, target: string | undefined): Promise<string> {
  const fallback = sanitizeFilename(serverName, 'download.amr');
  let dir = ctx.io.cwd;
  let name = fallback;
  if (target !== undefined) {
    const abs = resolve(ctx.io.cwd, target);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir || target.endsWith('/') || target.endsWith('\\')) dir = abs;
    else {
      dir = dirname(abs);
      name = basename(abs);
    }
  }
  const written = await writeFileAtomic(dir, name, bytes, { onExists: 'suffix', signal: ctx.signal });
  return resolve(dir, written);
}

/** Human-readable seconds. */
export function fmtDuration(s: number): string {
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Warns about objects the server sent that could not be read. */
export function warnRejected(ctx: CommandContext, rejected: { id: string | null; reason: string }[]): void {
  for (const r of rejected) ctx.io.stderr(`warning: skipped a malformed object${r.id ? ` ${r.id}` : ''}: ${r.reason}\n`);
}

/** `download ID [FILE]` of a voicemail or a greeting: metadata for the name and size, then the payload. */
export function downloadCommand(kind: 'voicemail' | 'greeting'): Command {
  return {
    summary: `download a ${kind}'s audio (AMR) to FILE or the current folder`,
    usage: 'ID [FILE]',
    run: (ctx) => {
      if (ctx.args.length < 1 || ctx.args.length > 2) throw new UsageError('expected ID [FILE]');
      const [id = ''] = idArgs({ ...ctx, args: ctx.args.slice(0, 1) }, 1, 1);
      return withMstore(ctx, async (s) => {
        const meta = kind === 'voicemail' ? await s.client.getVoicemail(id, { signal: ctx.signal }) : await s.client.getGreeting(id, { signal: ctx.signal });
        const bytes = await mailbox.payload(s, kind, id, { signal: ctx.signal });
        const file = await saveDownload(ctx, bytes, meta.item.filename, ctx.args[1]);
        ctx.print({ id, file, bytes: bytes.length }, () => `saved ${file} (${bytes.length} bytes)\n`);
        return 0;
      });
    },
  };
}

/** `delete ID...` (one bulkDelete for voicemails and greetings alike); exit 1 naming the ids that failed. */
export function deleteCommand(what: string): Command {
  return {
    summary: `delete ${what}`,
    usage: 'ID...',
    run: (ctx) => {
      const ids = idArgs(ctx);
      return withMstore(ctx, async (s) => {
        const r = await mailbox.remove(s, ids, { signal: ctx.signal });
        return reportBulk(ctx, 'delete', r.results, r.relisted);
      });
    },
  };
}

/** Human form of a folder's quota. */
export function quotaText(q: FolderQuota): string {
  const lines: string[] = [];
  const pair = (label: string, used: number | null, max: number | null, unit = '') => {
    if (used !== null || max !== null) lines.push(`${label.padEnd(18)} ${used ?? '-'} of ${max ?? '-'}${unit}`);
  };
  pair('voicemails', q.VMOccupiedMessages, q.VMMessagesQuota);
  pair('faxes', q.FaxOccupiedMessages, q.FaxMessagesQuota);
  pair('greetings', q.GreetingsOccupied, q.GreetingsQuota);
  pair('normal greetings', q.NormalGreetingOccupied, q.NormalGreetingQuota);
  pair('voice signatures', q.VoiceSignatureOccupied, q.VoiceSignatureQuota);
  pair('storage', q.OccupiedStorage, q.TotalStorage, ' KiB');
  return lines.join('\n') + '\n';
}

/** `show`: the folder's quota numbers (--json prints the twelve attributes). */
export function quotaCommand(kind: FolderKind): Command {
  return {
    summary: `show the ${kind === 'voicemail' ? 'voicemail' : 'greetings'} folder quota`,
    usage: '',
    run: (ctx) =>
      withMstore(ctx, async (s) => {
        const q = await s.client.getQuota(kind, { signal: ctx.signal });
        ctx.print(q, () => quotaText(q));
        return 0;
      }),
  };
}
