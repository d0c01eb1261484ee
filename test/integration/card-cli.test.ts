// `vvm-desk card ...` as a real process against pcscd + vpcd + the simulated card, and without pcscd.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import { demoProfile, type SimProfileInput } from '../../main/sim/card/profile.js';
import type { VpcdAttachment } from '../../main/sim/card/vpcd-card.js';
import { startPcscd, VPCD_READERS, type PcscdHarness } from '../support/pcscd.js';
import { requireBuilt, ROOT, runCli } from '../support/cli-process.js';

let harness: PcscdHarness;
let att: VpcdAttachment | null = null;

beforeAll(async () => {
  requireBuilt(['main/cli/commands/card.ts', 'main/adapters/pcsc/pcsc-reader.ts', 'main/services/card/card-session.ts']);
  harness = await startPcscd();
});
afterEach(async () => {
  await att?.remove();
  att = null;
});
afterAll(async () => {
  await harness?.release();
});

async function insert(p: Partial<SimProfileInput> = {}, protocol: 'T0' | 'T1' = 'T1'): Promise<SimulatedUicc> {
  const card = new SimulatedUicc(demoProfile(p), { protocol });
  att = await harness.attach(card, 1);
  return card;
}

describe('vvm-desk card through pcscd + vpcd', () => {
  it('card readers shows the virtual readers and where the card is', async () => {
    await insert();
    const r = await runCli(['card', 'readers', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining([{ name: VPCD_READERS[0], cardPresent: false }, { name: VPCD_READERS[1], cardPresent: true }]));
  });
  it('card info --json with --reader substring, T=0', async () => {
    await insert({}, 'T0');
    const r = await runCli(['card', 'info', '--json', '--reader', '00 01']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ reader: VPCD_READERS[1], protocol: 'T0', msisdn: '+12065550100', gba: 'GBA_ME' });
  });
  it('PIN from VVM_SIM_PIN; a wrong one shows the tries left and is not retried', async () => {
    const card = await insert({ pin: '8642', gbaU: true });
    const bad = await runCli(['card', 'info'], { VVM_SIM_PIN: '1357' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\[card\.pinWrong\]/);
    expect(bad.stderr).toMatch(/triesLeft: 2/);
    expect(bad.stderr).not.toContain('1357');
    expect(card.pinTriesLeft).toBe(2);
    const none = await runCli(['card', 'info'], { VVM_SIM_PIN: '' });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/\[card\.pinRequired\]/);
    expect(none.stderr).toMatch(/VVM_SIM_PIN/);
    expect(card.pinTriesLeft).toBe(2);
    const ok = await runCli(['card', 'info', '--json'], { VVM_SIM_PIN: '8642' });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ gba: 'GBA_U', pin: { enabled: true, verified: true } });
    expect(card.pinTriesLeft).toBe(3);
  });
  it('the mstore commands use the same PIN source: no PIN and no terminal is a clear error, no try spent', async () => {
    const card = await insert({ pin: '8642' });
    // runCli has no terminal on stdin: the CLI PIN source (main/cli/pin-source.ts) must say so.
    const r = await runCli(['voicemail', 'list', '--reader', '00 01', '--server', 'https://127.0.0.1:9/', '--bsf', 'https://127.0.0.1:9/'], { VVM_SIM_PIN: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\[card\.pinRequired\]/);
    expect(r.stderr).toMatch(/no terminal is attached/);
    expect(card.pinTriesLeft).toBe(3);
    const bad = await runCli(['voicemail', 'list', '--reader', '00 01', '--server', 'https://127.0.0.1:9/', '--bsf', 'https://127.0.0.1:9/'], { VVM_SIM_PIN: '1357' });
    expect(bad.stderr).toMatch(/\[card\.pinWrong\]/);
    expect(bad.stderr).not.toContain('1357');
    expect(card.pinTriesLeft).toBe(2);
  });
  it('pcscd absent (client pointed at a socket nobody serves): card.serviceUnavailable with the start hint', async () => {
    const r = await runCli(['card', 'info'], { PCSCLITE_CSOCK_NAME: '/tmp/vvm-desk-no-pcscd.comm' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\[card\.serviceUnavailable\]/);
    expect(r.stderr).toMatch(/pcscd/);
  });

  it('card simulate attaches the simulated SIM through vpcd until Ctrl-C', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'vvm-desk.js'), 'card', 'simulate', '--slot', '1', '--protocol', 'T0', '--sim-pin', '1234'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const start = Date.now();
      while (!out.includes('attached')) {
        if (Date.now() - start > 10_000) throw new Error(`card simulate did not attach: ${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 800)); // pcscd notices a new vpcd card after about 0.4 s
      const r = await runCli(['card', 'info', '--json', '--reader', VPCD_READERS[1]], { VVM_SIM_PIN: '1234' });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toMatchObject({ reader: VPCD_READERS[1], protocol: 'T0', pin: { enabled: true, verified: true } });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(out).toMatch(/removed after \d+ APDUs/);
    await harness.waitAbsent(1);
  });
});
