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

  const rejected: [string, string][] = [
    ['another outer host', ext('/objects/abc', 'https://evil.example.com')],
    ['another outer port', ext('/objects/abc', 'https://wsg.t-mobile.com:8443')],
    ['userinfo', ext('/objects/abc', 'https://wsg.t-mobile.com@evil.example.com')],
    ['another backend host', 'https://wsg.t-mobile.com/phone20/mStoreRelay?path=http://evil.example.com/oemclient/nms/v1/ums/x/objects/abc'],
    ['dot-dot', ext('/objects/../../vvmserviceProfile')],
    ['dot-dot before objects', ext('/../../x/objects/abc')],
    ['encoded dots', ext('/objects/%2e%2e/abc')],
    ['encoded slash', ext('/objects/a%2fb')],
    ['encoded backslash', ext('/objects/a%5Cb')],
    ['backslash', ext('/objects/a\\..\\b')],
    ['no objects', ext('/folders/abc')],
    ['plain URL outside the base', 'https://wsg.t-mobile.com/other/objects/abc'],
    ['not a URL', 'javascript:alert(1)'],
    ['extra query', ext('/objects/abc?x=1')],
    ['whitespace', ext('/objects/a b')],
  ];
  for (const [name, url] of rejected) it(`rejects ${name}`, () => expect(objectPathFromUrl(url, trust)).toBeNull());

  it('accepts a loopback relay as configured', () => {
    const t = { server: 'http://127.0.0.1:4000/phone20/mStoreRelay' };
    expect(objectPathFromUrl('http://127.0.0.1:4000/phone20/mStoreRelay?path=http://wsg.mstore.msg.eng.t-mobile.com:8082/oemclient/nms/v1/ums/x/objects/abc', t)).toBe('abc');
    expect(objectPathFromUrl('http://127.0.0.1:4001/phone20/mStoreRelay?path=http://wsg.mstore.msg.eng.t-mobile.com:8082/oemclient/nms/v1/ums/x/objects/abc', t)).toBeNull();
  });
});
