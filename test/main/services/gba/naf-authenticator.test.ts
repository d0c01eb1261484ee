// NafAuthenticator against a NAF written here (digest checked with node:crypto directly, key from the
// simulated BSF's key store) and against the simulated relay. The NAF FQDN is the host of the server URL
// unless settings.nafFqdn overrides it; a challenge for another NAF's realm is refused before any answer.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { toBase64 } from '../../../../shared/bytes.js';
import { GbaError, HttpError } from '../../../../main/errors.js';
import { buildNafId } from '../../../../main/protocol/gba/naf-id.js';
import { createNafAuthenticator } from '../../../../main/services/gba/naf-authenticator.js';
import { clock, random, startRig, type GbaRig } from './harness.js';
import { startRelay } from '../../../../main/sim/carrier/relay.js';
import { nafKeyLookup } from '../../../../main/sim/carrier/key-store.js';

/** The name the test NAF keys for by default: not the host it is reached at (127.0.0.1), so tests set the override. */
const NAF_FQDN = 'wsg.t-mobile.com';
const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

function params(h: string): Map<string, { value: string; quoted: boolean }> {
  const out = new Map<string, { value: string; quoted: boolean }>();
  for (const m of h.replace(/^Digest\s+/, '').matchAll(/([a-zA-Z-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) out.set((m[1] ?? '').toLowerCase(), { value: m[2] ?? m[3] ?? '', quoted: m[2] !== undefined });
  return out;
}

interface NafSeen {
  method: string;
  target: string;
  body: string;
  authorization: string | undefined;
  userAgent: string | undefined;
  bsfRequestsAtArrival: number;
}

interface Naf {
  url: string;
  seen: NafSeen[];
  /** How the NAF answers an authenticated request whose digest checks out: 'accept' or 'reject'. */
  mode: Array<'accept' | 'reject'>;
  probeStatus: number | null;
  challenge: string;
  /** The realm it challenges with (default `3GPP-bootstrapping@wsg.t-mobile.com`). */
  realm: string;
  /** The NAF FQDN it derives its key for (default wsg.t-mobile.com). */
  keyFqdn: string;
  close(): Promise<void>;
}

/** A strict NAF: 401 challenge to unauthenticated requests; verifies the digest against the BSF key store. */
async function startNaf(rig: GbaRig, holdProbeUntilBsfRequests = 0): Promise<Naf> {
  const naf: Naf = { url: '', seen: [], mode: [], probeStatus: null, challenge: '', realm: `3GPP-bootstrapping@${NAF_FQDN}`, keyFqdn: NAF_FQDN, close: async () => {} };
  let n = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', async () => {
      const auth = req.headers.authorization;
      naf.seen.push({ method: req.method ?? '', target: req.url ?? '', body, authorization: auth, userAgent: req.headers['user-agent'], bsfRequestsAtArrival: rig.bsf.log.length });
      if (auth === undefined) {
        // Hold the probe until the bootstrap has made progress: only a concurrent client gets past this.
        const until = Date.now() + 5000;
        while (rig.bsf.log.length < holdProbeUntilBsfRequests && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
        if (rig.bsf.log.length < holdProbeUntilBsfRequests) {
          res.writeHead(500).end('probe and bootstrap did not overlap');
          return;
        }
        if (naf.probeStatus !== null) {
          res.writeHead(naf.probeStatus).end('probe answer');
          return;
        }
        const nonce = `nonce${++n}`;
        naf.challenge = `Digest realm="${naf.realm}", nonce="${nonce}", algorithm=MD5, qop="auth", opaque="op-${n}"`;
        res.writeHead(401, { 'WWW-Authenticate': naf.challenge }).end('unauthorized');
        return;
      }
      const p = params(auth);
      const get = (k: string) => p.get(k)?.value ?? '';
      const ks = rig.bsf.keyStore.nafKey(get('username'), buildNafId(naf.keyFqdn, '010001002f'));
      const password = ks === null ? '' : toBase64(ks);
      const ha1 = md5(`${get('username')}:${get('realm')}:${password}`);
      const ha2 = md5(`${req.method}:${get('uri')}`);
      const expected = md5(`${ha1}:${get('nonce')}:${get('nc')}:${get('cnonce')}:${get('qop')}:${ha2}`);
      const decodedTarget = decodeURIComponent(`http://${req.headers.host}${req.url}`).replace(/^http:\/\/[^/]+/, `http://${req.headers.host}`);
      const ok = ks !== null && get('response') === expected && get('uri') === decodedTarget && p.get('nc')?.quoted === false && get('opaque').startsWith('op-');
      const mode = naf.mode.shift() ?? 'accept';
      if (ok && mode === 'accept') res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      else res.writeHead(401, { 'WWW-Authenticate': `Digest realm="${naf.realm}", nonce="again", algorithm=MD5, qop="auth"` }).end('rejected');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  naf.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  naf.close = () => new Promise<void>((r) => server.close(() => r()));
  return naf;
}

let rig: GbaRig | null = null;
let naf: Naf | null = null;
afterEach(async () => {
  await naf?.close();
  await rig?.close();
  naf = null;
  rig = null;
});

/** The authenticator for the current NAF, with the NAF FQDN override set to NAF_FQDN unless `nafFqdn` says otherwise (null = none). */
function authenticator(r: GbaRig, reuseBootstrap = false, nafFqdn: string | null = NAF_FQDN, server = naf?.url ?? 'http://127.0.0.1:9') {
  return createNafAuthenticator({ bootstrapper: r.boot, http: r.http, clock, random, logger: r.logger, settings: { server, ...(nafFqdn !== null && { nafFqdn }), uaProtocolId: '010001002f', reuseBootstrap } });
}

describe('NafAuthenticator', () => {
  for (const gbaU of [false, true]) {
    it(`${gbaU ? 'GBA_U' : 'GBA_ME'}: probe || bootstrap, then a digest the NAF accepts (relay quirks)`, async () => {
      rig = await startRig({ profile: { gbaU } });
      naf = await startNaf(rig, 1);
      const url = `${naf.url}/phone20/mStoreRelay/oemclient/nms/v1/ums/${encodeURIComponent('tel:+12065550100')}/vvmserviceProfile`;
      const r = await authenticator(rig).request({ method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body: new TextEncoder().encode('{"a":1}') });
      expect(r.status).toBe(200);
      expect(naf.seen).toHaveLength(2);
      const [probe, authed] = naf.seen;
      expect(probe?.authorization).toBeUndefined();
      expect(probe?.body).toBe('{"a":1}');
      expect(probe?.userAgent).toBe('3gpp-gba');
      expect(authed?.body).toBe('{"a":1}');
      expect(authed?.target).toContain('tel%3A%2B12065550100');
      const a = authed?.authorization ?? '';
      expect(a).toMatch(/^Digest username="[^"]+@bsf\.msg\.pc\.t-mobile\.com",realm="3GPP-bootstrapping@wsg\.t-mobile\.com",nonce="nonce1",uri="http:\/\/127\.0\.0\.1:\d+\/phone20\/mStoreRelay\/oemclient\/nms\/v1\/ums\/tel:\+12065550100\/vvmserviceProfile",response="[0-9a-f]{32}",algorithm="MD5",cnonce="[0-9a-f]{32}",opaque="op-1",qop="auth",nc=00000001$/);
      // No secret in the log: no Authorization, no key.
      expect(JSON.stringify(rig.logger.entries)).not.toMatch(/response=|Digest /);
    });
  }

  for (const gbaU of [false, true]) {
    it(`${gbaU ? 'GBA_U' : 'GBA_ME'}: concurrent requests each authenticate with their own bootstrap, no resync`, async () => {
      rig = await startRig({ profile: { gbaU }, bsf: { latencyMs: 20 } });
      naf = await startNaf(rig);
      const auth = authenticator(rig);
      const n = naf;
      const rs = await Promise.all(['a', 'b', 'c', 'd'].map((p) => auth.request({ method: 'GET', url: `${n.url}/${p}`, headers: {} })));
      expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      // 2 BSF requests per bootstrap: SQNs reached the card in order (a resync would add a third).
      expect(rig.bsf.log).toHaveLength(8);
      expect(new Set(naf.seen.filter((x) => x.authorization !== undefined).map((x) => params(x.authorization ?? '').get('username')?.value)).size).toBe(4);
    });
  }

  it('a 401 after authenticating -> one fresh bootstrap and retry', async () => {
    rig = await startRig();
    naf = await startNaf(rig);
    naf.mode.push('reject');
    const r = await authenticator(rig).request({ method: 'GET', url: `${naf.url}/x`, headers: {} });
    expect(r.status).toBe(200);
    expect(rig.bsf.log).toHaveLength(4); // two bootstraps
    expect(naf.seen).toHaveLength(4); // probe, rejected, probe, accepted
  });

  it('rejected twice -> http.unauthorized', async () => {
    rig = await startRig();
    naf = await startNaf(rig);
    naf.mode.push('reject', 'reject');
    const e = await authenticator(rig).request({ method: 'GET', url: `${naf.url}/x`, headers: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).code).toBe('http.unauthorized');
    expect(rig.bsf.log).toHaveLength(4);
  });

  it('bootstraps per request by default; reuseBootstrap keeps the session and falls back on a 401', async () => {
    rig = await startRig();
    naf = await startNaf(rig);
    const fresh = authenticator(rig);
    await fresh.request({ method: 'GET', url: `${naf.url}/a`, headers: {} });
    await fresh.request({ method: 'GET', url: `${naf.url}/b`, headers: {} });
    expect(rig.bsf.log).toHaveLength(4);

    const reuse = authenticator(rig, true);
    await reuse.request({ method: 'GET', url: `${naf.url}/a`, headers: {} });
    await reuse.request({ method: 'GET', url: `${naf.url}/b`, headers: {} });
    expect(rig.bsf.log).toHaveLength(6);
    naf.mode.push('reject');
    expect((await reuse.request({ method: 'GET', url: `${naf.url}/c`, headers: {} })).status).toBe(200);
    expect(rig.bsf.log).toHaveLength(8);
  });

  it('reuseBootstrap: a session past its lifetime is not reused', async () => {
    rig = await startRig();
    naf = await startNaf(rig);
    let skew = 0;
    const r = rig;
    const auth = createNafAuthenticator({ bootstrapper: r.boot, http: r.http, clock: { now: () => Date.now() + skew, monotonic: () => performance.now() }, random, logger: r.logger, settings: { server: naf.url, nafFqdn: NAF_FQDN, uaProtocolId: '010001002f', reuseBootstrap: true } });
    await auth.request({ method: 'GET', url: `${naf.url}/a`, headers: {} });
    await auth.request({ method: 'GET', url: `${naf.url}/b`, headers: {} });
    expect(r.bsf.log).toHaveLength(2);
    skew = 3600_000; // the simulated BSF gives a one-hour lifetime
    await auth.request({ method: 'GET', url: `${naf.url}/c`, headers: {} });
    expect(r.bsf.log).toHaveLength(4);
  });

  it('a probe that is not challenged is returned as is and cancels the bootstrap', async () => {
    rig = await startRig({ bsf: { latencyMs: 300 } });
    naf = await startNaf(rig);
    naf.probeStatus = 504;
    const r = await authenticator(rig).request({ method: 'GET', url: `${naf.url}/x`, headers: {} });
    expect(r.status).toBe(504);
    expect(naf.seen).toHaveLength(1);
    // The bootstrap was stopped after its first request: no AKA answer was ever sent.
    await new Promise((res) => setTimeout(res, 400));
    expect(rig.bsf.log.length).toBeLessThanOrEqual(1);
    expect(rig.bsf.keyStore.size).toBe(0);
  });

  it('a malformed NAF challenge -> http.badResponse', async () => {
    rig = await startRig();
    const server = http.createServer((_q, res) => res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="unterminated' }).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const e = await authenticator(rig)
        .request({ method: 'GET', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, headers: {} })
        .catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'http.badResponse' });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('a failing bootstrap fails the request with its GBA error', async () => {
    rig = await startRig();
    naf = await startNaf(rig);
    rig.bsf.inject({ action: { kind: 'corruptAutn' } });
    const e = await authenticator(rig).request({ method: 'GET', url: `${naf.url}/x`, headers: {} }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'gba.networkNotAuthentic' });
  });

  it('cancellation aborts probe and bootstrap', async () => {
    rig = await startRig({ bsf: { latencyMs: 300 } });
    naf = await startNaf(rig);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const e = await authenticator(rig).request({ method: 'GET', url: `${naf.url}/x`, headers: {} }, { signal: ac.signal }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'op.cancelled' });
  });

  it('authenticates to the simulated mstore relay (keys shared through the BSF key store)', async () => {
    rig = await startRig({ profile: { gbaU: true } });
    const relay = await startRelay({ scenario: { msisdn: '+12065550100' }, nafKey: nafKeyLookup(rig.bsf.keyStore) });
    try {
      const url = `${relay.url}/oemclient/nms/v1/ums/${encodeURIComponent('tel:+12065550100')}/vvmserviceProfile`;
      // Default settings: the NAF FQDN is the relay URL's host, which is also what the relay keys for.
      const r = await authenticator(rig, false, null, relay.url).request({ method: 'GET', url, headers: { 'User-Agent': '3gpp-gba' } });
      expect(r.status).toBe(200);
      expect(new TextDecoder().decode(r.body)).toContain('vvmserviceProfile');
      expect(relay.stats.authenticated).toBe(1);
    } finally {
      await relay.close();
    }
  });
});

describe('NafAuthenticator: the NAF identity is the host contacted, and the realm is checked first', () => {
  it('default settings: NAF FQDN = the server host (127.0.0.1), realm 3GPP-bootstrapping@127.0.0.1 accepted', async () => {
    rig = await startRig();
    naf = await startNaf(rig);
    naf.realm = '3GPP-bootstrapping@127.0.0.1';
    naf.keyFqdn = '127.0.0.1';
    const r = await authenticator(rig, false, null).request({ method: 'GET', url: `${naf.url}/x`, headers: {} });
    expect(r.status).toBe(200);
    expect(params(naf.seen[1]?.authorization ?? '').get('realm')?.value).toBe('3GPP-bootstrapping@127.0.0.1');
  });

  it('the realm compares case-insensitively (a DNS name) and the key uses the configured FQDN', async () => {
    rig = await startRig();
    naf = await startNaf(rig);
    naf.realm = '3GPP-bootstrapping@WSG.T-Mobile.COM';
    const r = await authenticator(rig, false, 'wsg.t-mobile.com').request({ method: 'GET', url: `${naf.url}/x`, headers: {} });
    expect(r.status).toBe(200);
  });

  for (const [name, realm, nafFqdn] of [
    ['a foreign NAF with default settings', '3GPP-bootstrapping@wsg.t-mobile.com', null],
    ['another NAF than the override', '3GPP-bootstrapping@wsg2.stg.sip.t-mobile.com', 'wsg.t-mobile.com'],
    ['a suffix of ours', '3GPP-bootstrapping@evil-wsg.t-mobile.com', 'wsg.t-mobile.com'],
    ['the GBA_U-internal form', '3GPP-bootstrapping-uicc@wsg.t-mobile.com', 'wsg.t-mobile.com'],
    ['no 3GPP-bootstrapping realm at all', 'users@wsg.t-mobile.com', 'wsg.t-mobile.com'],
  ] as const) {
    it(`${name}: gba.realmMismatch naming both realms, no Authorization sent, the bootstrap cancelled`, async () => {
      rig = await startRig({ bsf: { latencyMs: 200 } });
      naf = await startNaf(rig);
      naf.realm = realm;
      const e = await authenticator(rig, false, nafFqdn).request({ method: 'GET', url: `${naf.url}/x`, headers: {} }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(GbaError);
      const g = e as GbaError;
      const ours = nafFqdn ?? '127.0.0.1';
      expect(g.code).toBe('gba.realmMismatch');
      expect(g.message).toContain(realm);
      expect(g.message).toContain(`3GPP-bootstrapping@${ours}`);
      expect(g.detail).toMatchObject({ realm, expectedRealm: `3GPP-bootstrapping@${ours}`, nafFqdn: ours });
      expect(g.action).toBe(realm.startsWith('users@') || realm.includes('-uicc@') ? 'checkServer' : 'setNafFqdn');
      expect(g.hint).toBeTruthy();
      expect(g.hint).not.toMatch(/--/); // the window shows it too: no CLI words
      expect(naf.seen.map((x) => x.authorization)).toEqual([undefined]);
      // The bootstrap running alongside was stopped before it finished: no key was ever made.
      await new Promise((res) => setTimeout(res, 500));
      expect(rig.bsf.keyStore.size).toBe(0);
      expect(rig.logger.entries.some((x) => x.msg === 'naf realm mismatch')).toBe(true);
    });
  }

  it('a relay claiming a foreign realm (public name) is refused; the override makes it work', async () => {
    rig = await startRig();
    const relay = await startRelay({ scenario: { msisdn: '+12065550100' }, nafKey: nafKeyLookup(rig.bsf.keyStore), publicName: 'wsg.t-mobile.com' });
    try {
      const url = `${relay.url}/oemclient/nms/v1/ums/${encodeURIComponent('tel:+12065550100')}/vvmserviceProfile`;
      const e = await authenticator(rig, false, null, relay.url).request({ method: 'GET', url, headers: {} }).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'gba.realmMismatch', detail: { realm: '3GPP-bootstrapping@wsg.t-mobile.com', realmFqdn: 'wsg.t-mobile.com', nafFqdn: '127.0.0.1' } });
      expect(relay.stats.log.some((x) => x.sentAuthorization)).toBe(false);
      const r = await authenticator(rig, false, 'wsg.t-mobile.com', relay.url).request({ method: 'GET', url, headers: {} });
      expect(r.status).toBe(200);
    } finally {
      await relay.close();
    }
  });
});
