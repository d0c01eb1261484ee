// `vvm-desk archive list | export | prune-server`: the local library (filled by `vvm-desk sync` and the
// window). `list` and `export` need no card or network; `prune-server` syncs first, then deletes from the
// server only voicemails whose local copy is verified.
import { createAudioEngine } from '../../app.js';
import { archiveThenDelete, exportFromLibrary, type LibrarySelection } from '../../services/library/archive.js';
import type { LibraryKey, LibraryPort, LibraryVoicemail } from '../../services/library/ports.js';
import { syncMailbox } from '../../services/library/sync.js';
import { UsageError, type Command, type CommandContext, type CommandGroup } from '../framework.js';
import { exportedLines, exportOptions, fmtDuration, idArgs, reportBulk, stderrLogger } from './mstore-common.js';
import { libraryStore, withSessionLibrary } from './sync.js';

const SYSTEM_CLOCK = { now: () => Date.now(), monotonic: () => performance.now() };
/** `archive list` without --all shows this many (newest first). */
const DEFAULT_LIST = 50;

/** Opens the library named by --line (ICCID or MSISDN), or the only one in the data folder. No card needed. */
function withOfflineLibrary(ctx: CommandContext, fn: (lib: LibraryPort) => Promise<number>): Promise<number> {
  const store = libraryStore(ctx);
  const lines = store.lines();
  const want = typeof ctx.options.line === 'string' ? ctx.options.line : ctx.global.msisdn;
  const matches = want === undefined ? lines : lines.filter((k) => k.iccid === want.toUpperCase() || k.msisdn === want || k.msisdn === `+${want}`);
  const name = (k: LibraryKey) => `${k.msisdn} (ICCID ${k.iccid})`;
  if (matches.length === 0) {
    throw new UsageError(lines.length === 0 ? 'the library is empty: run `vvm-desk sync` first' : `no library for ${want ?? ''}; libraries: ${lines.map(name).join(', ')}`);
  }
  if (matches.length > 1) throw new UsageError(`several lines have a library; pick one with --line ICCID|MSISDN: ${matches.map(name).join(', ')}`);
  const lib = store.open(matches[0] as LibraryKey);
  return fn(lib).finally(() => lib.close());
}

function listText(items: LibraryVoicemail[], total: number): string {
  if (items.length === 0) return 'no voicemails in the library\n';
  const rows = items.map((v) => {
    const flags = `${v.read ? ' ' : '*'}${v.goneFromServerAt !== null ? 'A' : ' '}${v.sha256 === null ? '?' : ' '}`;
    const note = v.notes === '' ? '' : `  "${v.notes.replace(/\s+/g, ' ').slice(0, 40)}"`;
    return `${flags} ${v.date}  ${(v.from || 'unknown').padEnd(15)} ${fmtDuration(v.duration).padStart(5)}  ${v.id}${note}\n`;
  });
  const more = total > items.length ? `(${total - items.length} older not shown: --all)\n` : '';
  return rows.join('') + more + '(* unread, A only in the library: deleted or expired on the server, ? audio not downloaded yet)\n';
}

const list: Command = {
  summary: 'list the voicemails in the local library (no card needed), newest first',
  usage: '[--all] [--search TEXT] [--line ICCID|MSISDN] [--json]',
  options: { all: { type: 'boolean', default: false }, search: { type: 'string' }, line: { type: 'string' } },
  run: (ctx) => {
    if (ctx.args.length > 0) throw new UsageError('archive list takes no arguments');
    return withOfflineLibrary(ctx, (lib) => {
      const search = typeof ctx.options.search === 'string' ? ctx.options.search : undefined;
      const all = lib.listVoicemails(search !== undefined ? { search } : {});
      const shown = ctx.options.all === true ? all : all.slice(0, DEFAULT_LIST);
      ctx.print(shown, () => listText(shown, all.length));
      return Promise.resolve(0);
    });
  },
};

/** --since / --until: a date (YYYY-MM-DD) or an ISO instant. */
function dateOption(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || Number.isNaN(Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v))) throw new UsageError(`--${name} takes a date (YYYY-MM-DD) or an ISO time`);
  return v;
}

const exportCommand: Command = {
  summary: 'export voicemails from the local library (all, or by id, date or caller) with a manifest',
  usage: '[ID...] --out DIR [--format mp3|wav|flac|opus|amr] [--since DATE] [--until DATE] [--caller NUMBER] [--search TEXT] [--manifest csv|json] [--template T] [--on-exists error|suffix] [--line ICCID|MSISDN]',
  options: {
    out: { type: 'string' },
    format: { type: 'string', default: 'amr' },
    since: { type: 'string' },
    until: { type: 'string' },
    caller: { type: 'string' },
    search: { type: 'string' },
    manifest: { type: 'string' },
    template: { type: 'string' },
    'on-exists': { type: 'string' },
    line: { type: 'string' },
  },
  run: (ctx) => {
    const ids = ctx.args.length > 0 ? idArgs(ctx) : undefined;
    const opts = exportOptions(ctx);
    const { outDir } = opts;
    const since = dateOption(ctx, 'since');
    const until = dateOption(ctx, 'until');
    const caller = typeof ctx.options.caller === 'string' ? ctx.options.caller : undefined;
    if (caller !== undefined && !/^\+?\d{1,15}$/.test(caller)) throw new UsageError('--caller takes a phone number (digits, optional +)');
    const search = typeof ctx.options.search === 'string' ? ctx.options.search : undefined;
    const sel: LibrarySelection = { ...(ids && { ids }), ...(since !== undefined && { since }), ...(until !== undefined && { until }), ...(caller !== undefined && { caller }), ...(search !== undefined && { search }) };
    return withOfflineLibrary(ctx, async (lib) => {
      const audio = createAudioEngine({ env: ctx.io.env });
      const r = await exportFromLibrary({ library: lib, exporter: audio.exporter }, sel, {
        ...opts,
        signal: ctx.signal,
        onProgress: (p) => {
          if (ctx.global.verbose && p.done !== undefined) ctx.io.stderr(`[info] exported ${p.done}/${p.total ?? 0}\n`);
        },
      });
      ctx.print({ outDir, ...r }, () => {
        const lines = exportedLines(outDir, r);
        for (const f of r.failed) lines.push(`failed ${f.id}: ${f.error.message} [${f.error.code}]`);
        if (r.files.length === 0 && r.failed.length === 0) lines.push('nothing matched');
        return lines.join('\n') + '\n';
      });
      return r.failed.length === 0 ? 0 : 1;
    });
  },
};

const pruneServer: Command = {
  summary: 'sync, then delete from the server the voicemails whose local copy is verified (all, or the given ids)',
  usage: '[ID...] [--json]',
  run: (ctx) => {
    const ids = ctx.args.length > 0 ? idArgs(ctx) : 'all';
    return withSessionLibrary(ctx, async (s, lib) => {
      const logger = stderrLogger(ctx);
      // The library must be current: a voicemail that arrived since the last sync is downloaded first.
      const r = await syncMailbox({ mstore: s.client, library: lib, clock: SYSTEM_CLOCK, ...(logger && { logger }) }, { signal: ctx.signal });
      for (const f of r.failures) ctx.io.stderr(`sync: failed ${f.kind}${f.id === null ? '' : ` ${f.id}`} (${f.stage}): ${f.error.message}\n`);
      const out = await archiveThenDelete({ mstore: s.client, library: lib, clock: SYSTEM_CLOCK }, ids, { signal: ctx.signal });
      if (out.results.length === 0) {
        ctx.print(out, () => 'nothing to delete: the server holds no voicemails\n');
        return 0;
      }
      return reportBulk(ctx, 'delete', out.results, out.relisted);
    });
  },
};

/** The `archive` command group. */
export const archiveGroup: CommandGroup = {
  name: 'archive',
  summary: 'the local voicemail library: list, export, free the server inbox',
  commands: { list, export: exportCommand, 'prune-server': pruneServer },
};
