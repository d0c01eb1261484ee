import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toHex } from '../../../../shared/bytes.js';
import { bsfHostFromImpi, bsfHostFromPlmn, bsfUrl } from '../../../../main/protocol/gba/bsf-address.js';
import { checkBtid } from '../../../../main/protocol/gba/btid.js';
import { buildNafId, effectiveNafFqdn, nafFqdnFromRealm, nafFqdnFromServer, realmMatchesNaf } from '../../../../main/protocol/gba/naf-id.js';
import { buildAkaNonce, splitAkaNonce } from '../../../../main/protocol/gba/nonce.js';
import { GbaFormatError } from '../../../../main/protocol/gba/format-error.js';
import digest from '../../../fixtures/vectors/digest.json' with { type: 'json' };
import milenage from '../../../fixtures/vectors/milenage.json' with { type: 'json' };
import kdf from '../../../fixtures/vectors/gba-kdf.json' with { type: 'json' };

describe('AKA nonce (RFC 3310 3.2)', () => {
  it('splits the vector nonce into RAND and AUTN of MILENAGE set 1', () => {
    const row = digest.vectors[3];
    const set1 = milenage.sets[0];
    if (!row || !set1) throw new Error('vectors missing');
    const n = splitAkaNonce(row.nonce);
    expect(toHex(n.rand)).toBe(set1.RAND);
    expect(toHex(n.autn)).toBe(set1.derived_AUTN);
    expect(n.serverData).toHaveLength(0);
  });
  it('keeps server data and round-trips', () => {
    const rand = fromHex('00112233445566778899aabbccddeeff');
    const autn = fromHex('ffeeddccbbaa99887766554433221100');
    const n = splitAkaNonce(buildAkaNonce({ rand, autn, serverData: Uint8Array.of(1, 2, 3) }));
    expect(toHex(n.serverData)).toBe('010203');
    expect(toHex(n.autn)).toBe(toHex(autn));
  });
  for (const [name, nonce] of [
    ['not base64', 'not*base64'],
    ['too short', 'AAAA'],
    ['31 bytes', 'A'.repeat(40) + 'AA=='],
    ['huge', 'A'.repeat(5000)],
    ['empty', ''],
  ] as const) {
    it(`rejects ${name}`, () => expect(() => splitAkaNonce(nonce)).toThrow(GbaFormatError));
  }
});

describe('BSF address (TS 23.003 16.2)', () => {
  it('IMPI in 3gppnetwork.org gets .pub', () => {
    expect(bsfHostFromImpi('310260123456789@ims.mnc260.mcc310.3gppnetwork.org')).toBe('bsf.ims.mnc260.mcc310.pub.3gppnetwork.org');
  });
  it('other domains are prefixed with bsf. (T-Mobile: the host in public client code)', () => {
    expect(bsfHostFromImpi('310260123456789@msg.pc.t-mobile.com')).toBe('bsf.msg.pc.t-mobile.com');
    expect(bsfUrl(bsfHostFromImpi('x@MSG.pc.t-mobile.com'))).toBe('https://bsf.msg.pc.t-mobile.com/');
  });
  it('already .pub stays as is', () => {
    expect(bsfHostFromImpi('a@mnc260.mcc310.pub.3gppnetwork.org')).toBe('bsf.mnc260.mcc310.pub.3gppnetwork.org');
  });
  it('from MCC and MNC pads the MNC to 3 digits', () => {
    expect(bsfHostFromPlmn('310', '260')).toBe('bsf.mnc260.mcc310.pub.3gppnetwork.org');
    expect(bsfHostFromPlmn('234', '15')).toBe('bsf.mnc015.mcc234.pub.3gppnetwork.org');
  });
  it('rejects bad input', () => {
    expect(() => bsfHostFromImpi('no-domain')).toThrow(GbaFormatError);
    expect(() => bsfHostFromImpi('a@bad domain')).toThrow(GbaFormatError);
    expect(() => bsfHostFromPlmn('31', '260')).toThrow(GbaFormatError);
  });
});

describe('NAF_Id (TS 33.220 Annex H)', () => {
  it('is the FQDN followed by the 5-byte Ua protocol id, as in the KDF vector', () => {
    const v = kdf.vectors[0];
    if (!v) throw new Error('kdf vector missing');
    const id = buildNafId(v.NAF_FQDN, v.Ua_security_protocol_id);
    expect(toHex(id)).toBe(toHex(new TextEncoder().encode(v.NAF_FQDN)) + v.Ua_security_protocol_id);
    expect(v.S_hex).toContain(toHex(id));
  });
  it('rejects a realm, a short protocol id and non-hex', () => {
    expect(() => buildNafId('3GPP-bootstrapping@wsg.t-mobile.com', '010001002f')).toThrow(GbaFormatError);
    expect(() => buildNafId('wsg.t-mobile.com', '0100')).toThrow(GbaFormatError);
    expect(() => buildNafId('wsg.t-mobile.com', 'zz0001002f')).toThrow(GbaFormatError);
  });
  it('extracts the NAF host from the realm', () => {
    expect(nafFqdnFromRealm('3GPP-bootstrapping@wsg.t-mobile.com')).toBe('wsg.t-mobile.com');
    expect(nafFqdnFromRealm('testrealm@host.com')).toBeNull();
  });
});

describe('the NAF FQDN in use: the host contacted (TS 33.220 4.5.3, TS 24.109 5.3.1)', () => {
  const cases: Array<[string, string]> = [
    ['https://wsg.t-mobile.com/phone20/mStoreRelay', 'wsg.t-mobile.com'],
    ['https://WSG2.Stg.SIP.T-Mobile.com:443/phone20/mStoreRelay', 'wsg2.stg.sip.t-mobile.com'],
    ['http://127.0.0.1:40123/phone20/mStoreRelay', '127.0.0.1'],
    ['http://localhost:8080/x', 'localhost'],
    ['https://[::1]:8443/phone20/mStoreRelay', '::1'],
    ['https://[2001:DB8::1]/x', '2001:db8::1'],
    ['https://user:pw@wsg.t-mobile.com./x', 'wsg.t-mobile.com'],
    ['https://bücher.example/x', 'xn--bcher-kva.example'],
  ];
  for (const [url, fqdn] of cases) it(`${url} -> ${fqdn}`, () => expect(nafFqdnFromServer(url)).toBe(fqdn));
  it('refuses what has no host', () => {
    for (const bad of ['not a url', 'file:///etc/passwd', 'mailto:a@b.c']) expect(() => nafFqdnFromServer(bad), bad).toThrow(GbaFormatError);
  });
  it('the override wins, lower-cased; an invalid override is refused', () => {
    expect(effectiveNafFqdn({ server: 'http://127.0.0.1:1/x', nafFqdn: 'WSG.T-Mobile.com' })).toBe('wsg.t-mobile.com');
    expect(effectiveNafFqdn({ server: 'http://127.0.0.1:1/x' })).toBe('127.0.0.1');
    expect(() => effectiveNafFqdn({ server: 'http://127.0.0.1:1/x', nafFqdn: '3GPP-bootstrapping@wsg.t-mobile.com' })).toThrow(GbaFormatError);
    expect(toHex(buildNafId('::1', '010001002f'))).toBe('3a3a31010001002f');
  });
  it('realm comparison: exact host, any case, no -uicc, no suffix or prefix games', () => {
    expect(realmMatchesNaf('3GPP-bootstrapping@wsg.t-mobile.com', 'wsg.t-mobile.com')).toBe(true);
    expect(realmMatchesNaf('3GPP-Bootstrapping@WSG.T-MOBILE.COM', 'wsg.t-mobile.com')).toBe(true);
    for (const r of ['3GPP-bootstrapping-uicc@wsg.t-mobile.com', '3GPP-bootstrapping@wsg.t-mobile.com.evil', '3GPP-bootstrapping@evil.wsg.t-mobile.com', 'wsg.t-mobile.com', '3GPP-bootstrapping@', 'x3GPP-bootstrapping@wsg.t-mobile.com']) {
      expect(realmMatchesNaf(r, 'wsg.t-mobile.com'), r).toBe(false);
    }
  });
});

describe('B-TID (TS 33.220 4.5.2)', () => {
  it('accepts base64(RAND)@host', () => {
    const v = kdf.vectors[0];
    if (!v) throw new Error('kdf vector missing');
    expect(checkBtid(v.B_TID_example)).toBe(v.B_TID_example);
    expect(toHex(fromBase64(v.B_TID_example.split('@')[0] ?? ''))).toBe(v.RAND);
  });
  for (const b of ['', '@host', 'abc', 'a b@host.org', 'QUJD@@host', 'QUJD@ho st', 'QUJD@host"', 'Q!JD@host', 'A'.repeat(300) + '@h']) {
    it(`rejects ${JSON.stringify(b.slice(0, 20))}`, () => expect(() => checkBtid(b)).toThrow(GbaFormatError));
  }
});
