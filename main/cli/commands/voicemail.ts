// `vvm-desk voicemail show | list | download ID [FILE] | export ID... | delete ID... | mark-read ID... | mark-unread ID...`.
import type { Voicemail } from '../../../shared/domain/mstore.js';
import { createAudioEngine } from '../../app.js';
import * as mailbox from '../../services/mailbox/use-cases.js';
import type { Command, CommandGroup } from '../framework.js';
import { deleteCommand, downloadCommand, exportedLines, exportOptions, fmtDuration, idArgs, quotaCommand, reportBulk, warnRejected, withMstore } from './mstore-common.js';

function listText(items: Voicemail[]): string {
  if (items.length === 0) return 'no voicemails\n';
  return items.map((v) => `${v.read ? ' ' : '*'} ${v.id}  ${v.date}  ${v.from.padEnd(15)} ${fmtDuration(v.duration).padStart(5)}  ${v.size} B\n`).join('');
}

const list: Command = {
  summary: 'list voicemails, newest first (* = unread)',
  usage: '',
  run: (ctx) =>
    withMstore(ctx, async (s) => {
      const { items, rejected } = await mailbox.listVoicemails(s, { signal: ctx.signal });
      warnRejected(ctx, rejected);
      ctx.print(items, () => listText(items));
      return 0;
    }),
};

function mark(read: boolean): Command {
  return {
    summary: `mark voicemails as ${read ? 'read' : 'unread'}`,
    usage: 'ID...',
    run: (ctx) => {
      const ids = idArgs(ctx);
      return withMstore(ctx, async (s) => {
        const r = await mailbox.mark(s, ids, read, { signal: ctx.signal });
        return reportBulk(ctx, `mark as ${read ? 'read' : 'unread'}`, r.results, r.relisted);
      });
    },
  };
}

/**
 * `voicemail export ID... --format mp3|wav|flac|opus|amr --out DIR`: the mailbox's export use case, the
 * same as the window's (one listing for the metadata, then the payloads; an id no longer listed fails).
 */
const exportCommand: Command = {
  summary: 'export voicemails as mp3, wav, flac, opus or the original amr, with tags and an optional manifest',
  usage: 'ID... --out DIR [--format mp3|wav|flac|opus|amr] [--template T] [--manifest json|csv] [--on-exists error|suffix]',
  options: {
    format: { type: 'string', default: 'mp3' },
    out: { type: 'string' },
    template: { type: 'string' },
    manifest: { type: 'string' },
    'on-exists': { type: 'string' },
  },
  run: (ctx) => {
    const ids = idArgs(ctx);
    const opts = exportOptions(ctx);
    const { outDir } = opts;
    return withMstore(ctx, async (s) => {
      const r = await mailbox.exportVoicemails(s, createAudioEngine({ env: ctx.io.env }), ids, {
        ...opts,
        signal: ctx.signal,
        onProgress: (p) => {
          if (ctx.global.verbose && p.done !== undefined) ctx.io.stderr(`[info] exported ${p.done}/${p.total ?? ids.length}\n`);
        },
      });
      ctx.print({ outDir, ...r }, () => {
        const lines = exportedLines(outDir, r);
        for (const f of r.failed) lines.push(`failed ${f.id}: ${f.error.message} [${f.error.code}]${f.error.hint ? ` (${f.error.hint})` : ''}`);
        return lines.join('\n') + '\n';
      });
      return r.failed.length === 0 ? 0 : 1;
    });
  },
};

/** The `voicemail` command group. */
export const voicemailGroup: CommandGroup = {
  name: 'voicemail',
  summary: 'voicemails in the carrier mailbox',
  commands: { show: quotaCommand('voicemail'), list, download: downloadCommand('voicemail'), export: exportCommand, delete: deleteCommand('voicemails'), 'mark-read': mark(true), 'mark-unread': mark(false) },
};
