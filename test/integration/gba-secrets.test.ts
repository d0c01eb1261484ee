// No secret in any output of the real `vvm-desk` process (pcscd + vpcd + the simulated card with a PIN,
// the simulated BSF and relay on loopback behind TCP taps that record what the CLI sent and got). Every
// byte the process writes (stdout, stderr with the -v logger) is searched for the PIN, RAND, AUTN, RES,
// CK, IK, Ks, Ks_NAF and the Authorization values, as hex (both cases) and base64. The secrets come from
// the taps (the BSF's challenges, the CLI's Authorization values) and the simulated card's keys, and are
// cross-checked against the BSF's key store. Needs pcscd and vsmartcard-vpcd (test/support/pcscd.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../shared/bytes.js';
import { defaultSettings } from '../../shared/settings.js';
import { buildNafId } from '../../main/protocol/gba/naf-id.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import { demoProfile, simSubscriber } from '../../main/sim/card/profile.js';
import { startBsf, type SimBsf } from '../../main/sim/carrier/bsf.js';
import { nafKeyLookup } from '../../main/sim/carrier/key-store.js';
import { startRelay, type RelayHandle } from '../../main/sim/carrier/relay.js';
import type { VpcdAttachment } from '../../main/sim/card/vpcd-card.js';
import { startPcscd, VPCD_READERS, type PcscdHarness } from '../support/pcscd.js';
import { requireBuilt, runCli } from '../support/cli-process.js';
import { btidsOf, findLeaks, secretsOf, startTap, type Secret, type Tap } from '../support/gba-secrets.js';

const PIN = '58203914';
const WRONG_PIN = '41930285';
const REALM = 'bsf.sim.invalid';
const s0 = defaultSettings();
const NAF_ID = buildNafId('127.0.0.1', s0.uaProtocolId); // the relay (tap) host: the default NAF FQDN

let harness: PcscdHarness;
let attached: VpcdAttachment | null = null;
let bsf: SimBsf | null = null;
let relay: RelayHandle | null = null;
let bsfTap: Tap | null = null;
let relayTap: Tap | null = null;

beforeAll(async () => {
  requireBuilt(['main/cli/main.ts', 'main/cli/commands/gba.ts', 'main/services/gba/bootstrap.ts', 'main/services/gba/naf-authenticator.ts', 'main/adapters/http/node-http.ts']);
  harness = await startPcscd();
}, 240_000); // startPcscd waits up to 180 s for the machine-wide vpcd lock
/** Stops the carrier, its taps and the card of the previous describe block. */
async function stopAll(): Promise<void> {
  await relayTap?.close();
  await bsfTap?.close();
  await relay?.close();
  await bsf?.close();
  await attached?.remove();
  [relayTap, bsfTap, relay, bsf, attached] = [null, null, null, null, null];
}
afterAll(async () => {
  await stopAll();
  await harness?.release();
});

for (const gbaU of [false, true]) {
  const mode = gbaU ? 'GBA_U' : 'GBA_ME';
  describe(`no secrets in the output of the vvm-desk process (${mode}, pcscd + vpcd)`, () => {
    const profile = demoProfile({ pin: PIN, gbaU });
    const sub = { k: fromHex(profile.k), opc: fromHex(profile.opc), impi: profile.impi, nafId: NAF_ID };

    beforeAll(async () => {
      await stopAll();
      attached = await harness.attach(new SimulatedUicc(profile, { protocol: 'T0' }), 0);
      bsf = await startBsf({ subscribers: [simSubscriber(profile)], realm: REALM });
      relay = await startRelay({ scenario: { msisdn: '+12065550100' }, nafKey: nafKeyLookup(bsf.keyStore) });
      bsfTap = await startTap(bsf.url);
      relayTap = await startTap(relay.url);
    });

    const cli = (args: string[], pin: string) => {
      if (bsfTap === null || relayTap === null) throw new Error('carrier not started');
      return runCli(['--reader', VPCD_READERS[0], '--bsf', bsfTap.url, '--server', relayTap.url, ...args], { VVM_SIM_PIN: pin }, 60_000);
    };
    const secrets = (): Secret[] => {
      if (bsfTap === null || relayTap === null) throw new Error('carrier not started');
      const seen = { authorizations: [...bsfTap.traffic().authorizations, ...relayTap.traffic().authorizations], challenges: bsfTap.traffic().challenges };
      return [{ name: 'PIN', value: PIN }, { name: 'wrong PIN', value: WRONG_PIN }, ...secretsOf(seen, sub)];
    };
    /** The rebuilt secrets are the real ones: the BSF's key store holds the same Ks for each B-TID. */
    const crossCheck = (s: Secret[]) => {
      const ks = s.filter((x) => x.name === 'Ks').map((x) => (typeof x.value === 'string' ? x.value : toHex(x.value)));
      const btids = btidsOf(s, REALM);
      const stored = btids.map((b) => bsf?.keyStore.get(b)?.ks).filter((k) => k !== undefined).map((k) => toHex(k));
      expect(stored.length).toBeGreaterThan(0);
      for (const k of stored) expect(ks).toContain(k);
    };

    // First, on the freshly inserted card: once a process verified the PIN, pcscd keeps the card powered
    // and later processes find it verified (nothing to ask).
    it('a wrong PIN', async () => {
      const r = await cli(['--verbose', 'gba', 'bootstrap'], WRONG_PIN);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/card\.pin/);
      expect(findLeaks(r.stdout + r.stderr, secrets(), btidsOf(secrets(), REALM))).toEqual([]);
    });

    it('gba bootstrap --verbose --json', async () => {
      const r = await cli(['--verbose', '--json', 'gba', 'bootstrap'], PIN);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ mode });
      const s = secrets();
      crossCheck(s);
      expect(r.stderr).toContain('gba bootstrap done');
      expect(findLeaks(r.stdout + r.stderr, s, btidsOf(s, REALM))).toEqual([]);
    });

    it('profile show --verbose', async () => {
      const r = await cli(['--verbose', 'profile', 'show'], PIN);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('visual voicemail:');
      const s = secrets();
      crossCheck(s);
      expect(s.some((x) => x.name === 'Authorization header' && typeof x.value === 'string' && x.value.includes('3GPP-bootstrapping@'))).toBe(true);
      expect(findLeaks(r.stdout + r.stderr, s, btidsOf(s, REALM))).toEqual([]);
    });

    it('a failing bootstrap (the BSF rejects the AKA answer)', async () => {
      bsf?.inject({ stage: 'answer', action: { kind: 'status', status: 401 } });
      const r = await cli(['--verbose', '--json', 'gba', 'bootstrap'], PIN);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain('gba.bootstrapFailed');
      const s = secrets();
      expect(findLeaks(r.stdout + r.stderr, s, btidsOf(s, REALM))).toEqual([]);
    });

  });
}
