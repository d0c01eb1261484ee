// `vvm-desk profile show | activate | deactivate | change-pin OLD NEW`.
import type { Profile } from '../../../shared/domain/mstore.js';
import { UsageError, type Command, type CommandGroup } from '../framework.js';
import { withMstore } from './mstore-common.js';

function human(p: Profile): string {
  const yn = (b: boolean | null) => (b === null ? 'unknown' : b ? 'yes' : 'no');
  const lines = [
    `visual voicemail: ${p.vvmOn === null ? 'unknown' : p.vvmOn ? 'on' : 'off'}`,
    `blocked:          ${yn(p.blocked)}`,
    `language:         ${p.language ?? '-'}`,
    `class of service: ${p.cosName ?? '-'}`,
    `migrated:         ${yn(p.migrationStatus)}${p.migrationDate ? ` (${p.migrationDate})` : ''}`,
    '',
    'attributes:',
    ...Object.entries(p.attributes).map(([k, v]) => `  ${k} = ${v.join(', ')}`),
  ];
  return lines.join('\n') + '\n';
}

const show: Command = {
  summary: 'show the visual voicemail profile',
  usage: '',
  run: (ctx) =>
    withMstore(ctx, async (s) => {
      const p = await s.client.getProfile({ signal: ctx.signal });
      ctx.print(p, () => human(p));
      return 0;
    }),
};

function toggle(on: boolean): Command {
  return {
    summary: on ? 'turn visual voicemail on' : 'turn visual voicemail off',
    usage: '',
    run: (ctx) =>
      withMstore(ctx, async (s) => {
        await s.client.setVvmOn(on, { signal: ctx.signal });
        ctx.print({ vvmOn: on }, () => `visual voicemail is now ${on ? 'on' : 'off'}\n`);
        return 0;
      }),
  };
}

const changePin: Command = {
  summary: 'change the voicemail PIN',
  usage: 'OLD NEW',
  run: (ctx) => {
    const [oldPin, newPin, ...rest] = ctx.args;
    if (oldPin === undefined || newPin === undefined || rest.length > 0) throw new UsageError('expected the old and the new PIN\nusage: vvm-desk profile change-pin OLD NEW');
    return withMstore(ctx, async (s) => {
      await s.client.changePin(oldPin, newPin, { signal: ctx.signal });
      ctx.print({ changed: true }, () => 'voicemail PIN changed\n');
      return 0;
    });
  },
};

/** The `profile` command group. */
export const profileGroup: CommandGroup = {
  name: 'profile',
  summary: 'visual voicemail profile and PIN',
  commands: { show, activate: toggle(true), deactivate: toggle(false), 'change-pin': changePin },
};
