// `vvm-desk sync [--json] [--watch INTERVAL] [--on-new COMMAND]`: brings the local library (the app's data
// folder, shared with the window; --data-dir overrides it) up to date with the mailbox. With --watch it
// keeps the card session open and syncs again every INTERVAL until Ctrl-C. With --on-new it runs COMMAND
// once per new voicemail: the metadata in VVM_* environment variables and the stored audio's path as the
// last argument. COMMAND is split into words at spaces and run directly, never by a shell, so nothing the
// server sends (a caller "number", a file name) can become part of a command line.
import { spawn } from 'node:child_process';
import { dataDir } from '../../adapters/paths.js';
import { openLibraryStore } from '../../adapters/library/sqlite-library.js';
import { AppConfigError, toAppError } from '../../errors.js';
import type { LibraryKey, LibraryPort, LibraryStorePort, LibraryVoicemail } from '../../services/library/ports.js';
import { syncMailbox, type SyncReport } from '../../services/library/sync.js';
import type { MstoreSession } from '../../app.js';
import { UsageError, formatAppError, type Command, type CommandContext, type CommandGroup } from '../framework.js';
import { fmtDuration, stderrLogger, withMstore } from './mstore-common.js';

const SYSTEM_CLOCK = { now: () => Date.now(), monotonic: () => performance.now() };

/** The data folder: --data-dir, else the app's (VVM_DATA_DIR or the OS's per-user data folder). */
export function libraryStore(ctx: CommandContext): LibraryStorePort {
  const explicit = ctx.global.dataDir;
  const dir = explicit !== undefined && explicit !== '' ? explicit : dataDir(ctx.io.env);
  if (dir === null) throw new UsageError('no data folder: set HOME, VVM_DATA_DIR or --data-dir');
  return openLibraryStore(dir);
}

/** The line of the card in the session: ICCID from the card, MSISDN from the settings or the card. */
export async function sessionLine(ctx: CommandContext, s: MstoreSession): Promise<LibraryKey> {
  const card = await s.cardSession(ctx.signal);
  const msisdn = s.settings.msisdn ?? card.identity.msisdn;
  if (msisdn === null) throw new AppConfigError('config.invalid', 'The card has no phone number (no tel: IMPU)', { hint: 'Give the phone number explicitly (+1XXXXXXXXXX).', action: 'setPhoneNumber' });
  return { iccid: card.info().iccid, msisdn };
}

/** Opens the library of the session's line, runs `fn`, closes it. */
export async function withSessionLibrary(ctx: CommandContext, fn: (s: MstoreSession, lib: LibraryPort) => Promise<number>): Promise<number> {
  const store = libraryStore(ctx);
  return withMstore(ctx, async (s) => {
    const lib = store.open(await sessionLine(ctx, s));
    try {
      return await fn(s, lib);
    } finally {
      lib.close();
    }
  });
}

/** `30`, `30s`, `5m`, `1h` -> milliseconds (at least 10 s: the carrier's server is not to be hammered). */
export function parseInterval(v: string): number {
  const m = /^(\d{1,6})(s|m|h)?$/.exec(v.trim());
  if (!m) throw new UsageError('--watch takes an interval such as 90s, 5m or 1h');
  const ms = Number(m[1]) * (m[2] === 'h' ? 3600_000 : m[2] === 'm' ? 60_000 : 1000);
  if (ms < 10_000) throw new UsageError('--watch: the interval must be at least 10s');
  return ms;
}

/** Splits --on-new's COMMAND into program and arguments at whitespace (no shell, no quoting, no expansion). */
export function commandWords(v: string): string[] {
  const words = v.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) throw new UsageError('--on-new needs a command');
  return words;
}

/** The environment --on-new's command gets for one voicemail (the parent's, plus VVM_*). */
export function onNewEnv(base: Record<string, string | undefined>, v: LibraryVoicemail, audio: string | null, key: LibraryKey): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, val] of Object.entries(base)) if (val !== undefined && !k.startsWith('VVM_SIM_PIN')) env[k] = val;
  Object.assign(env, {
    VVM_ID: v.id,
    VVM_FROM: v.from === '' ? '' : /^\d{11,15}$/.test(v.from) ? `+${v.from}` : v.from,
    VVM_DATE: v.date,
    VVM_DURATION: String(v.duration),
    VVM_EXPIRES: v.expires ?? '',
    VVM_READ: v.read ? '1' : '0',
    VVM_KEEP: v.keep ? '1' : '0',
    VVM_FILENAME: v.filename,
    VVM_SHA256: v.sha256 ?? '',
    VVM_AUDIO: audio ?? '',
    VVM_LINE: key.msisdn,
  });
  return env;
}

/** Runs the command for one voicemail; resolves with its exit code (127 when it could not start). */
function runOnNew(words: string[], env: Record<string, string>, audio: string | null, cwd: string, signal: AbortSignal): Promise<number> {
  const [program = '', ...args] = words;
  return new Promise((resolve) => {
    const child = spawn(program, audio === null ? args : [...args, audio], { env, cwd, stdio: ['ignore', 'inherit', 'inherit'], shell: false, signal });
    child.once('error', () => resolve(127));
    child.once('close', (code) => resolve(code ?? 1));
  });
}

function reportText(r: SyncReport, lib: LibraryPort): string {
  const st = lib.stats();
  const parts = [
    `${r.newItems.length} new`,
    `${r.downloaded} downloaded (${Math.round(r.bytes / 1024)} KiB)`,
    ...(r.updatedFlags.length ? [`${r.updatedFlags.length} changed on the server`] : []),
    ...(r.pushedFlags.length ? [`${r.pushedFlags.length} read-state change(s) sent`] : []),
    ...(r.goneFromServer.length ? [`${r.goneFromServer.length} no longer on the server (kept here)`] : []),
  ];
  const lines = [`sync: ${parts.join(', ')}`];
  for (const v of r.newItems) lines.push(`  new: ${v.date}  ${(v.from || 'unknown').padEnd(15)} ${fmtDuration(v.duration).padStart(5)}  ${v.id}`);
  lines.push(`library: ${st.voicemails} voicemails (${st.unread} unread, ${st.goneFromServer} only here), ${st.greetings} greetings`);
  return lines.join('\n') + '\n';
}

async function syncOnce(ctx: CommandContext, s: MstoreSession, lib: LibraryPort, key: LibraryKey, onNew: string[] | null): Promise<number> {
  const logger = stderrLogger(ctx);
  const r = await syncMailbox(
    { mstore: s.client, library: lib, clock: SYSTEM_CLOCK, ...(logger && { logger }) },
    {
      signal: ctx.signal,
      onProgress: (p) => {
        if (ctx.global.verbose && p.phase === 'download' && p.done !== undefined) ctx.io.stderr(`[info] downloaded ${p.done}/${p.total ?? 0}\n`);
      },
    },
  );
  ctx.print(r, () => reportText(r, lib));
  for (const f of r.failures) ctx.io.stderr(`failed ${f.kind}${f.id === null ? '' : ` ${f.id}`} (${f.stage}): ${f.error.message} [${f.error.code}]\n`);
  let hookFailed = 0;
  if (onNew !== null) {
    // Oldest first, one at a time: a mail or chat forwarder sees them in the order they arrived.
    for (const v of [...r.newItems].reverse()) {
      const cur = lib.getVoicemail(v.id) ?? v;
      const audio = cur.sha256 === null ? null : lib.payloadFile(cur.sha256);
      const code = await runOnNew(onNew, onNewEnv(ctx.io.env, cur, audio, key), audio, ctx.io.cwd, ctx.signal);
      if (code !== 0) {
        hookFailed++;
        ctx.io.stderr(`--on-new: the command exited with ${code} for ${v.id}\n`);
      }
    }
  }
  return r.failures.length === 0 && hookFailed === 0 ? 0 : 1;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

const sync: Command = {
  summary: 'bring the local library up to date: new voicemails and greetings downloaded, read state both ways',
  usage: '[--watch INTERVAL] [--on-new COMMAND] [--json]',
  options: { watch: { type: 'string' }, 'on-new': { type: 'string' } },
  run: (ctx) => {
    if (ctx.args.length > 0) throw new UsageError('sync takes no arguments');
    const watch = typeof ctx.options.watch === 'string' ? parseInterval(ctx.options.watch) : null;
    const onNew = typeof ctx.options['on-new'] === 'string' ? commandWords(ctx.options['on-new']) : null;
    return withSessionLibrary(ctx, async (s, lib) => {
      const key = lib.key;
      if (watch === null) return syncOnce(ctx, s, lib, key, onNew);
      // Watch: the same card session throughout; a failed round is reported and retried after a pause
      // that doubles (up to 8 intervals) while failures continue.
      let failures = 0;
      while (!ctx.signal.aborted) {
        try {
          await syncOnce(ctx, s, lib, key, onNew);
          failures = 0;
        } catch (e) {
          const err = toAppError(e);
          if (err.code === 'op.cancelled') break;
          failures++;
          ctx.io.stderr(formatAppError(err));
        }
        await sleep(watch * Math.min(8, 2 ** failures), ctx.signal);
      }
      return 0;
    });
  },
};

/** The `sync` command group (a single command: `vvm-desk sync`). */
export const syncGroup: CommandGroup = {
  name: 'sync',
  summary: 'keep the local voicemail library in sync with the mailbox',
  commands: { run: sync },
};
