// The NAF identity diagnosis (a separate doctor / Diagnostics step) against the simulated relay reached
// under different names, and against a server that does not challenge.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttp } from '../../../../main/adapters/http/node-http.js';
import { GbaError, HttpError } from '../../../../main/errors.js';
import { checkNafRealm, describeNafRealm, diagnoseNafRealm } from '../../../../main/services/gba/naf-realm.js';
import { startRelay, type RelayHandle } from '../../../../main/sim/carrier/relay.js';

const port = createNodeHttp({ connectTimeoutMs: 2000, readTimeoutMs: 5000, maxResponseBytes: 1 << 20 });
const TEL = encodeURIComponent('tel:+12065550100');
let plain: RelayHandle;
let named: RelayHandle;

beforeAll(async () => {
  plain = await startRelay({ scenario: { msisdn: '+12065550100' }, nafKey: () => null });
  named = await startRelay({ scenario: { msisdn: '+12065550100' }, nafKey: () => null, publicName: 'wsg.t-mobile.com' });
});
afterAll(async () => {
  await plain.close();
  await named.close();
});

const profileAt = (base: string) => `${base}/oemclient/nms/v1/ums/${TEL}/vvmserviceProfile`;

describe('NAF realm diagnosis', () => {
  it('default settings: the realm follows the host reached, 127.0.0.1 and localhost alike', async () => {
    for (const base of [plain.url, plain.urlAt('localhost')]) {
      const d = await checkNafRealm(port, profileAt(base), { server: base });
      const host = new URL(base).hostname;
      expect(d).toEqual({ realm: `3GPP-bootstrapping@${host}`, nafFqdn: host, nafFqdnFrom: 'server', expectedRealm: `3GPP-bootstrapping@${host}` });
      expect(describeNafRealm(d)).toContain('the server’s host');
    }
  });

  it('a relay keyed for another name: gba.realmMismatch naming both, action setNafFqdn; the override agrees', async () => {
    const e = await checkNafRealm(port, profileAt(named.url), { server: named.url }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GbaError);
    expect(e).toMatchObject({ code: 'gba.realmMismatch', action: 'setNafFqdn', detail: { realm: '3GPP-bootstrapping@wsg.t-mobile.com', expectedRealm: '3GPP-bootstrapping@127.0.0.1', realmFqdn: 'wsg.t-mobile.com' } });
    const d = await checkNafRealm(port, profileAt(named.url), { server: named.url, nafFqdn: 'WSG.T-Mobile.com' });
    expect(d.nafFqdnFrom).toBe('override');
    expect(describeNafRealm(d)).toContain('the NAF FQDN setting');
  });

  it('pure comparison: IPv6 literal without brackets, case and a root dot ignored, prefixes refused', () => {
    expect(diagnoseNafRealm('3GPP-bootstrapping@::1', { server: 'https://[::1]:8443/x' }).nafFqdn).toBe('::1');
    expect(diagnoseNafRealm('3gpp-bootstrapping@WSG.t-mobile.com.', { server: 'https://wsg.t-mobile.com:443/phone20/mStoreRelay' }).nafFqdn).toBe('wsg.t-mobile.com');
    expect(() => diagnoseNafRealm('3GPP-bootstrapping@t-mobile.com', { server: 'https://wsg.t-mobile.com/' })).toThrow(GbaError);
  });

  it('no Digest challenge: http.badResponse with action checkServer', async () => {
    const server = http.createServer((_q, res) => res.writeHead(200).end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const e = await checkNafRealm(port, `${base}/x`, { server: base }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(HttpError);
      expect(e).toMatchObject({ code: 'http.badResponse', action: 'checkServer' });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
