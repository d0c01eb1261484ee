// `vvm-desk voicemail show | list | download ID [FILE] | export ID... | delete ID... | mark-read ID... | mark-unread ID...`.
import type { Voicemail } from '../../../shared/domain/mstore.js';
import type { Command, CommandGroup } from '../framework.js';
import { deleteCommand, downloadCommand, fmtDuration, idArgs, quotaCommand, reportBulk, warnRejected, withMstore } from './mstore-common.js';
import { voicemailExport } from './audio.js';

function listText(items: Voicemail[]): string {
  if (items.length === 0) return 'no voicemails\n';
  return items.map((v) => `${v.read ? ' ' : '*'} ${v.id}  ${v.date}  ${v.from.padEnd(15)} ${fmtDuration(v.duration).padStart(5)}  ${v.size} B\n`).join('');
}

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
  commands: { show: quotaCommand('voicemail'), list, download: downloadCommand('voicemail'), export: voicemailExport, delete: deleteCommand('voicemails'), 'mark-read': mark(true), 'mark-unread': mark(false) },
};
