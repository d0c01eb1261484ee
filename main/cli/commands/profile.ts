// `vvm-desk profile show | activate | deactivate | change-pin`.
// The voicemail PIN never has to be on the command line (where every local user can read it in
// /proc/<pid>/cmdline and the shell keeps it in its history): change-pin reads it from environment
// variables, from stdin (--pins-from-stdin) or from a no-echo prompt. PINs as arguments need
// --insecure-pin-args.
import type { Readable } from 'node:stream';
import type { Profile } from '../../../shared/domain/mstore.js';
import { UsageError, type Command, type CommandGroup, type CommandContext } from '../framework.js';
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

/** Environment variables change-pin reads the PINs from. */
export const OLD_PIN_ENV = 'VVM_VOICEMAIL_PIN_OLD';
export const NEW_PIN_ENV = 'VVM_VOICEMAIL_PIN_NEW';
/** Longest PIN input read; real voicemail PINs are 4-10 digits, the relay judges the rest. */
const MAX_PIN_CHARS = 64;
const CHANGE_PIN_USAGE = `usage: vvm-desk profile change-pin [--pins-from-stdin]   (or ${OLD_PIN_ENV} and ${NEW_PIN_ENV} set, or a terminal to type them)`;

/** Reads at most `maxBytes` of `input` to its end; more is a usage error, never buffered without bound. */
export async function readBounded(input: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxBytes) throw new UsageError(`stdin holds more than ${maxBytes} bytes; expected the old and the new PIN on two lines`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function checkPin(pin: string, which: string): string {
  if (pin === '') throw new UsageError(`the ${which} PIN is empty\n${CHANGE_PIN_USAGE}`);
  if (pin.length > MAX_PIN_CHARS) throw new UsageError(`the ${which} PIN is longer than ${MAX_PIN_CHARS} characters`);
  return pin;
}

async function pinsFromTerminal(ctx: CommandContext): Promise<[string, string]> {
  const ask = async (question: string) => {
    const typed = await ctx.io.promptSecret(question);
    if (typed === null) {
      throw new UsageError(`no terminal to ask for the PINs: use --pins-from-stdin (old and new PIN on two lines) or set ${OLD_PIN_ENV} and ${NEW_PIN_ENV}\n${CHANGE_PIN_USAGE}`);
    }
    return typed.trim();
  };
  const oldPin = checkPin(await ask('Current voicemail PIN: '), 'current');
  const newPin = checkPin(await ask('New voicemail PIN: '), 'new');
  if ((await ask('New voicemail PIN again: ')) !== newPin) throw new UsageError('the two new PINs differ; nothing was changed');
  return [oldPin, newPin];
}

/** Where the PINs come from, in this order: --insecure-pin-args, --pins-from-stdin, the environment, a prompt. */
async function readPins(ctx: CommandContext, stdin: Readable): Promise<[string, string]> {
  if (ctx.options['insecure-pin-args'] === true) {
    const [oldPin, newPin, ...rest] = ctx.args;
    if (oldPin === undefined || newPin === undefined || rest.length > 0) throw new UsageError('--insecure-pin-args expects the old and the new PIN\nusage: vvm-desk profile change-pin --insecure-pin-args OLD NEW');
    ctx.io.stderr('warning: PINs given as arguments are visible to other local users and kept in the shell history\n');
    return [checkPin(oldPin, 'current'), checkPin(newPin, 'new')];
  }
  if (ctx.args.length > 0) {
    throw new UsageError(`the PINs are not taken from the command line (other users could read them there)\n${CHANGE_PIN_USAGE}\n(--insecure-pin-args OLD NEW accepts them anyway)`);
  }
  if (ctx.options['pins-from-stdin'] === true) {
    const lines = (await readBounded(stdin, 4 * MAX_PIN_CHARS)).split(/\r?\n/);
    const [oldPin = '', newPin = '', ...rest] = lines;
    if (rest.some((l) => l.trim() !== '')) throw new UsageError('expected exactly two lines on stdin: the current PIN, then the new PIN');
    return [checkPin(oldPin.trim(), 'current'), checkPin(newPin.trim(), 'new')];
  }
  const envOld = ctx.io.env[OLD_PIN_ENV];
  const envNew = ctx.io.env[NEW_PIN_ENV];
  if (envOld !== undefined || envNew !== undefined) {
    if (envOld === undefined || envNew === undefined) throw new UsageError(`set both ${OLD_PIN_ENV} and ${NEW_PIN_ENV}`);
    return [checkPin(envOld.trim(), 'current'), checkPin(envNew.trim(), 'new')];
  }
  return pinsFromTerminal(ctx);
}

/** change-pin over a given stdin (the process's own in the CLI). */
export function changePinCommand(stdin: Readable = process.stdin): Command {
  return {
    summary: 'change the voicemail PIN (asked without echo, or --pins-from-stdin, or from the environment)',
    usage: '[--pins-from-stdin] | --insecure-pin-args OLD NEW',
    options: { 'pins-from-stdin': { type: 'boolean' }, 'insecure-pin-args': { type: 'boolean' } },
    run: async (ctx) => {
      const [oldPin, newPin] = await readPins(ctx, stdin);
      return withMstore(ctx, async (s) => {
        await s.client.changePin(oldPin, newPin, { signal: ctx.signal });
        ctx.print({ changed: true }, () => 'voicemail PIN changed\n');
        return 0;
      });
    },
  };
}

/** The `profile` command group. */
export const profileGroup: CommandGroup = {
  name: 'profile',
  summary: 'visual voicemail profile and PIN',
  commands: { show, activate: toggle(true), deactivate: toggle(false), 'change-pin': changePinCommand() },
};
