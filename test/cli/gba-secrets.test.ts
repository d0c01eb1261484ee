// No secret in any output of the CLI's GBA flows in demo mode (in-process: runCli with the demo card,
// BSF and relay). Everything the command writes (stdout, stderr, and the -v logger, which writes to
// stderr) is captured and searched for the PIN, RAND, AUTN, RES, CK, IK, Ks, Ks_NAF and the Authorization
// values, as hex (both cases) and base64. The secrets are rebuilt from what the simulated carrier sent
// (its challenges, seen on the HTTP diagnostics channels) and the simulated card's keys.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../main/cli/main.js';
import type { CliIo } from '../../main/cli/framework.js';
import type { BsfFault } from '../../main/sim/carrier/bsf.js';
import { demoProfile } from '../../main/sim/card/profile.js';
import { fromHex } from '../../shared/bytes.js';
import { buildNafId } from '../../main/protocol/gba/naf-id.js';
import { defaultSettings } from '../../shared/settings.js';
import { btidsOf, captureServerTraffic, findLeaks, secretsOf, type Secret, type Traffic } from '../support/gba-secrets.js';

// The demo card normally has its PIN disabled; give it one so the PIN flows run too.
const PIN = '73914628';
const WRONG_PIN = '26481937';
const faults = vi.hoisted(() => ({ next: [] as unknown[] }));
vi.mock('../../main/sim/card/profile.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../main/sim/card/profile.js')>();
  return { ...m, demoProfile: (o: Parameters<typeof m.demoProfile>[0] = {}) => m.demoProfile({ pin: '73914628', ...o }) };
});
// Faults for the next demo BSF (a failing bootstrap); the BSF itself is the real simulated one.
vi.mock('../../main/sim/carrier/bsf.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../main/sim/carrier/bsf.js')>();
  return {
    ...m,
    startBsf: async (o: Parameters<typeof m.startBsf>[0]) => {
      const b = await m.startBsf(o);
      for (const f of faults.next.splice(0)) b.inject(f as BsfFault);
      return b;
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'vvm-gba-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const profile = demoProfile();
const settings = defaultSettings();
const sub = { k: fromHex(profile.k), opc: fromHex(profile.opc), impi: profile.impi, nafId: buildNafId('127.0.0.1', settings.uaProtocolId) }; // the demo relay's host

let traffic: Traffic;
beforeEach(() => {
  traffic = captureServerTraffic();
});
afterEach(() => traffic.stop());

async function run(args: string[], pin: string): Promise<{ code: number; output: string }> {
  let output = '';
  const io: CliIo = {
    stdout: (t) => void (output += t),
    stderr: (t) => void (output += t),
    promptSecret: async () => null,
    env: { VVM_DEMO_DIR: join(dir, 'demo'), VVM_SIM_PIN: pin },
    cwd: dir,
  };
  const code = await runCli(['--demo', ...args], io);
  return { code, output };
}

function secrets(): Secret[] {
  return [{ name: 'PIN', value: PIN }, { name: 'wrong PIN', value: WRONG_PIN }, ...secretsOf(traffic, sub)];
}

describe('no secrets in CLI output (demo mode)', () => {
  it('gba bootstrap --verbose --json', async () => {
    const r = await run(['--verbose', '--json', 'gba', 'bootstrap'], PIN);
    expect(r.code).toBe(0);
    const s = secrets();
    // The scan has something to find: one AKA run, and its B-TID is printed.
    expect(s.filter((x) => x.name === 'RES')).toHaveLength(1);
    const btids = btidsOf(s, 'bsf.sim.invalid');
    expect(r.output).toContain(btids[0]);
    expect(findLeaks(r.output, s, btids)).toEqual([]);
  });

  it('profile show --verbose (bootstrap + authenticated relay request)', async () => {
    const r = await run(['--verbose', 'profile', 'show'], PIN);
    expect(r.code).toBe(0);
    expect(r.output).toContain('visual voicemail: on');
    const s = secrets();
    expect(s.filter((x) => x.name === 'Authorization header').length).toBeGreaterThanOrEqual(2);
    expect(findLeaks(r.output, s, btidsOf(s, 'bsf.sim.invalid'))).toEqual([]);
  });

  it('a wrong PIN', async () => {
    const r = await run(['--verbose', 'gba', 'bootstrap'], WRONG_PIN);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/PIN/);
    expect(findLeaks(r.output, secrets())).toEqual([]);
  });

  it('a failing bootstrap (the BSF rejects the AKA answer)', async () => {
    faults.next.push({ stage: 'answer', action: { kind: 'status', status: 401 } });
    const r = await run(['--verbose', '--json', 'gba', 'bootstrap'], PIN);
    expect(r.code).toBe(1);
    expect(r.output).toContain('gba.bootstrapFailed');
    const s = secrets();
    expect(s.filter((x) => x.name === 'digest response')).toHaveLength(1);
    expect(findLeaks(r.output, s, btidsOf(s, 'bsf.sim.invalid'))).toEqual([]);
  });

  it('the scan finds a secret that is printed (hex, HEX, base64)', () => {
    const ck = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    const s: Secret[] = [{ name: 'CK', value: ck }, { name: 'PIN', value: PIN }];
    expect(findLeaks(`x ${Buffer.from(ck).toString('hex').toUpperCase()} y`, s)).toEqual(['CK (HEX)']);
    expect(findLeaks(`x ${Buffer.from(ck).toString('base64')} y`, s)).toEqual(['CK (base64)']);
    expect(findLeaks(`pin=${PIN}`, s)).toEqual(['PIN (text)']);
    expect(findLeaks(`btid ${Buffer.from(ck).toString('base64')}@bsf`, s, [`${Buffer.from(ck).toString('base64')}@bsf`])).toEqual([]);
  });
});
