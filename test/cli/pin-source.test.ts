// The CLI's one SIM PIN source (main/cli/pin-source.ts): VVM_SIM_PIN, else a no-echo prompt, else a clear
// error; a PIN the card rejected is never offered again.
import { describe, expect, it } from 'vitest';
import { CardError } from '../../main/errors.js';
import type { CliIo } from '../../main/cli/framework.js';
import { cliPinSource } from '../../main/cli/pin-source.js';

const REQ = { readerName: 'Virtual PCD 00 00', iccid: '8901260123456789012', triesLeft: 2 };

function io(env: Record<string, string | undefined>, answers: (string | null)[]): { io: CliIo; questions: string[] } {
  const questions: string[] = [];
  return {
    questions,
    io: {
      stdout: () => {},
      stderr: () => {},
      promptSecret: async (q) => {
        questions.push(q);
        return answers.shift() ?? null;
      },
      env,
      cwd: '/',
    },
  };
}

describe('cliPinSource', () => {
  it('takes VVM_SIM_PIN without prompting', async () => {
    const t = io({ VVM_SIM_PIN: '2468' }, ['9999']);
    expect(await cliPinSource(t.io).getPin(REQ)).toBe('2468');
    expect(t.questions).toEqual([]);
  });
  it('prompts on the terminal with the reader and tries left, trimming the answer', async () => {
    const t = io({}, [' 1357 \n']);
    expect(await cliPinSource(t.io).getPin(REQ)).toBe('1357');
    expect(t.questions).toEqual(['SIM PIN for the card in Virtual PCD 00 00 (2 tries left): ']);
  });
  it('an empty answer is no PIN (nothing is sent to the card)', async () => {
    expect(await cliPinSource(io({ VVM_SIM_PIN: '' }, ['  ']).io).getPin(REQ)).toBeNull();
  });
  it('no terminal and no VVM_SIM_PIN: card.pinRequired saying so, with the tries left', async () => {
    const e = await cliPinSource(io({}, [null]).io).getPin({ ...REQ, triesLeft: 1 }).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(CardError);
    if (!(e instanceof CardError)) return;
    expect(e.code).toBe('card.pinRequired');
    expect(e.message).toMatch(/1 try left.*no terminal/);
    expect(e.hint).toMatch(/VVM_SIM_PIN/);
    expect(e.detail).toEqual({ triesLeft: 1 });
  });
  it('after the card rejected a PIN it never offers one again (env or prompt)', async () => {
    const t = io({ VVM_SIM_PIN: '1111' }, ['2222']);
    const src = cliPinSource(t.io);
    expect(await src.getPin(REQ)).toBe('1111');
    await src.pinRejected(REQ);
    expect(await src.getPin(REQ)).toBeNull();
    expect(t.questions).toEqual([]);
  });
});
