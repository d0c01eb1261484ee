// `vvm-desk greeting show | list | upload FILE [--activate] | download ID [FILE] | delete ID... |
// mark-active ID | mark-inactive ID`.
import { resolve } from 'node:path';
import type { Greeting } from '../../../shared/domain/mstore.js';
import * as mailbox from '../../services/mailbox/use-cases.js';
import { UsageError, type Command, type CommandGroup } from '../framework.js';
import { deleteCommand, downloadCommand, fmtDuration, idArgs, quotaCommand, warnRejected, withMstore } from './mstore-common.js';
import { GREETING_AUDIO_OPTIONS, greetingFromInput, readInputFile } from './audio.js';

function listText(items: Greeting[]): string {
  if (items.length === 0) return 'no custom greetings\n';
  return items.map((g) => `${g.active ? '>' : ' '} ${g.id}  ${g.date}  ${fmtDuration(g.duration).padStart(5)}  ${g.type}  ${g.subject}\n`).join('');
}

const list: Command = {
  summary: 'list custom greetings (> = active)',
  usage: '',
  run: (ctx) =>
    withMstore(ctx, async (s) => {
      const { items, rejected } = await mailbox.listGreetings(s, { signal: ctx.signal });
      warnRejected(ctx, rejected);
      ctx.print(
        items.map((g) => ({ id: g.id, date: g.date, duration: g.duration, active: g.active, type: g.type, subject: g.subject, size: g.size, filename: g.filename })),
        () => listText(items),
      );
      return 0;
    }),
};

const upload: Command = {
  summary: 'upload a greeting from any audio file (WAV, MP3, M4A, FLAC, Ogg/Opus, WebM, AMR), encoded as AMR-NB 12.2k',
  usage: 'FILE [--activate] [--subject TEXT] [--voice-signature] [--trim-silence] [--trim-to-limit] [--no-normalize] [--preview OUT.wav]',
  options: { activate: { type: 'boolean', default: false }, subject: { type: 'string' }, 'voice-signature': { type: 'boolean', default: false }, ...GREETING_AUDIO_OPTIONS },
  run: (ctx) => {
    const [file, ...rest] = ctx.args;
    if (file === undefined || rest.length > 0) throw new UsageError('expected one audio FILE');
    return (async () => {
      const bytes = await readInputFile(resolve(ctx.io.cwd, file));
      // Mono 8 kHz, loudness-normalised, AMR-NB MR122 without DTX, at most 100 s (audio.tooLong otherwise).
      const prepared = await greetingFromInput(ctx, bytes);
      return withMstore(ctx, async (s) => {
        const subject = typeof ctx.options.subject === 'string' ? ctx.options.subject : 'custom greeting';
        const g = await mailbox.uploadGreeting(s, { amr: prepared.amr, activate: ctx.options.activate === true, subject, type: ctx.options['voice-signature'] === true ? 'voice-signature' : 'normal-greeting' }, { signal: ctx.signal });
        ctx.print(g, () => (g ? `uploaded ${g.id} (${fmtDuration(g.duration)})${g.active ? ', now active' : ''}\n` : 'uploaded (the server did not list it yet)\n'));
        return 0;
      });
    })();
  },
};

const markActive: Command = {
  summary: 'make a greeting the active one (clears the others)',
  usage: 'ID',
  run: (ctx) => {
    const [id] = idArgs(ctx, 1, 1);
    return withMstore(ctx, async (s) => {
      await s.client.makeActive(id ?? '', { signal: ctx.signal });
      ctx.print({ id, active: true }, () => `${id} is now the active greeting\n`);
      return 0;
    });
  },
};

const markInactive: Command = {
  summary: 'deactivate a greeting',
  usage: 'ID',
  run: (ctx) => {
    const [id] = idArgs(ctx, 1, 1);
    return withMstore(ctx, async (s) => {
      await s.client.setGreetingFlag(id ?? '', false, { signal: ctx.signal });
      ctx.print({ id, active: false }, () => `${id} is no longer active\n`);
      return 0;
    });
  },
};

/** The `greeting` command group. */
export const greetingGroup: CommandGroup = {
  name: 'greeting',
  summary: 'custom voicemail greetings',
  commands: { show: quotaCommand('greeting'), list, upload, download: downloadCommand('greeting'), delete: deleteCommand('greetings'), 'mark-active': markActive, 'mark-inactive': markInactive },
};
