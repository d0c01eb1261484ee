// `vvm-desk voicemail show | list | download ID [FILE] | export ID... | delete ID... | mark-read ID... | mark-unread ID...`.
import type { FolderQuota, Voicemail } from '../../../shared/domain/mstore.js';
import { UsageError, type Command, type CommandGroup } from '../framework.js';
import { fmtDuration, idArgs, reportBulk, saveDownload, warnRejected, withMstore } from './mstore-common.js';
import { voicemailExport } from './audio.js';

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

function listText(items: Voicemail[]): string {
  if (items.length === 0) return 'no voicemails\n';
  return items.map((v) => `${v.read ? ' ' : '*'} ${v.id}  ${v.date}  ${v.from.padEnd(15)} ${fmtDuration(v.duration).padStart(5)}  ${v.size} B\n`).join('');
}

const show: Command = {
  summary: 'show the voicemail folder quota',
  usage: '',
  run: (ctx) =>
    withMstore(ctx, async (s) => {
      const q = await s.client.getQuota('voicemail', { signal: ctx.signal });
      ctx.print(q, () => quotaText(q));
      return 0;
    }),
};

const list: Command = {
  summary: 'list voicemails, newest first (* = unread)',
  usage: '',
  run: (ctx) =>
    withMstore(ctx, async (s) => {
      const l = await s.client.listVoicemails({ signal: ctx.signal });
      warnRejected(ctx, l.rejected);
      const items = l.items.map((e) => e.item);
      ctx.print(items, () => listText(items));
      return 0;
    }),
};

const download: Command = {
  summary: 'download a voicemail\'s audio (AMR) to FILE or the current folder',
  usage: 'ID [FILE]',
  run: (ctx) => {
    if (ctx.args.length < 1 || ctx.args.length > 2) throw new UsageError('expected ID [FILE]');
    const [id] = idArgs({ ...ctx, args: ctx.args.slice(0, 1) }, 1, 1);
    return withMstore(ctx, async (s) => {
      const meta = await s.client.getVoicemail(id ?? '', { signal: ctx.signal });
      const p = await s.client.download(meta.payloadPath, { signal: ctx.signal });
      const file = await saveDownload(ctx, p.bytes, meta.item.filename, ctx.args[1]);
      ctx.print({ id, file, bytes: p.bytes.length }, () => `saved ${file} (${p.bytes.length} bytes)\n`);
      return 0;
    });
  },
};

const del: Command = {
  summary: 'delete voicemails',
  usage: 'ID...',
  run: (ctx) => {
    const ids = idArgs(ctx);
    return withMstore(ctx, async (s) => {
      const r = await s.client.delete(ids, { signal: ctx.signal });
      return reportBulk(ctx, 'delete', r.results, r.relisted);
    });
  },
};

function mark(read: boolean): Command {
  return {
    summary: `mark voicemails as ${read ? 'read' : 'unread'}`,
    usage: 'ID...',
    run: (ctx) => {
      const ids = idArgs(ctx);
      return withMstore(ctx, async (s) => {
        const r = await s.client.setRead(ids, read, { signal: ctx.signal });
        return reportBulk(ctx, `mark as ${read ? 'read' : 'unread'}`, r.results, r.relisted);
      });
    },
  };
}

/** The `voicemail` command group. */
export const voicemailGroup: CommandGroup = {
  name: 'voicemail',
  summary: 'voicemails in the carrier mailbox',
  commands: { show, list, download, export: voicemailExport, delete: del, 'mark-read': mark(true), 'mark-unread': mark(false) },
};
