// The simulated BSF, driven with hand-made requests: digests computed here with node:crypto directly
// (not with the client's digest code), AKA checked card-side with MILENAGE.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import https from 'node:https';
import { createHash } from 'node:crypto';
import { fromBase64, toBase64, toHex, concatBytes } from '../../../shared/bytes.js';
import { startBsf, type SimBsf } from '../../../main/sim/carrier/bsf.js';
import { createKeyStore, nafKeyLookup } from '../../../main/sim/carrier/key-store.js';
import { demoProfile, simSubscriber } from '../../../main/sim/card/profile.js';
import { buildAuts, milenage, openAutn } from '../../../main/protocol/milenage.js';
import { toggleGbaUMac } from '../../../main/protocol/gba/gba-u.js';
import { deriveKsNaf } from '../../../main/protocol/gba/kdf.js';
import { createTestCa } from '../../support/test-ca.js';

const REALM = 'bsf.msg.pc.t-mobile.com';
const me = simSubscriber(demoProfile());
const uProfile = demoProfile({ gbaU: true, impi: '310260999999999@msg.pc.t-mobile.com' });
const u = simSubscriber(uProfile);

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(url: string, headers: Record<string, string>, method = 'GET', ca?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https') ? https : http;
    const r = mod.request(url, { method, headers, agent: false, ...(ca !== undefined && { ca }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

const md5 = (s: string | Uint8Array) => createHash('md5').update(s).digest('hex');

function params(h: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of h.matchAll(/([a-zA-Z-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) out[(m[1] ?? '').toLowerCase()] = m[2] ?? m[3] ?? '';
  return out;
}

function akaAuthorization(f: { username: string; realm: string; nonce: string; opaque: string; password: Uint8Array; uri?: string; qop?: string; nc?: string; auts?: Uint8Array; algorithm?: string | null; upperResponse?: boolean }): string {
  const uri = f.uri ?? '/';
  const qop = f.qop ?? 'auth-int';
  const nc = f.nc ?? '00000001';
  const cnonce = 'c0ffee';
  const ha1 = md5(concatBytes(new TextEncoder().encode(`${f.username}:${f.realm}:`), f.password));
  const ha2 = md5(`GET:${uri}:${md5('')}`);
  let response = md5(`${ha1}:${f.nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
  if (f.upperResponse) response = response.toUpperCase();
  const algorithm = f.algorithm === undefined ? 'AKAv1-MD5' : f.algorithm;
  let s = `Digest username="${f.username}", realm="${f.realm}", nonce="${f.nonce}", uri="${uri}", response="${response}",${algorithm === null ? '' : ` algorithm=${algorithm},`} cnonce="${cnonce}", opaque="${f.opaque}", qop=${qop}, nc=${nc}`;
  if (f.auts) s += `, auts="${toBase64(f.auts)}"`;
  return s;
}

const UA = { 'User-Agent': '3gpp-gba' };
const initial = (impi: string) => ({ ...UA, Authorization: `Digest username="${impi}", realm="${REALM}", nonce="", uri="/", response=""` });

let bsf: SimBsf | null = null;
afterEach(async () => {
  await bsf?.close();
  bsf = null;
});

async function challenge(b: SimBsf, impi: string, ua = '3gpp-gba') {
  const r = await get(b.url, { ...initial(impi), 'User-Agent': ua });
  expect(r.status).toBe(401);
  const www = String(r.headers['www-authenticate']);
  const p = params(www);
  const n = fromBase64(p.nonce ?? '');
  return { www, p, rand: n.slice(0, 16), autn: n.slice(16, 32), nonce: p.nonce ?? '', opaque: p.opaque ?? '' };
}

describe('simulated BSF', () => {
  it('refuses what a real BSF refuses', async () => {
    bsf = await startBsf({ subscribers: [me], realm: REALM });
    expect((await get(bsf.url, initial(me.impi), 'POST')).status).toBe(405);
    expect((await get(bsf.url.replace(/\/$/, '/x'), initial(me.impi))).status).toBe(404);
    expect((await get(bsf.url, { ...initial(me.impi), 'User-Agent': 'curl/8' })).status).toBe(400);
    expect((await get(bsf.url, UA)).status).toBe(400);
    expect((await get(bsf.url, { ...UA, Authorization: 'Digest username="a' })).status).toBe(400);
    expect((await get(bsf.url, initial('001010000000000@unknown.example.org'))).status).toBe(404);
  });

  it('GBA_ME: challenge verifies with MILENAGE, exact digest gives 200 BootstrappingInfo, rspauth and a key-store entry', async () => {
    bsf = await startBsf({ subscribers: [me], realm: REALM, lifetimeSec: 600 });
    const c = await challenge(bsf, me.impi);
    expect(c.p).toMatchObject({ realm: REALM, algorithm: 'AKAv1-MD5', qop: 'auth-int' });
    const opened = openAutn(me.k, me.opc, c.rand, c.autn);
    if (opened.kind !== 'ok') throw new Error('AUTN did not verify card-side');
    const r = await get(bsf.url, { ...UA, Authorization: akaAuthorization({ username: me.impi, realm: REALM, nonce: c.nonce, opaque: c.opaque, password: opened.res }) });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.3gpp.bsf+xml');
    const btid = /<btid>([^<]+)<\/btid>/.exec(r.body)?.[1] ?? '';
    expect(btid).toBe(`${toBase64(c.rand)}@${REALM}`);
    expect(r.body).toContain('xmlns="uri:3gpp-gba"');
    // rspauth: same HA1, A2 = ":" uri ":" H(body)
    const info = params(String(r.headers['authentication-info']));
    const ha1 = md5(concatBytes(new TextEncoder().encode(`${me.impi}:${REALM}:`), opened.res));
    expect(info.rspauth).toBe(md5(`${ha1}:${c.nonce}:00000001:c0ffee:auth-int:${md5(`:/:${md5(r.body)}`)}`));
    const nafId = concatBytes(new TextEncoder().encode('wsg.t-mobile.com'), Uint8Array.of(1, 0, 1, 0, 0x2f));
    const expected = deriveKsNaf(concatBytes(opened.ck, opened.ik), 'gba-me', c.rand, me.impi, nafId);
    expect(toHex(nafKeyLookup(bsf.keyStore)(btid, 'WSG.t-mobile.com') ?? new Uint8Array())).toBe(toHex(expected));
    expect(toHex(bsf.keyStore.nafKey(btid, nafId) ?? new Uint8Array())).toBe(toHex(expected));
    // The nonce is single-use: replaying the same answer gets a fresh challenge.
    const replay = await get(bsf.url, { ...UA, Authorization: akaAuthorization({ username: me.impi, realm: REALM, nonce: c.nonce, opaque: c.opaque, password: opened.res }) });
    expect(replay.status).toBe(401);
  });

  it('GBA_U: AUTN carries MAC* = MAC xor Trunc(SHA-1(IK)) when the ME advertises 3gpp-gba-uicc', async () => {
    bsf = await startBsf({ subscribers: [me, u], realm: REALM });
    const c = await challenge(bsf, u.impi, '3gpp-gba-uicc');
    expect(openAutn(u.k, u.opc, c.rand, c.autn).kind).toBe('macFailure');
    // IK = f4(K, RAND) does not depend on SQN; undoing MAC* with it must give a verifying AUTN.
    const ik = milenage(u.k, u.opc, c.rand, new Uint8Array(6), new Uint8Array(2)).ik;
    expect(openAutn(u.k, u.opc, c.rand, toggleGbaUMac(c.autn, ik)).kind).toBe('ok');
  });

  it('GBA_U subscriber, ME without 3gpp-gba-uicc in its User-Agent -> an ordinary GBA_ME vector', async () => {
    bsf = await startBsf({ subscribers: [me, u], realm: REALM });
    const c = await challenge(bsf, u.impi, '3gpp-gba');
    const opened = openAutn(u.k, u.opc, c.rand, c.autn);
    expect(opened.kind).toBe('ok'); // plain MAC: no MAC* for an ME that did not ask
    if (opened.kind !== 'ok') return;
    const r = await get(bsf.url, { ...UA, Authorization: akaAuthorization({ username: u.impi, realm: REALM, nonce: c.nonce, opaque: c.opaque, password: opened.res }) });
    expect(r.status).toBe(200);
    const btid = /<btid>([^<]+)<\/btid>/.exec(r.body)?.[1] ?? '';
    expect(bsf.keyStore.get(btid)?.gbaU).toBe(false);
  });

  it('an answer without algorithm, or with an upper-case hex response, is refused (401, no key)', async () => {
    bsf = await startBsf({ subscribers: [me], realm: REALM });
    for (const tweak of [{ algorithm: null }, { upperResponse: true }]) {
      const c = await challenge(bsf, me.impi);
      const opened = openAutn(me.k, me.opc, c.rand, c.autn);
      if (opened.kind !== 'ok') throw new Error('AUTN did not verify');
      const r = await get(bsf.url, { ...UA, Authorization: akaAuthorization({ username: me.impi, realm: REALM, nonce: c.nonce, opaque: c.opaque, password: opened.res, ...tweak }) });
      expect(r.status, JSON.stringify(tweak)).toBe(401);
      expect(bsf.keyStore.size).toBe(0);
    }
  });

  it('a challenge answered after its lifetime gets a fresh one marked stale=true, no key', async () => {
    let now = Date.now();
    bsf = await startBsf({ subscribers: [me], realm: REALM, now: () => now, nonceLifetimeMs: 60_000 });
    const c = await challenge(bsf, me.impi);
    const opened = openAutn(me.k, me.opc, c.rand, c.autn);
    if (opened.kind !== 'ok') throw new Error('AUTN did not verify');
    now += 60_001;
    const r = await get(bsf.url, { ...UA, Authorization: akaAuthorization({ username: me.impi, realm: REALM, nonce: c.nonce, opaque: c.opaque, password: opened.res }) });
    expect(r.status).toBe(401);
    expect(params(String(r.headers['www-authenticate'])).stale).toBe('true');
    expect(bsf.keyStore.size).toBe(0);
    // Within the lifetime the same kind of answer works.
    const c2 = await challenge(bsf, me.impi);
    const o2 = openAutn(me.k, me.opc, c2.rand, c2.autn);
    if (o2.kind !== 'ok') throw new Error('AUTN did not verify');
    now += 59_000;
    expect((await get(bsf.url, { ...UA, Authorization: akaAuthorization({ username: me.impi, realm: REALM, nonce: c2.nonce, opaque: c2.opaque, password: o2.res }) })).status).toBe(200);
  });

  it('keeps a bounded request log (demo mode runs for days)', async () => {
    bsf = await startBsf({ subscribers: [me], realm: REALM, maxLogEntries: 3 });
    for (let i = 0; i < 5; i++) await get(bsf.url, initial(i < 4 ? me.impi : 'nobody@example.org'));
    expect(bsf.log).toHaveLength(3);
    expect(bsf.log.map((e) => e.status)).toEqual([401, 401, 404]);
    const unbounded = await startBsf({ subscribers: [me], realm: REALM });
    try {
      for (let i = 0; i < 1010; i++) unbounded.log.push({ method: 'GET', path: '/', userAgent: undefined, imei: undefined, status: 0 });
      await get(unbounded.url, initial(me.impi));
      expect(unbounded.log.length).toBeLessThanOrEqual(1000);
      expect(unbounded.log.at(-1)?.status).toBe(401);
    } finally {
      await unbounded.close();
    }
  });

  const wrong: Array<[string, (f: Parameters<typeof akaAuthorization>[0]) => Parameters<typeof akaAuthorization>[0]]> = [
    ['realm', (f) => ({ ...f, realm: 'other.example.org' })],
    ['uri', (f) => ({ ...f, uri: '/x' })],
    ['qop', (f) => ({ ...f, qop: 'auth' })],
    ['nc', (f) => ({ ...f, nc: '00000002' })],
    ['password (RES)', (f) => ({ ...f, password: new Uint8Array(8) })],
    ['opaque', (f) => ({ ...f, opaque: 'nope' })],
  ];
  for (const [name, mutate] of wrong) {
    it(`wrong ${name} -> 401 with a fresh challenge, no key`, async () => {
      bsf = await startBsf({ subscribers: [me], realm: REALM });
      const c = await challenge(bsf, me.impi);
      const opened = openAutn(me.k, me.opc, c.rand, c.autn);
      if (opened.kind !== 'ok') throw new Error('AUTN did not verify');
      const r = await get(bsf.url, { ...UA, Authorization: akaAuthorization(mutate({ username: me.impi, realm: REALM, nonce: c.nonce, opaque: c.opaque, password: opened.res })) });
      expect(r.status).toBe(401);
      expect(params(String(r.headers['www-authenticate'])).nonce).not.toBe(c.nonce);
      expect(bsf.keyStore.size).toBe(0);
    });
  }

  it('wrong username for the nonce -> 401', async () => {
    bsf = await startBsf({ subscribers: [me, u], realm: REALM });
    const c = await challenge(bsf, me.impi);
    const opened = openAutn(me.k, me.opc, c.rand, c.autn);
    if (opened.kind !== 'ok') throw new Error('AUTN did not verify');
    const r = await get(bsf.url, { ...UA, Authorization: akaAuthorization({ username: u.impi, realm: REALM, nonce: c.nonce, opaque: c.opaque, password: opened.res }) });
    expect(r.status).toBe(401);
    expect(bsf.keyStore.size).toBe(0);
  });

  it('AUTS resync moves SQN_HE to SQN_MS; a forged AUTS is refused', async () => {
    bsf = await startBsf({ subscribers: [me], realm: REALM });
    const c = await challenge(bsf, me.impi);
    const sqnMs = Uint8Array.of(0, 0, 0, 0, 0x10, 0);
    const auts = buildAuts(me.k, me.opc, c.rand, sqnMs);
    const r = await get(bsf.url, { ...UA, Authorization: akaAuthorization({ username: me.impi, realm: REALM, nonce: c.nonce, opaque: c.opaque, password: new Uint8Array(), auts }) });
    expect(r.status).toBe(401);
    const fresh = fromBase64(params(String(r.headers['www-authenticate'])).nonce ?? '');
    const opened = openAutn(me.k, me.opc, fresh.slice(0, 16), fresh.slice(16, 32));
    expect(opened.kind === 'ok' && toHex(opened.sqn)).toBe('000000001001');

    const c2 = await challenge(bsf, me.impi);
    const forged = buildAuts(me.k, me.opc, c2.rand, sqnMs);
    forged[13] = (forged[13] ?? 0) ^ 1;
    const r2 = await get(bsf.url, { ...UA, Authorization: akaAuthorization({ username: me.impi, realm: REALM, nonce: c2.nonce, opaque: c2.opaque, password: new Uint8Array(), auts: forged }) });
    expect(r2.status).toBe(403);
  });

  it('latency injection delays answers', async () => {
    bsf = await startBsf({ subscribers: [me], realm: REALM, latencyMs: 120 });
    const t = performance.now();
    await challenge(bsf, me.impi);
    expect(performance.now() - t).toBeGreaterThanOrEqual(110);
  });

  it('serves HTTPS', async () => {
    const ca = createTestCa();
    try {
      bsf = await startBsf({ subscribers: [me], realm: REALM, tls: { key: ca.keyPem, cert: ca.certPem } });
      expect(bsf.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      const r = await get(bsf.url, initial(me.impi), 'GET', ca.caPem);
      expect(r.status).toBe(401);
    } finally {
      ca.cleanup();
    }
  });
});

describe('key store', () => {
  it('expires records and returns null for unknown B-TIDs', () => {
    let now = 1_000_000;
    const ks = createKeyStore(() => now);
    const rand = new Uint8Array(16).fill(7);
    ks.put({ btid: 'Bwc=@bsf.example.org', ks: new Uint8Array(32).fill(1), rand, impi: 'a@b.org', expiresAt: now + 1000, gbaU: false });
    const nafId = Uint8Array.of(0x61, 1, 0, 1, 0, 0x2f);
    expect(ks.nafKey('Bwc=@bsf.example.org', nafId)).toHaveLength(32);
    expect(ks.nafKey('other@bsf.example.org', nafId)).toBeNull();
    now += 1000;
    expect(ks.nafKey('Bwc=@bsf.example.org', nafId)).toBeNull();
    expect(ks.size).toBe(0);
  });
});
