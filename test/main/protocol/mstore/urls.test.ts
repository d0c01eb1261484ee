import { describe, expect, it } from 'vitest';
import { flagUrl, objectPathFromUrl, objectUrl, quotaUrl, umsBase, FOLDER_IDS } from '../../../../main/protocol/mstore/urls.js';

const server = 'https://wsg.t-mobile.com/phone20/mStoreRelay';
const ums = umsBase(server, '+12065550100');

describe('URL builders', () => {
  it('percent-encodes the tel URI into the path', () => {
    expect(ums).toBe('https://wsg.t-mobile.com/phone20/mStoreRelay/oemclient/nms/v1/ums/tel%3A%2B12065550100');
    expect(umsBase(`${server}/`, '+12065550100')).toBe(ums);
    expect(() => umsBase(server, '2065550100')).toThrow(RangeError);
  });
  it('encodes the quota query into the path', () => {
    expect(quotaUrl(ums, 'voicemail')).toBe(`${ums}/folders/${FOLDER_IDS.voicemail}%3FattrFilter%3DQuota`);
  });
  it('encodes the greeting flag', () => {
    expect(flagUrl(ums, 'abc', '$CNS-Greeting-On')).toBe(`${ums}/objects/abc/flags/%24CNS-Greeting-On`);
  });
  it('refuses unsafe object paths', () => {
    for (const bad of ['', '../x', 'a/../b', 'a/%2e%2e/b', 'a%2Fb', 'a\\b', 'a?b', 'a#b', 'a//b', './a', 'a%00']) expect(() => objectUrl(ums, bad)).toThrow(RangeError);
    expect(objectUrl(ums, 'abc/payloadParts/part1')).toBe(`${ums}/objects/abc/payloadParts/part1`);
  });
});

describe('objectPathFromUrl', () => {
  const trust = { server };
  const ext = (p: string, outer = 'https://wsg.t-mobile.com:443') => `${outer}/phone20/mStoreRelay?path=http://wsg.mstore.msg.eng.t-mobile.com:8082/oemclient/nms/v1/ums/tel%3A%2B12065550100${p}`;

  it('takes only the path after the last /objects/ of an extended URL', () => {
    expect(objectPathFromUrl(ext('/objects/abc123'), trust)).toBe('abc123');
    expect(objectPathFromUrl(ext('/objects/abc/payloadParts/part1'), trust)).toBe('abc/payloadParts/part1');
    expect(objectPathFromUrl(ext('/objects/x/objects/y'), trust)).toBe('y');
    expect(objectPathFromUrl(`${ums}/objects/abc`, trust)).toBe('abc');
  });

  it('takes the path whatever hosts and ports the URL names (the relay does not rewrite them), outer and backend', () => {
    const seen: string[] = [];
    const t = { server, onUnexpectedHost: (h: string) => seen.push(h) };
    expect(objectPathFromUrl(ext('/objects/abc', 'https://wsg2.stg.sip.t-mobile.com:8443'), t)).toBe('abc');
    expect(objectPathFromUrl(ext('/objects/abc', 'http://127.0.0.1:4001'), t)).toBe('abc');
    expect(objectPathFromUrl('https://proxy.example/phone20/mStoreRelay?path=http://10.1.2.3:9090/oemclient/nms/v1/ums/x/objects/abc/payloadParts/part1', t)).toBe('abc/payloadParts/part1');
    expect(objectPathFromUrl('https://[2001:db8::1]:443/any/base/oemclient/nms/v1/ums/x/objects/abc', t)).toBe('abc');
    expect(objectPathFromUrl('HTTPS://WSG.T-MOBILE.COM/phone20/mStoreRelay/oemclient/nms/v1/ums/x/objects/abc', t)).toBe('abc');
    // Each host that is neither ours nor the production backend is reported (for a debug log), nothing else.
    expect(seen).toEqual(['wsg2.stg.sip.t-mobile.com:8443', '127.0.0.1:4001', 'proxy.example:443', '10.1.2.3:9090', '[2001:db8::1]:443']);
    seen.length = 0;
    expect(objectPathFromUrl(ext('/objects/abc'), t)).toBe('abc');
    expect(seen).toEqual([]);
  });

  const rejected: [string, string][] = [
    ['userinfo', ext('/objects/abc', 'https://wsg.t-mobile.com@evil.example.com')],
    ['userinfo in the backend URL', 'https://wsg.t-mobile.com/phone20/mStoreRelay?path=http://a@evil.example.com/oemclient/nms/v1/ums/x/objects/abc'],
    ['dot-dot', ext('/objects/../../vvmserviceProfile')],
    ['dot-dot before objects', ext('/../../x/objects/abc')],
    ['dot segment', ext('/objects/./abc')],
    ['encoded dots', ext('/objects/%2e%2e/abc')],
    ['encoded dots, upper case', ext('/objects/%2E%2E/abc')],
    ['encoded dots before objects', ext('/%2e%2e/objects/abc')],
    ['encoded slash', ext('/objects/a%2fb')],
    ['encoded slash, upper case', ext('/objects/a%2Fb')],
    ['encoded backslash', ext('/objects/a%5Cb')],
    ['encoded percent', ext('/objects/a%252e%252e')],
    ['encoded NUL', ext('/objects/a%00')],
    ['encoded CR, LF, DEL', ext('/objects/a%0d%0Ab%7F')],
    ['encoded ? and #', ext('/objects/a%3Fx=1%23f')],
    ['encoded CR on another base path', 'https://wsg.t-mobile.com/~/objects/%0d'],
    ['backslash', ext('/objects/a\\..\\b')],
    ['empty object path', ext('/objects/')],
    ['empty segment', ext('/objects/a//b')],
    ['no objects', ext('/folders/abc')],
    ['plain URL without objects', 'https://wsg.t-mobile.com/phone20/mStoreRelay/oemclient/nms/v1/ums/x/vvmserviceProfile'],
    ['not a URL', 'javascript:alert(1)'],
    ['another scheme', 'ftp://wsg.t-mobile.com/x/objects/abc'],
    ['relative', '/phone20/mStoreRelay/objects/abc'],
    ['a query other than path=', 'https://wsg.t-mobile.com/phone20/mStoreRelay?x=http://h/objects/abc'],
    ['extra query', ext('/objects/abc?x=1')],
    ['fragment', ext('/objects/abc#x')],
    ['whitespace', ext('/objects/a b')],
    ['invalid characters', ext('/objects/a<b>')],
  ];
  for (const [name, url] of rejected) it(`rejects ${name}`, () => expect(objectPathFromUrl(url, { server, onUnexpectedHost: () => {} })).toBeNull());
});
