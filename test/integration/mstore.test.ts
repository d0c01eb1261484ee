// mstore end to end through the real card stack: pcsclite -> pcscd -> vpcd -> simulated ISIM, the real
// GBA bootstrap against the simulated BSF, the NAF digest against the strict simulated relay, both over
// HTTPS with a throwaway CA. Every endpoint once through the library, then the spawned `vvm-desk` CLI
// (no --demo: real PC/SC, --server/--bsf/--ca pointing at the simulators). Needs pcscd and
// vsmartcard-vpcd (test/support/pcscd.ts says how to install them) and a built CLI (npx tsc -p tsconfig.json).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../shared/bytes.js';
import { PcscReaderPort } from '../../main/adapters/pcsc/pcsc-reader.js';
import { createNodeHttp } from '../../main/adapters/http/node-http.js';
import { CardService } from '../../main/services/card/card-service.js';
import type { CardSession } from '../../main/services/card/card-session.js';
import { createGbaBootstrapper } from '../../main/services/gba/bootstrap.js';
import { createNafAuthenticator } from '../../main/services/gba/naf-authenticator.js';
import { MstoreClient } from '../../main/services/mstore/client.js';
import { demoProfile, simSubscriber } from '../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import type { VpcdAttachment } from '../../main/sim/card/vpcd-card.js';
import { startBsf, type SimBsf } from '../../main/sim/carrier/bsf.js';
import { nafKeyLookup } from '../../main/sim/carrier/key-store.js';
import { startRelay, type RelayHandle } from '../../main/sim/carrier/relay.js';
import { defaultSettings } from '../../shared/settings.js';
import { startPcscd, VPCD_READERS, type PcscdHarness } from '../support/pcscd.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';
import { syntheticAmr } from '../main/services/mstore/harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MSISDN = '+12065550100';
const PIN = '2468';
const clock = { now: () => Date.now(), monotonic: () => performance.now() };
const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) };
const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

const amr = syntheticAmr;
const UMS = `/phone20/mStoreRelay/oemclient/nms/v1/ums/${encodeURIComponent(`tel:${MSISDN}`)}`;

let harness: PcscdHarness;
let ca: TestCa;
let attached: VpcdAttachment;
let bsf: SimBsf;
let relay: RelayHandle;
let readers: PcscReaderPort;
let session: CardSession;
let client: MstoreClient;

beforeAll(async () => {
  harness = await startPcscd();
  ca = createTestCa();
  const profile = demoProfile({ pin: PIN });
  attached = await harness.attach(new SimulatedUicc(profile, { protocol: 'T0' }), 0);
  const s0 = defaultSettings();
  bsf = await startBsf({ subscribers: [simSubscriber(profile)], tls: { key: ca.keyPem, cert: ca.certPem } });
  relay = await startRelay({
    scenario: {
      msisdn: MSISDN,
      pageSize: 5,
      voicemails: Array.from({ length: 12 }, (_, i) => ({ from: `1425555${1000 + i}`, date: new Date(Date.UTC(2026, 9, 1) - i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), audioBase64: toBase64(amr(60 + i, i)) })),
      greetings: [{ date: '2026-01-01T00:00:00Z', active: true, audioBase64: toBase64(amr(100)) }],
    },
    nafKey: nafKeyLookup(bsf.keyStore),
    tls: { key: ca.keyPem, cert: ca.certPem },
  });
  const settings = { ...s0, server: relay.url, bsf: bsf.url, caPem: [ca.caPem] };
  readers = new PcscReaderPort();
  session = await new CardService(readers, { reader: VPCD_READERS[0], pinSource: { getPin: async () => PIN, pinRejected: async () => {} } }).openSession();
  const http = createNodeHttp({ caPem: [ca.caPem], connectTimeoutMs: 5000, readTimeoutMs: 10_000, maxResponseBytes: 1 << 20 });
  const bootstrapper = createGbaBootstrapper({ card: session, http, clock, random, logger, settings });
  const auth = createNafAuthenticator({ bootstrapper, http, clock, random, logger, settings });
  client = new MstoreClient({ http: auth, server: relay.url, msisdn: async () => session.identity.msisdn ?? '', clock, random });
});

afterAll(async () => {
  await session?.close();
  await readers?.close();
  await attached?.remove();
  await relay?.close();
  await bsf?.close();
  await harness?.release();
  ca?.cleanup();
});

describe('mstore through pcscd + vpcd, HTTPS relay and BSF', () => {
  it('every endpoint once, with the MSISDN from the ISIM', async () => {
    expect(relay.url).toMatch(/^https:/);
    expect(session.identity.msisdn).toBe(MSISDN);
    expect((await client.getProfile()).vvmOn).toBe(true);
    await client.setVvmOn(false);
    await client.setVvmOn(true);
    await expect(client.changePin('4826', '1234')).rejects.toMatchObject({ code: 'mstore.pinRejected', detail: { reason: 'PIN has Consecutive Numbers' } });
    await client.changePin('4826', '7391');
    expect((await client.getQuota('voicemail')).VMOccupiedMessages).toBe(12);
    expect((await client.getQuota('greeting')).GreetingsOccupied).toBe(1);
    const list = await client.listVoicemails();
    expect(list.items).toHaveLength(12); // three pages of five
    const first = list.items[0];
    if (!first) throw new Error('empty listing');
    expect((await client.getVoicemail(first.item.id)).item).toEqual(first.item);
    const audio = await client.download(first.payloadPath);
    expect(audio.bytes).toEqual(amr(60, 0));
    const ids = list.items.map((e) => e.item.id);
    expect((await client.setRead(ids.slice(0, 3), true)).results.every((r) => r.ok)).toBe(true);
    expect((await client.setRead(ids.slice(0, 1), false)).results.every((r) => r.ok)).toBe(true);
    const del = await client.delete([ids[11] ?? '', 'f'.repeat(32)]);
    expect(del.results.map((r) => r.ok)).toEqual([true, false]);
    // 'test' is a nonsense path: the relay answers NWKERR (no results) after deleting the valid one; the
    // client compares with what it listed before, so the nonsense id is a failure, not a success.
    const nwk = await client.delete([ids[10] ?? '', 'test']);
    expect(nwk.relisted).toBe(true);
    expect(nwk.results.map((r) => [r.id, r.ok])).toEqual([
      [ids[10], true],
      ['test', false],
    ]);
    expect((await client.listVoicemails()).items).toHaveLength(10);
    const g = await client.uploadGreeting(amr(150), { activate: true, subject: 'integration' });
    expect(g?.active).toBe(true);
    const greetings = (await client.listGreetings()).items.map((e) => e.item);
    expect(greetings.filter((x) => x.active).map((x) => x.id)).toEqual([g?.id]);
    await client.setGreetingFlag(g?.id ?? '', false);
    expect((await client.listGreetings()).items.some((e) => e.item.active)).toBe(false);
  });

  it('bulk requests of more than 100 ids go in chunks of 100; per-item failures come unwrapped from NWK_RSP', async () => {
    const ids = (await client.listVoicemails()).items.map((e) => e.item.id);
    const missing = Array.from({ length: 101 - ids.length }, (_, i) => i.toString(16).padStart(32, 'a'));
    const before = relay.stats.log.length;
    const r = await client.setRead([...ids, ...missing], true);
    expect(r.relisted).toBe(false);
    expect(r.results).toHaveLength(101);
    expect(r.results.filter((x) => x.ok).map((x) => x.id)).toEqual(ids);
    expect(r.results.filter((x) => !x.ok).every((x) => x.code === 400)).toBe(true);
    const bulk = relay.stats.log.slice(before).filter((x) => x.authenticated && x.target.endsWith('/bulkUpdate'));
    expect(bulk.map((x) => x.status)).toEqual([500, 500]); // failures: the relay wraps the list in NWK_RSP
    expect((await client.listVoicemails()).items.every((e) => e.item.read)).toBe(true);
  });

  it('an emptied folder answers 204 and lists nothing; quotas count what is stored', async () => {
    const greetings = (await client.listGreetings()).items.map((e) => e.item.id);
    expect((await client.delete(greetings)).results.every((x) => x.ok)).toBe(true);
    expect((await client.listGreetings()).items).toEqual([]);
    const last = relay.stats.log.filter((x) => x.authenticated && x.target.endsWith('/search')).at(-1);
    expect(last?.status).toBe(204);
    expect((await client.getQuota('greeting')).GreetingsOccupied).toBe(0);
    expect((await client.getQuota('voicemail')).VMOccupiedMessages).toBe(10);
  });

  it('the relay saw every request made the way the real one insists on', () => {
    const log = relay.stats.log;
    expect(log.length).toBeGreaterThan(60);
    for (const e of log) {
      // User-Agent on every request; MSISDN percent-encoded in the path; never a real query string.
      expect(e.userAgent, `${e.method} ${e.target}`).toBe('3gpp-gba');
      expect(e.target.startsWith(`${UMS}/`), e.target).toBe(true);
      expect(e.target.includes('?')).toBe(false);
    }
    // 401 first: every authenticated request follows its own probe with the same method, target and body
    // (the body is sent on the probe too), and no authenticated attempt was refused (one nonce per request).
    expect(log.filter((e) => e.sentAuthorization && e.status === 401)).toEqual([]);
    let probes = 0;
    for (let i = 0; i < log.length; i++) {
      const e = log[i];
      if (!e?.authenticated) continue;
      const probe = log.slice(0, i).reverse().find((p) => !p.authenticated && p.method === e.method && p.target === e.target && p.bodyDigest === e.bodyDigest);
      expect(probe?.status, `${e.method} ${e.target}`).toBe(401);
      probes++;
    }
    expect(probes).toBe(relay.stats.authenticated);
    const auth = log.filter((e) => e.authenticated);
    // JSON bodies carry application/json; the upload is multipart/form-data.
    for (const e of auth.filter((x) => x.bodyBytes > 0)) {
      expect(e.contentType, e.target).toMatch(e.target.endsWith('/objects') ? /^multipart\/form-data; boundary=/ : /^application\/json$/);
    }
    // Quota with the query encoded into the path; bulkDelete is a DELETE with a body; bulkUpdate a POST;
    // the greeting flag is %24CNS-Greeting-On with PUT/DELETE and no body; pagination followed the cursor.
    expect(auth.filter((e) => e.target.includes('/folders/')).every((e) => e.method === 'GET' && e.target.endsWith('%3FattrFilter%3DQuota'))).toBe(true);
    const deletes = auth.filter((e) => e.target.endsWith('/bulkDelete'));
    expect(deletes.length).toBeGreaterThan(0);
    expect(deletes.every((e) => e.method === 'DELETE' && e.bodyBytes > 0)).toBe(true);
    expect(auth.filter((e) => e.target.endsWith('/bulkUpdate')).every((e) => e.method === 'POST')).toBe(true);
    const flags = auth.filter((e) => e.target.includes('/flags/'));
    expect(flags.map((e) => e.method)).toEqual(expect.arrayContaining(['PUT', 'DELETE']));
    expect(flags.every((e) => e.target.endsWith('/flags/%24CNS-Greeting-On') && e.bodyBytes === 0)).toBe(true);
    expect(auth.filter((e) => e.target.endsWith('/search') && e.status === 200).length).toBeGreaterThanOrEqual(3);
  });

  it('profile booleans arrive in mixed case and are written lower case', async () => {
    const p = await client.getProfile();
    expect(p.migrationStatus).toBe(true); // "True"
    expect(p.attributes.V2E_ON).toEqual(['False']);
    await client.setVvmOn(false);
    expect(relay.snapshot().profile?.find((a) => a.name === 'vvmon')?.value).toEqual(['false']);
    await client.setVvmOn(true);
  });

  it('a PIN change refused by the relay names each of the ten reasons from its reason-phrase header', async () => {
    // The PIN is 7391 since the first test (so a change now is "recently changed"); the MSISDN ends in 0100.
    const cases: [string, string, string][] = [
      ['0000', '8642', 'Invalid OLD PIN'],
      ['7391', '2222', 'PIN has Repeated Digits'],
      ['7391', '6543', 'PIN has Consecutive Numbers'],
      ['7391', '12a4', 'PIN has invalid Character'],
      ['7391', '123', 'PIN length too Short'],
      ['7391', '1234567890', 'PIN length too Long'],
      ['7391', '0100', 'PIN last 4 digit match MSISDN'],
      ['7391', '7391', 'PIN in Use'],
      ['7391', '8642', 'PIN recently Changed'],
    ];
    for (const [oldPin, newPin, reason] of cases) {
      await expect(client.changePin(oldPin, newPin), reason).rejects.toMatchObject({ code: 'mstore.pinRejected', detail: { reason } });
    }
    await client.setVvmOn(false);
    await expect(client.changePin('7391', '8642')).rejects.toMatchObject({ code: 'mstore.pinRejected', detail: { reason: 'VVM Not Active' } });
    await client.setVvmOn(true);
    expect(relay.snapshot().pin).toBe('7391');
  });
});

describe('the vvm-desk CLI against pcscd and the simulated carrier', () => {
  const cli = (args: string[], cwd: string, globals: string[] = ['--reader', VPCD_READERS[0]]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((res) => {
      execFile(
        process.execPath,
        [join(ROOT, 'bin', 'vvm-desk.js'), ...globals, '--server', relay.url, '--bsf', bsf.url, '--ca', ca.caFile, ...args],
        { cwd, env: { ...process.env, VVM_SIM_PIN: PIN }, timeout: 60_000 },
        (err, stdout, stderr) => res({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr }),
      );
    });

  it('lists, downloads and runs doctor through the real reader', async () => {
    if (!existsSync(join(ROOT, 'out', 'main', 'cli', 'main.js'))) throw new Error('The CLI is not built: run `npx tsc -p tsconfig.json` first.');
    // The library test above holds the card in shared mode; the CLI connects alongside it.
    const work = mkdtempSync(join(tmpdir(), 'vvm-int-'));
    try {
      const list = await cli(['--json', 'voicemail', 'list'], work);
      expect(list.code, list.stderr).toBe(0);
      const items = JSON.parse(list.stdout) as { id: string; filename: string }[];
      expect(items).toHaveLength(10);
      const dl = await cli(['--json', 'voicemail', 'download', items[0]?.id ?? ''], work);
      expect(dl.code, dl.stderr).toBe(0);
      const file = (JSON.parse(dl.stdout) as { file: string }).file;
      expect(readFileSync(file).subarray(0, 6).toString('latin1')).toBe('#!AMR\n');
      // Bulk commands: a nonsense id among valid ones exits 1 naming it; the valid one is still marked.
      const mark = await cli(['--json', 'voicemail', 'mark-unread', items[1]?.id ?? '', 'test'], work);
      expect(mark.code).toBe(1);
      expect(mark.stderr).toContain('test');
      expect((JSON.parse(mark.stdout) as { results: { id: string; ok: boolean }[]; relisted: boolean }).results.map((r) => [r.id, r.ok])).toEqual([
        [items[1]?.id, true],
        ['test', false],
      ]);
      const profile = await cli(['--json', 'profile', 'show'], work);
      expect(profile.code, profile.stderr).toBe(0);
      expect((JSON.parse(profile.stdout) as { vvmOn: boolean; attributes: Record<string, string[]> }).attributes.MigrationStatus).toEqual(['True']);
      const doc = await cli(['--json', 'doctor'], work);
      expect(doc.code, doc.stdout + doc.stderr).toBe(0);
      expect((JSON.parse(doc.stdout) as { steps: { ok: boolean }[] }).steps.every((s) => s.ok)).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('doctor names the failing step: a relay that is not there', async () => {
    const work = mkdtempSync(join(tmpdir(), 'vvm-int-'));
    try {
      const r = await new Promise<{ code: number; stdout: string }>((res) => {
        execFile(
          process.execPath,
          [join(ROOT, 'bin', 'vvm-desk.js'), '--json', '--reader', VPCD_READERS[0], '--server', 'https://127.0.0.1:9/phone20/mStoreRelay', '--bsf', bsf.url, '--ca', ca.caFile, 'doctor'],
          { cwd: work, env: { ...process.env, VVM_SIM_PIN: PIN }, timeout: 60_000 },
          (err, stdout) => res({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout }),
        );
      });
      expect(r.code).toBe(1);
      const steps = (JSON.parse(r.stdout) as { steps: { step: string; ok: boolean }[] }).steps;
      expect(steps.at(-1)).toMatchObject({ step: 'relay challenge', ok: false });
      expect(steps.slice(0, -1).every((s) => s.ok)).toBe(true);
      // A reader that is not there: pcscd and the reader list pass, the card step fails with what to do.
      const noReader = await cli(['--json', 'doctor'], work, ['--reader', 'No Such Reader']);
      expect(noReader.code).toBe(1);
      const st = (JSON.parse(noReader.stdout) as { steps: { step: string; ok: boolean; code?: string; hint?: string }[] }).steps;
      expect(st.map((x) => [x.step, x.ok])).toEqual([
        ['pcscd', true],
        ['reader', true],
        ['card', false],
      ]);
      expect(st[2]?.code).toBe('card.noReader');
      expect(st[2]?.hint).toBeTruthy();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
