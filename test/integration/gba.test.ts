// GBA end to end through the real PC/SC stack: pcsclite -> pcscd -> vpcd -> SimulatedUicc for the card,
// the simulated BSF over loopback (HTTP and HTTPS with a throwaway CA) for the network, the real
// node-http adapter in between. Requires pcscd and vsmartcard-vpcd (test/support/pcscd.ts says how).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toHex } from '../../shared/bytes.js';
import { PcscReaderPort } from '../../main/adapters/pcsc/pcsc-reader.js';
import { createNodeHttp } from '../../main/adapters/http/node-http.js';
import { CardService } from '../../main/services/card/card-service.js';
import { NO_PIN } from '../../main/services/card/pin-source.js';
import type { CardSession } from '../../main/services/card/card-session.js';
import { createGbaBootstrapper } from '../../main/services/gba/bootstrap.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import { demoProfile, simSubscriber, type SimProfileInput } from '../../main/sim/card/profile.js';
import { startBsf, type BsfFault, type BsfOptions, type SimBsf } from '../../main/sim/carrier/bsf.js';
import type { VpcdAttachment } from '../../main/sim/card/vpcd-card.js';
import { buildNafId } from '../../main/protocol/gba/naf-id.js';
import { GbaError } from '../../main/errors.js';
import { startPcscd, VPCD_READERS, type PcscdHarness } from '../support/pcscd.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';
import { BAD_BODIES, BAD_CHALLENGES } from '../main/services/gba/harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NAF_ID = buildNafId('wsg.t-mobile.com', '010001002f');
const clock = { now: () => Date.now(), monotonic: () => performance.now() };
const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) };
const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let harness: PcscdHarness;
let ca: TestCa;
let attached: VpcdAttachment | null = null;
let readers: PcscReaderPort | null = null;
let session: CardSession | null = null;
let bsf: SimBsf | null = null;

beforeAll(async () => {
  harness = await startPcscd();
  ca = createTestCa();
});
afterEach(async () => {
  await session?.close();
  session = null;
  await readers?.close();
  readers = null;
  await attached?.remove();
  attached = null;
  await bsf?.close();
  bsf = null;
});
afterAll(async () => {
  await harness?.release();
  ca?.cleanup();
});

async function rig(p: Partial<SimProfileInput>, protocol: 'T0' | 'T1', bsfOpts: Partial<BsfOptions> = {}, readTimeoutMs = 10_000) {
  const profile = demoProfile(p);
  const card = new SimulatedUicc(profile, { protocol });
  attached = await harness.attach(card, 0);
  readers = new PcscReaderPort();
  session = await new CardService(readers, { pinSource: NO_PIN, reader: VPCD_READERS[0] }).openSession();
  bsf = await startBsf({ subscribers: [simSubscriber(profile)], realm: 'bsf.msg.pc.t-mobile.com', tls: { key: ca.keyPem, cert: ca.certPem }, ...bsfOpts });
  const http = createNodeHttp({ caPem: [ca.caPem], connectTimeoutMs: 5000, readTimeoutMs, maxResponseBytes: 1 << 20 });
  const boot = createGbaBootstrapper({ card: session, http, clock, random, logger, settings: { bsf: bsf.url } });
  return { profile, boot, bsf };
}

describe('GBA through pcscd + vpcd and an HTTPS BSF', () => {
  for (const [gbaU, protocol] of [[false, 'T0'], [true, 'T1'], [true, 'T0']] as const) {
    it(`${gbaU ? 'GBA_U' : 'GBA_ME'} over ${protocol}: the NAF key matches the network side`, async () => {
      const r = await rig({ gbaU }, protocol);
      expect(r.bsf.url).toMatch(/^https:/);
      const s = await r.boot.bootstrap();
      expect(s.mode).toBe(gbaU ? 'GBA_U' : 'GBA_ME');
      const net = r.bsf.keyStore.nafKey(s.btid, NAF_ID);
      expect(net).not.toBeNull();
      expect(toHex(await s.deriveNafKey(NAF_ID))).toBe(toHex(net ?? new Uint8Array()));
    });
  }

  it('resync through the real reader', async () => {
    const r = await rig({ gbaU: true }, 'T1');
    r.bsf.setSqn(r.profile.impi, new Uint8Array(6));
    const s = await r.boot.bootstrap();
    expect(s.resynced).toBe(true);
    expect(toHex(await s.deriveNafKey(NAF_ID))).toBe(toHex(r.bsf.keyStore.nafKey(s.btid, NAF_ID) ?? new Uint8Array()));
  });

  it('MAC failure -> gba.networkNotAuthentic', async () => {
    const r = await rig({}, 'T0');
    r.bsf.inject({ action: { kind: 'corruptAutn' } });
    await expect(r.boot.bootstrap()).rejects.toMatchObject({ code: 'gba.networkNotAuthentic' });
  });

  it('BSF timeout and malformed challenge are typed errors; the card keeps working after them', async () => {
    const r = await rig({}, 'T1', {}, 400);
    r.bsf.inject({ stage: 'answer', action: { kind: 'hang' } });
    const e = await r.boot.bootstrap().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GbaError);
    expect((e as GbaError).code).toBe('gba.bsfUnreachable');
    r.bsf.inject({ action: { kind: 'challenge', values: ['Digest realm="x", nonce="short", algorithm=AKAv1-MD5, qop="auth-int"'] } });
    await expect(r.boot.bootstrap()).rejects.toMatchObject({ code: 'gba.malformed' });
    expect((await r.boot.bootstrap()).btid).toContain('@bsf.msg.pc.t-mobile.com');
  });

  it('a table of bad BSF answers through the real reader: each a typed error, none hanging; the card works after all of them', async () => {
    const r = await rig({}, 'T0', {}, 600);
    const faults: Array<[string, BsfFault, string]> = [
      ...BAD_CHALLENGES.map(([name, values]): [string, BsfFault, string] => [`challenge: ${name}`, { stage: 'challenge', action: { kind: 'challenge', values } }, 'gba.malformed']),
      ...BAD_BODIES.map(([name, body, contentType]): [string, BsfFault, string] => [`BootstrappingInfo: ${name}`, { action: { kind: 'body', body, ...(contentType !== undefined && { contentType }) } }, 'gba.malformed']),
      ['IMPI unknown (404)', { stage: 'challenge', action: { kind: 'status', status: 404 } }, 'gba.bsfRefused'],
      ['BSF failing (503)', { stage: 'challenge', action: { kind: 'status', status: 503 } }, 'gba.bsfRefused'],
      ['answer rejected (401)', { stage: 'answer', action: { kind: 'status', status: 401 } }, 'gba.bootstrapFailed'],
      ['connection dropped', { stage: 'challenge', action: { kind: 'drop' } }, 'gba.bsfUnreachable'],
      ['challenge never comes', { stage: 'challenge', action: { kind: 'hang' } }, 'gba.bsfUnreachable'],
      ['wrong rspauth', { action: { kind: 'badRspauth' } }, 'gba.networkNotAuthentic'],
      ['AKA MAC failure', { action: { kind: 'corruptAutn' } }, 'gba.networkNotAuthentic'],
    ];
    const outcomes: string[] = [];
    for (const [name, fault, code] of faults) {
      r.bsf.inject(fault);
      const e = await r.boot.bootstrap().catch((x: unknown) => x);
      outcomes.push(`${name}: ${e instanceof GbaError ? e.code : 'not a GbaError'}${e instanceof GbaError && e.code === code ? '' : ` (expected ${code})`}`);
    }
    expect(outcomes).toEqual(faults.map(([name, , code]) => `${name}: ${code}`));
    const s = await r.boot.bootstrap();
    expect(toHex(await s.deriveNafKey(NAF_ID))).toBe(toHex(r.bsf.keyStore.nafKey(s.btid, NAF_ID) ?? new Uint8Array()));
  });

  it('an untrusted BSF certificate -> gba.bsfUnreachable (net.tls)', async () => {
    const profile = demoProfile();
    const card = new SimulatedUicc(profile, { protocol: 'T1' });
    attached = await harness.attach(card, 0);
    readers = new PcscReaderPort();
    session = await new CardService(readers, { pinSource: NO_PIN, reader: VPCD_READERS[0] }).openSession();
    bsf = await startBsf({ subscribers: [simSubscriber(profile)], tls: { key: ca.keyPem, cert: ca.certPem } });
    const boot = createGbaBootstrapper({ card: session, http: createNodeHttp({ connectTimeoutMs: 5000, readTimeoutMs: 5000, maxResponseBytes: 1 << 20 }), clock, random, logger, settings: { bsf: bsf.url } });
    await expect(boot.bootstrap()).rejects.toMatchObject({ code: 'gba.bsfUnreachable', detail: { cause: 'net.tls' } });
  });

  it('the spawned CLI: gba bootstrap --json through the real reader with --bsf, --ca and --imei', async () => {
    if (!existsSync(join(ROOT, 'out', 'main', 'cli', 'main.js'))) throw new Error('The CLI is not built: run `npx tsc -p tsconfig.json` first.');
    const profile = demoProfile({ gbaU: true });
    attached = await harness.attach(new SimulatedUicc(profile, { protocol: 'T0' }), 0);
    bsf = await startBsf({ subscribers: [simSubscriber(profile)], realm: 'bsf.msg.pc.t-mobile.com', tls: { key: ca.keyPem, cert: ca.certPem } });
    const b = bsf;
    const cli = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((res) => {
        execFile(process.execPath, [join(ROOT, 'bin', 'vvm-desk.js'), '--reader', VPCD_READERS[0], ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
          res({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr }),
        );
      });
    const ok = await cli(['--bsf', b.url, '--ca', ca.caFile, '--imei', '359000000000000', '--json', 'gba', 'bootstrap']);
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout) as { mode: string; btid: string; bsf: string; timings: { requests: number } };
    expect(report).toMatchObject({ mode: 'GBA_U', bsf: b.url, timings: { requests: 2 } });
    expect(b.keyStore.get(report.btid)).not.toBeNull();
    expect(b.log.map((l) => l.imei)).toEqual(['359000000000000', '359000000000000']);
    expect(ok.stdout + ok.stderr).not.toMatch(/Digest |response=/);

    // Without --ca the BSF certificate is not trusted: exit 1, typed error naming the BSF.
    const untrusted = await cli(['--bsf', b.url, 'gba', 'bootstrap']);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toContain('[gba.bsfUnreachable]');
    expect(untrusted.stderr).toContain(b.url);
  });
});
