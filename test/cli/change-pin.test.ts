// `profile change-pin` never needs the voicemail PIN on the command line (issue 11): it reads the PINs
// from stdin (--pins-from-stdin), from VVM_VOICEMAIL_PIN_OLD/NEW, or from a no-echo prompt; PINs as
// arguments are refused unless --insecure-pin-args says so. The real CLI process in demo mode.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, requireBuilt, type CliRun } from '../support/cli-process.js';
import { changePinCommand } from '../../main/cli/commands/profile.js';
import { UsageError, type CommandContext } from '../../main/cli/framework.js';
import { defaultSettings } from '../../shared/settings.js';
import { Readable } from 'node:stream';

let demoDir = '';
beforeAll(() => requireBuilt(['main/cli/commands/profile.ts']));
beforeEach(() => {
  demoDir = mkdtempSync(join(tmpdir(), 'vvm-demo-'));
});
afterEach(() => rmSync(demoDir, { recursive: true, force: true }));

/** Runs `vvm-desk --demo profile change-pin <args>` with `stdin` piped in (no terminal attached). */
function changePin(args: string[], stdin: string | null, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin', 'vvm-desk.js'), '--demo', 'profile', 'change-pin', ...args], {
      env: { ...process.env, VVM_DEMO_DIR: demoDir, VVM_VOICEMAIL_PIN_OLD: undefined, VVM_VOICEMAIL_PIN_NEW: undefined, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
    p.stdin.end(stdin ?? '');
  });
}

describe('profile change-pin without the PIN in argv', () => {
  it('--pins-from-stdin: two lines, the relay judges the new PIN', async () => {
    const ok = await changePin(['--pins-from-stdin'], '4826\n5173\n');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('voicemail PIN changed');
    const rep = await changePin(['--pins-from-stdin'], '5173\r\n2222\r\n');
    expect(rep.code).toBe(1);
    expect(rep.stderr).toContain('PIN has Repeated Digits');
    const three = await changePin(['--pins-from-stdin'], '1\n2\n3\n');
    expect(three.code).toBe(2);
    expect(three.stderr).toContain('exactly two lines');
    const flood = await changePin(['--pins-from-stdin'], '1'.repeat(100_000));
    expect(flood.code).toBe(2);
  });

  it('environment variables', async () => {
    const ok = await changePin([], null, { VVM_VOICEMAIL_PIN_OLD: '4826', VVM_VOICEMAIL_PIN_NEW: '5173' });
    expect(ok.code, ok.stderr).toBe(0);
    const half = await changePin([], null, { VVM_VOICEMAIL_PIN_OLD: '5173' });
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('VVM_VOICEMAIL_PIN_NEW');
  });

  it('refuses PINs as arguments (naming the safe ways), and without a terminal says how to give them', async () => {
    const argv = await changePin(['4826', '5173'], null);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toContain('not taken from the command line');
    expect(argv.stderr).toContain('--pins-from-stdin');
    expect(argv.stderr).not.toContain('4826');
    const none = await changePin([], null);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no terminal to ask for the PINs');
  });

  it('--insecure-pin-args still works, with a warning', async () => {
    const r = await changePin(['--insecure-pin-args', '4826', '5173'], null);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('visible to other local users');
  });
});

describe('change-pin on a terminal', () => {
  it('asks current, new and new again without echo; differing new PINs change nothing', async () => {
    const asked: string[] = [];
    const answers = ['4826', '5173', '5174'];
    const ctx: CommandContext = {
      global: { demo: true, json: false, verbose: false },
      settings: defaultSettings(),
      io: {
        stdout: () => {},
        stderr: () => {},
        promptSecret: async (q) => {
          asked.push(q);
          return answers.shift() ?? null;
        },
        env: {},
        cwd: ROOT,
      },
      signal: new AbortController().signal,
      args: [],
      options: {},
      print: () => {},
    };
    const e = await changePinCommand(Readable.from([])).run(ctx).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toContain('differ');
    expect(asked).toEqual(['Current voicemail PIN: ', 'New voicemail PIN: ', 'New voicemail PIN again: ']);
  });
});
