import { describe, expect, it } from 'vitest';
import { fromHex, utf8 } from '../../../../shared/bytes.js';
import { computeDigestResponse, computeRspauth, decodedUri, formatNc } from '../../../../main/protocol/digest/response.js';
import { formatAuthorization, echoedParams, quote } from '../../../../main/protocol/digest/authorization.js';
import { parseChallenges, parseDigestCredentials, selectDigestChallenge, type DigestAlgorithm } from '../../../../main/protocol/digest/challenge.js';
import vectors from '../../../fixtures/vectors/digest.json' with { type: 'json' };

function algo(a: string): DigestAlgorithm {
  if (a === 'MD5' || a === 'SHA-256' || a === 'AKAv1-MD5') return a;
  throw new Error(`vector uses unknown algorithm ${a}`);
}
function qopOf(q: string): 'auth' | 'auth-int' {
  if (q === 'auth' || q === 'auth-int') return q;
  throw new Error(`vector uses unknown qop ${q}`);
}

describe('digest response known answers (test/fixtures/vectors/digest.json)', () => {
  it('has all six rows', () => {
    expect(vectors.vectors).toHaveLength(6);
  });
  for (const v of vectors.vectors) {
    it(v.name, () => {
      const password = 'password_hex' in v && typeof v.password_hex === 'string' ? fromHex(v.password_hex) : utf8(v.password ?? '');
      const body = 'entity_body' in v && typeof v.entity_body === 'string' ? utf8(v.entity_body) : undefined;
      const got = computeDigestResponse({
        algorithm: algo(v.algorithm),
        username: v.username,
        realm: v.realm,
        password,
        method: v.method,
        uri: v.uri,
        nonce: v.nonce,
        qop: qopOf(v.qop),
        nc: v.nc,
        cnonce: v.cnonce,
        ...(body !== undefined && { body }),
      });
      expect(got).toBe(v.response);
    });
  }

  it('auth-int hashes the body: a different body changes the response', () => {
    const base = { algorithm: 'AKAv1-MD5' as const, username: 'u', realm: 'r', password: fromHex('0102'), method: 'GET', uri: '/', nonce: 'n', qop: 'auth-int' as const, nc: '00000001', cnonce: 'c' };
    expect(computeDigestResponse({ ...base, body: utf8('x') })).not.toBe(computeDigestResponse(base));
    expect(computeDigestResponse({ ...base, body: new Uint8Array() })).toBe(computeDigestResponse(base));
  });

  it('MD5-sess and SHA-256-sess differ from the plain forms and depend on cnonce', () => {
    const base = { username: 'u', realm: 'r', password: utf8('p'), method: 'GET', uri: '/', nonce: 'n', qop: 'auth' as const, nc: '00000001', cnonce: 'c' };
    for (const [plain, sess] of [['MD5', 'MD5-sess'], ['SHA-256', 'SHA-256-sess']] as const) {
      const a = computeDigestResponse({ ...base, algorithm: plain });
      const b = computeDigestResponse({ ...base, algorithm: sess });
      expect(b).not.toBe(a);
      expect(computeDigestResponse({ ...base, algorithm: sess, cnonce: 'd' })).not.toBe(b);
    }
  });

  it('RFC 2069 form (no qop) ignores nc and cnonce', () => {
    const base = { algorithm: 'MD5' as const, username: 'u', realm: 'r', password: utf8('p'), method: 'GET', uri: '/', nonce: 'n', qop: undefined, nc: '00000001', cnonce: 'c' };
    expect(computeDigestResponse({ ...base, cnonce: 'other', nc: '00000002' })).toBe(computeDigestResponse(base));
  });

  it('rspauth uses an empty method and is distinct from the response', () => {
    const v = vectors.vectors[3];
    if (!v) throw new Error('vector row 4 missing');
    const input = { algorithm: 'AKAv1-MD5' as const, username: v.username, realm: v.realm, password: fromHex(v.password_hex ?? ''), method: 'GET', uri: '/', nonce: v.nonce, qop: 'auth-int' as const, nc: '00000001', cnonce: '0a4f113b' };
    const rsp = computeRspauth(input, utf8('<xml/>'));
    expect(rsp).toMatch(/^[0-9a-f]{32}$/);
    expect(rsp).toBe(computeDigestResponse({ ...input, method: '', body: utf8('<xml/>') }));
    expect(rsp).not.toBe(computeRspauth(input, utf8('<xml />')));
  });
});

describe('helpers', () => {
  it('formatNc gives 8 hex digits', () => {
    expect(formatNc(1)).toBe('00000001');
    expect(formatNc(0x1ab)).toBe('000001ab');
    expect(() => formatNc(0)).toThrow(RangeError);
  });
  it('decodedUri decodes percent escapes (the relay digests the decoded URL)', () => {
    expect(decodedUri('https://wsg.t-mobile.com/phone20/mStoreRelay/oemclient/nms/v1/ums/tel%3A%2B12065550100/folders/x%3FattrFilter%3DQuota')).toBe(
      'https://wsg.t-mobile.com/phone20/mStoreRelay/oemclient/nms/v1/ums/tel:+12065550100/folders/x?attrFilter=Quota',
    );
    expect(decodedUri('https://h/a%24CNS-Greeting-On')).toBe('https://h/a$CNS-Greeting-On');
    expect(decodedUri('https://h/%E2%82%AC%ZZ%ff')).toBe('https://h/€%ZZ%ff');
  });
  it('quote escapes quotes and backslashes and refuses CR/LF', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => quote('a\r\nX-Injected: 1')).toThrow(/control character/);
  });
});

describe('formatAuthorization', () => {
  const ch = selectDigestChallenge(parseChallenges(['Digest realm="3GPP-bootstrapping@wsg.t-mobile.com", nonce="abc", qop="auth", opaque="op\\"aq", algorithm=MD5, x-extra=7']), ['MD5']);
  const creds = {
    username: 'btid@bsf',
    realm: ch.realm,
    nonce: ch.nonce,
    uri: 'https://wsg.t-mobile.com/a/tel:+1',
    response: '0123',
    algorithm: 'MD5',
    cnonce: 'cn',
    qop: 'auth',
    nc: '00000001',
    opaque: ch.opaque,
    extra: echoedParams(ch),
  };
  it('reference style: everything quoted except nc, every challenge param echoed, "," separators', () => {
    const s = formatAuthorization(creds, 'reference');
    expect(s).toBe(
      'Digest username="btid@bsf",realm="3GPP-bootstrapping@wsg.t-mobile.com",nonce="abc",uri="https://wsg.t-mobile.com/a/tel:+1",response="0123",algorithm="MD5",cnonce="cn",opaque="op\\"aq",qop="auth",nc=00000001,x-extra="7"',
    );
  });
  it('rfc style leaves algorithm, qop and nc as tokens', () => {
    const s = formatAuthorization(creds, 'rfc');
    expect(s).toContain(',algorithm=MD5,');
    expect(s).toContain(',qop=auth,');
    expect(s).toContain(',nc=00000001');
  });
  it('round-trips through the parser', () => {
    const p = parseDigestCredentials(formatAuthorization(creds, 'reference'));
    expect(p.get('opaque')).toBe('op"aq');
    expect(p.get('nc')).toBe('00000001');
    expect(p.get('uri')).toBe(creds.uri);
    expect(p.get('x-extra')).toBe('7');
  });
  it('refuses a non-token nc', () => {
    expect(() => formatAuthorization({ ...creds, nc: '0 1' }, 'reference')).toThrow(/not a token/);
  });
});
