// Interoperability with any deployment (issue 8), through the real stack: pcsclite -> pcscd -> vpcd ->
// simulated ISIM (T=1), the real GBA bootstrap against the simulated BSF, the NAF digest against the
// strict simulated relay, HTTPS with a throwaway CA, and the vvm-desk CLI (runCli in this process, so
// every command shares the one PC/SC stack). The relay keys for the host it is reached at, so
// 127.0.0.1 and localhost are two different NAFs here, and the URLs it writes name a foreign public host
// and backend (a listener that counts connections). With default settings every mstore command works at
// both names; a relay that claims another NAF's realm is refused before any Authorization is sent, and
// --naf-fqdn makes it work. Needs pcscd and vsmartcard-vpcd (test/support/pcscd.ts says how to install).
import net from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../shared/bytes.js';
import { runCli } from '../../main/cli/main.js';
import type { CliIo } from '../../main/cli/framework.js';
import { demoProfile, simSubscriber } from '../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import type { VpcdAttachment } from '../../main/sim/card/vpcd-card.js';
import { startBsf, type SimBsf } from '../../main/sim/carrier/bsf.js';
import { nafKeyLookup } from '../../main/sim/carrier/key-store.js';
import { startRelay, type RelayHandle } from '../../main/sim/carrier/relay.js';
import { startPcscd, VPCD_READERS, type PcscdHarness } from '../support/pcscd.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';
import { syntheticAmr } from '../main/services/mstore/harness.js';

const MSISDN = '+12065550100';
const PIN = '2468';

let harness: PcscdHarness;
let ca: TestCa;
let attached: VpcdAttachment;
let bsf: SimBsf;
let relay: RelayHandle;
let foreignRealm: RelayHandle;
let foreign: net.Server;
let foreignContacts = 0;
let work: string;
/** The relay's clock: moved on a few days between PIN changes ("PIN recently Changed" is a one-day rule). */
let daysAhead = 0;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

beforeAll(async () => {
  harness = await startPcscd();
  ca = createTestCa();
  const profile = demoProfile({ pin: PIN });
  attached = await harness.attach(new SimulatedUicc(profile, { protocol: 'T1' }), 0);
  bsf = await startBsf({ subscribers: [simSubscriber(profile)], tls: { key: ca.keyPem, cert: ca.certPem } });
  foreign = net.createServer((s) => {
    foreignContacts++;
    s.destroy();
  });
  await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', () => r()));
  const foreignOrigin = `https://127.0.0.1:${(foreign.address() as net.AddressInfo).port}`;
  relay = await startRelay({
    scenario: {
      msisdn: MSISDN,
      pageSize: 4,
      voicemails: Array.from({ length: 9 }, (_, i) => ({ from: `1425555${1000 + i}`, date: iso(Date.UTC(2026, 9, 1) - i * 60_000), audioBase64: toBase64(syntheticAmr(40 + i, i)) })),
      greetings: [{ date: '2026-01-01T00:00:00Z', active: true, audioBase64: toBase64(syntheticAmr(60)) }],
      // Every URL the relay writes names the foreign listener, outside and inside ?path=.
      urls: { publicOrigin: foreignOrigin, backendOrigin: foreignOrigin.replace('https:', 'http:') },
    },
    nafKey: nafKeyLookup(bsf.keyStore),
    tls: { key: ca.keyPem, cert: ca.certPem },
    now: () => Date.now() + daysAhead * 86_400_000,
  });
  // A relay configured with the production name, reached here under 127.0.0.1 (an alias, a proxy).
  foreignRealm = await startRelay({
    scenario: { msisdn: MSISDN, voicemails: [{ from: '14255550000', date: '2026-10-01T00:00:00Z', audioBase64: toBase64(syntheticAmr(30)) }] },
    nafKey: nafKeyLookup(bsf.keyStore),
    publicName: 'wsg.t-mobile.com',
    tls: { key: ca.keyPem, cert: ca.certPem },
  });
  work = mkdtempSync(join(tmpdir(), 'vvm-interop-'));
  writeFileSync(join(work, 'greeting.amr'), syntheticAmr(150, 3));
}, 120_000);

afterAll(async () => {
  await attached?.remove();
  await relay?.close();
  await foreignRealm?.close();
  await bsf?.close();
  foreign?.close();
  await harness?.release();
  ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `vvm-desk` in this process against `server`, with no settings file (all defaults) unless `extra` says. */
async function cli(server: string, args: string[], extra: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const configDir = join(work, 'config');
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    promptSecret: async () => null,
    env: { VVM_SIM_PIN: PIN, VVM_CONFIG_DIR: configDir, VVM_DATA_DIR: join(work, 'data'), VVM_CACHE_DIR: join(work, 'cache'), VVM_AMR_CODEC: 'js', PATH: process.env.PATH, ...env },
    cwd: work,
  };
  const code = await runCli(['--reader', VPCD_READERS[0], '--server', server, '--bsf', bsf.url, '--ca', ca.caFile, ...extra, ...args], io);
  return { code, stdout, stderr };
}

async function ok(server: string, args: string[], extra: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const r = await cli(server, args, extra, env);
  expect(r.code, `${args.join(' ')} at ${server}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('default settings: the NAF FQDN is the host reached, for every mstore command', () => {
  for (const host of ['127.0.0.1', 'localhost']) {
    it(`every mstore command works with the relay reached at ${host}`, async () => {
      const server = relay.urlAt(host);
      const logStart = relay.stats.log.length;
      const authStart = relay.stats.authenticated;
      // Profile.
      expect(JSON.parse(await ok(server, ['--json', 'profile', 'show'])).vvmOn).toBe(true);
      await ok(server, ['profile', 'deactivate']);
      await ok(server, ['profile', 'activate']);
      const pin = relay.snapshot().pin;
      daysAhead += 2;
      const newPin = host === 'localhost' ? '8642' : '7391';
      await ok(server, ['profile', 'change-pin'], [], { VVM_VOICEMAIL_PIN_OLD: pin, VVM_VOICEMAIL_PIN_NEW: newPin });
      expect(relay.snapshot().pin).toBe(newPin);
      // Voicemail: quota, the whole listing (paged) with foreign-host URLs, each command on one item.
      expect(JSON.parse(await ok(server, ['--json', 'voicemail', 'show'])).VMOccupiedMessages).toBe(relay.snapshot().voicemails.length);
      const list = JSON.parse(await ok(server, ['--json', 'voicemail', 'list'])) as { id: string }[];
      expect(list.map((v) => v.id).sort()).toEqual(relay.snapshot().voicemails.map((v) => v.id).sort());
      const [first, second] = list;
      if (!first || !second) throw new Error('listing too short');
      const dl = JSON.parse(await ok(server, ['--json', 'voicemail', 'download', first.id, join(work, `${host}-vm.amr`)])) as { file: string };
      expect(new Uint8Array(readFileSync(dl.file))).toEqual(new Uint8Array(Buffer.from(relay.snapshot().voicemails.find((v) => v.id === first.id)?.audioBase64 ?? '', 'base64')));
      await ok(server, ['voicemail', 'mark-read', first.id, second.id]);
      expect(relay.snapshot().voicemails.filter((v) => v.id === first.id || v.id === second.id).every((v) => v.read)).toBe(true);
      await ok(server, ['voicemail', 'mark-unread', second.id]);
      expect(relay.snapshot().voicemails.find((v) => v.id === second.id)?.read).toBe(false);
      const out = join(work, `${host}-export`);
      await ok(server, ['voicemail', 'export', first.id, '--out', out, '--format', 'amr']);
      expect(readdirSync(out).filter((f) => f.endsWith('.amr'))).toHaveLength(1);
      await ok(server, ['voicemail', 'delete', second.id]);
      expect(relay.snapshot().voicemails.some((v) => v.id === second.id)).toBe(false);
      // Greetings: upload, list, download, activate, deactivate, delete.
      expect(JSON.parse(await ok(server, ['--json', 'greeting', 'show'])).GreetingsOccupied).toBe(relay.snapshot().greetings.length);
      await ok(server, ['greeting', 'upload', join(work, 'greeting.amr'), '--subject', host, '--no-normalize']);
      const greetings = JSON.parse(await ok(server, ['--json', 'greeting', 'list'])) as { id: string; subject: string; active: boolean }[];
      const mine = greetings.find((g) => g.subject === host);
      if (!mine) throw new Error('uploaded greeting not listed');
      await ok(server, ['greeting', 'download', mine.id, join(work, `${host}-greeting.amr`)]);
      expect(readFileSync(join(work, `${host}-greeting.amr`)).subarray(0, 6).toString('latin1')).toBe('#!AMR\n');
      await ok(server, ['greeting', 'mark-active', mine.id]);
      expect(relay.snapshot().greetings.filter((g) => g.active).map((g) => g.id)).toEqual([mine.id]);
      await ok(server, ['greeting', 'mark-inactive', mine.id]);
      expect(relay.snapshot().greetings.some((g) => g.active)).toBe(false);
      await ok(server, ['greeting', 'delete', mine.id]);
      expect(relay.snapshot().greetings.some((g) => g.id === mine.id)).toBe(false);
      // Doctor passes every step, including the NAF identity, at this name.
      const doc = JSON.parse(await ok(server, ['--json', 'doctor'])) as { ok: boolean; steps: { step: string; ok: boolean; detail: string }[] };
      expect(doc.ok).toBe(true);
      expect(JSON.stringify(doc.steps)).toContain(`3GPP-bootstrapping@${host}`);
      // No authenticated attempt was refused, and the foreign host named in every URL was never contacted.
      const log = relay.stats.log.slice(logStart);
      expect(relay.stats.authenticated - authStart).toBeGreaterThan(20);
      expect(log.filter((e) => e.sentAuthorization && !e.authenticated)).toEqual([]);
      expect(foreignContacts).toBe(0);
    }, 180_000);
  }
});

describe('a relay that claims another NAF (reached at 127.0.0.1, keyed for wsg.t-mobile.com)', () => {
  it('is refused with gba.realmMismatch naming both realms, without sending any Authorization', async () => {
    const r = await cli(foreignRealm.url, ['profile', 'show']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[gba.realmMismatch]');
    expect(r.stderr).toContain('3GPP-bootstrapping@wsg.t-mobile.com');
    expect(r.stderr).toContain('3GPP-bootstrapping@127.0.0.1');
    expect(r.stderr).toMatch(/hint: .*--naf-fqdn/);
    expect(foreignRealm.stats.log.length).toBeGreaterThan(0);
    expect(foreignRealm.stats.log.some((e) => e.sentAuthorization)).toBe(false);
    // doctor stops at the realm with the same diagnosis.
    const doc = await cli(foreignRealm.url, ['--json', 'doctor']);
    expect(doc.code).toBe(1);
    const steps = (JSON.parse(doc.stdout) as { steps: { step: string; ok: boolean; code?: string; hint?: string }[] }).steps;
    expect(steps.at(-1)).toMatchObject({ step: 'NAF realm', ok: false, code: 'gba.realmMismatch' });
    expect(steps.at(-1)?.hint).toContain('--naf-fqdn');
    expect(foreignRealm.stats.log.some((e) => e.sentAuthorization)).toBe(false);
  }, 120_000);

  it('--naf-fqdn wsg.t-mobile.com makes every request go through', async () => {
    const extra = ['--naf-fqdn', 'wsg.t-mobile.com'];
    expect(JSON.parse(await ok(foreignRealm.url, ['--json', 'profile', 'show'], extra)).vvmOn).toBe(true);
    const list = JSON.parse(await ok(foreignRealm.url, ['--json', 'voicemail', 'list'], extra)) as { id: string }[];
    expect(list).toHaveLength(1);
    await ok(foreignRealm.url, ['voicemail', 'download', list[0]?.id ?? '', join(work, 'aliased.amr')], extra);
    expect(foreignRealm.stats.log.filter((e) => e.sentAuthorization).every((e) => e.authenticated)).toBe(true);
  }, 120_000);
});
