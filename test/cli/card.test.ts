// `vvm-desk card ...` as a real process, with --demo (the in-process simulated card).
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requireBuilt, runCli } from '../support/cli-process.js';

const CardInfoJson = z.object({
  reader: z.string(),
  iccid: z.string(),
  impi: z.string(),
  impu: z.array(z.string()),
  domain: z.string().nullable(),
  msisdn: z.string().nullable(),
  gba: z.enum(['GBA_U', 'GBA_ME']),
  pin: z.object({ enabled: z.boolean(), verified: z.boolean(), triesLeft: z.number().nullable() }),
  app: z.enum(['ISIM', 'USIM']),
  protocol: z.enum(['T0', 'T1']),
  apduCount: z.number(),
});

beforeAll(() => requireBuilt(['main/cli/commands/card.ts', 'main/cli/pin-source.ts', 'main/services/card/card-session.ts', 'main/app.ts']));

describe('vvm-desk card (demo)', () => {
  it('card info --json prints the documented fields', async () => {
    const r = await runCli(['--demo', 'card', 'info', '--json'], { VVM_SIM_PIN: '' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const info = CardInfoJson.parse(JSON.parse(r.stdout));
    expect(info).toMatchObject({
      reader: 'VVM Desk demo reader', iccid: '8901260123456789012', impi: '310260123456789@msg.pc.t-mobile.com',
      domain: 'msg.pc.t-mobile.com', msisdn: '+12065550100', gba: 'GBA_ME', pin: { enabled: false, verified: false, triesLeft: null },
    });
    expect(info.impu).toContain('tel:+12065550100');
  });
  it('card info without --json is human readable', async () => {
    const r = await runCli(['card', 'info', '--demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^phone: +\+12065550100$/m);
    expect(r.stdout).toMatch(/^GBA: +GBA_ME$/m);
  });
  it('card readers --json lists the demo reader', async () => {
    const r = await runCli(['--demo', 'card', 'readers', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ name: 'VVM Desk demo reader', cardPresent: true }]);
  });
  it('a reader that does not exist: exit 1 with code and hint on stderr', async () => {
    const r = await runCli(['--demo', '--reader', 'ACR38', 'card', 'info']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/\[card\.noReader\]/);
    expect(r.stderr).toMatch(/^hint: /m);
  });
  it('usage errors exit 2', async () => {
    expect((await runCli(['--demo', 'card', 'nope'])).code).toBe(2);
    expect((await runCli(['--demo', 'card', 'info', '--bogus'])).code).toBe(2);
  });
});
