// The simulated relay itself: each quirk of the real mStoreRelay, shown by a raw request that gets it
// wrong and is refused, next to one that gets it right. Raw sockets, so nothing is smoothed over, and the
// digests are computed here with node:crypto (not with the client's digest code).
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../../shared/bytes.js';
import { startRelay, type RelayHandle } from '../../../main/sim/carrier/relay.js';
import { fixedKey } from '../../support/mstore-fixed-key.js';
import { syntheticAmr, voicemails, MSISDN } from '../services/mstore/harness.js';
import { greetingMultipart } from '../../../main/protocol/mstore/bodies.js';

const key = fixedKey();
let relay: RelayHandle;
let host = '';
const UMS = `/phone20/mStoreRelay/oemclient/nms/v1/ums/${encodeURIComponent(`tel:${MSISDN}`)}`;

beforeAll(async () => {
  relay = await startRelay({ scenario: { msisdn: MSISDN, voicemails: voicemails(3), greetings: [{ date: '2026-01-01T00:00:00Z', audioBase64: toBase64(syntheticAmr(10)) }] }, nafKey: key.nafKey });
  host = `127.0.0.1:${relay.port}`;
});
afterAll(() => relay.close());

interface Raw {
  statusLine: string;
  status: number;
  headers: Map<string, string>;
  body: string;
  raw: string;
}

function send(text: string | Buffer): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const s = net.connect(relay.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('error', reject);
    s.on('end', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const i = raw.indexOf('\r\n\r\n');
      const lines = raw.slice(0, i).split('\r\n');
      const headers = new Map<string, string>();
      for (const l of lines.slice(1)) headers.set(l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim());
      resolve({ statusLine: lines[0] ?? '', status: Number((lines[0] ?? '').split(' ')[1]), headers, body: raw.slice(i + 4), raw });
    });
    s.end(text);
  });
}

interface Req {
  method: string;
  target: string;
  ua?: string | null;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

function build(r: Req, auth?: string, hostHeader: string | null = host): Buffer {
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
  const h: string[] = [`${r.method} ${r.target} HTTP/1.1`];
  if (hostHeader !== null) h.push(`Host: ${hostHeader}`);
  if (r.ua !== null) h.push(`User-Agent: ${r.ua ?? '3gpp-gba'}`);
  for (const [k, v] of Object.entries(r.headers ?? {})) h.push(`${k}: ${v}`);
  if (auth) h.push(`Authorization: ${auth}`);
  if (body.length > 0) h.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(h.join('\r\n') + '\r\n\r\n'), body]);
}

interface AuthTweak {
  key?: Uint8Array;
  quoteNc?: boolean;
  uri?: string;
  reuseNonce?: string;
  btid?: string;
  /** The opaque to send back: default the challenge's; null = leave it out. */
  opaque?: string | null;
  /** Upper-case the hex response. */
  upperResponse?: boolean;
  /** The realm to answer with (default the challenge's). */
  realm?: string;
  /** Replaces the Host header of both requests. */
  host?: string;
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** RFC 7616 3.4.1 with MD5 and qop=auth, written out here. */
function digestResponse(f: { username: string; realm: string; password: string; method: string; uri: string; nonce: string; nc: string; cnonce: string }): string {
  const ha1 = md5(`${f.username}:${f.realm}:${f.password}`);
  const ha2 = md5(`${f.method}:${f.uri}`);
  return md5(`${ha1}:${f.nonce}:${f.nc}:${f.cnonce}:auth:${ha2}`);
}

/** Probe, then answer the challenge (optionally getting something wrong), return the final response. */
async function authed(r: Req, t: AuthTweak = {}): Promise<Raw & { nonce: string }> {
  const h = t.host ?? host;
  const probe = await send(build(r, undefined, h));
  expect(probe.status).toBe(401);
  const wa = probe.headers.get('www-authenticate') ?? '';
  const nonce = t.reuseNonce ?? /nonce="([^"]+)"/.exec(wa)?.[1] ?? '';
  const realm = t.realm ?? /realm="([^"]+)"/.exec(wa)?.[1] ?? '';
  const opaque = t.opaque === undefined ? /opaque="([^"]+)"/.exec(wa)?.[1] : t.opaque;
  const uri = t.uri ?? decodeURIComponent(`http://${h}${r.target}`);
  const cnonce = randomBytes(16).toString('hex');
  const btid = t.btid ?? key.btid;
  let response = digestResponse({ username: btid, realm, password: toBase64(t.key ?? key.ksNaf), method: r.method, uri, nonce, nc: '00000001', cnonce });
  if (t.upperResponse) response = response.toUpperCase();
  const nc = t.quoteNc ? 'nc="00000001"' : 'nc=00000001';
  const op = opaque === null || opaque === undefined ? '' : `,opaque="${opaque}"`;
  const auth = `Digest username="${btid}",realm="${realm}",nonce="${nonce}",uri="${uri.replace(/(["\\])/g, '\\$1')}",response="${response}",algorithm="MD5",cnonce="${cnonce}"${op},qop="auth",${nc}`;
  return { ...(await send(build(r, auth, h))), nonce };
}

const profile: Req = { method: 'GET', target: `${UMS}/vvmserviceProfile` };

describe('transport', () => {
  it('answers HTTP/1.0, closes the connection, challenges with a one-time nonce', async () => {
    const p = await send(build(profile));
    expect(p.statusLine).toBe('HTTP/1.0 401 Unauthorized');
    expect(p.headers.get('connection')).toBe('close');
    // The realm names the host it was reached at (the Host header), and the challenge carries an opaque.
    expect(p.headers.get('www-authenticate')).toMatch(/^Digest realm="3GPP-bootstrapping@127\.0\.0\.1", nonce="[^"]+", algorithm=MD5, qop="auth", opaque="[0-9a-f]{24}"$/);
    const ok = await authed(profile);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toHaveProperty('vvmserviceProfile.attributes.attribute');
    const replay = await authed(profile, { reuseNonce: ok.nonce });
    expect(replay.status).toBe(401);
  });

  it('a wrong User-Agent gets 504, before and after authentication', async () => {
    expect((await send(build({ ...profile, ua: 'Mozilla/5.0' }))).status).toBe(504);
    expect((await send(build({ ...profile, ua: null }))).status).toBe(504);
  });

  it('a quoted nc gets 400 MSTORE_RLY-MST_NWKERR', async () => {
    const r = await authed(profile, { quoteNc: true });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: 'MSTORE_RLY-MST_NWKERR' });
  });

  it('the digest uri must be the absolute, decoded URL', async () => {
    expect((await authed(profile, { uri: `http://${host}${profile.target}` })).status).toBe(401); // still encoded
    expect((await authed(profile, { uri: decodeURIComponent(profile.target) })).status).toBe(401); // not absolute
  });

  it('an unknown B-TID, or the wrong NAF key, is refused', async () => {
    expect((await authed(profile, { btid: 'AAAA@bsf.test' })).status).toBe(401);
    expect((await authed(profile, { key: new Uint8Array(32) })).status).toBe(401);
    expect((await authed(profile)).status).toBe(200);
  });

  it('payload downloads come without Content-Length, base64 with CRLF lines', async () => {
    const list = await authed(searchReq('voicemail'));
    const obj = JSON.parse(list.body).objectList.object[0];
    const href: string = obj.payloadPart[0].href;
    const path = href.slice(href.lastIndexOf('/objects/'));
    const r = await authed({ method: 'GET', target: `${UMS}${path}` });
    expect(r.status).toBe(200);
    expect(r.headers.has('content-length')).toBe(false);
    expect(r.headers.get('content-transfer-encoding')).toBe('base64');
    expect(Buffer.from(r.body.replace(/\r\n/g, ''), 'base64').subarray(0, 6).toString()).toBe('#!AMR\n');
  });
});

function searchReq(folder: 'voicemail' | 'greeting', extra: object = {}, contentType = 'application/json'): Req {
  const id = folder === 'voicemail' ? '27a29814-dd8f-43ee-b768-19af98bf1d07' : 'c1a7c823-fdd1-4857-8d44-b315444d2a83';
  const body = JSON.stringify({
    selectionCriteria: {
      maxEntries: 100,
      searchScope: { resourceURL: `https://wsg.t-mobile.com${UMS}/folders/${id}` },
      searchCriteria: { operator: 'Not', criterion: [{ type: 'PurgedObject', value: '' }] },
      sortCriteria: { criterion: [{ type: 'Date', order: 'Descending' }] },
      ...extra,
    },
  });
  return { method: 'POST', target: `${UMS}/objects/operations/search`, headers: { 'Content-Type': contentType }, body };
}

describe('endpoints', () => {
  it('quota: the query must be encoded into the path; a real query string gets 504', async () => {
    const folder = `${UMS}/folders/27a29814-dd8f-43ee-b768-19af98bf1d07`;
    expect((await send(build({ method: 'GET', target: `${folder}?attrFilter=Quota` }))).status).toBe(504);
    expect((await authed({ method: 'GET', target: folder })).status).toBe(504);
    const ok = await authed({ method: 'GET', target: `${folder}%3FattrFilter%3DQuota` });
    expect(ok.status).toBe(200);
    const attrs = JSON.parse(ok.body).folder.attributes.attribute as { name: string; value: string[] }[];
    expect(attrs.find((a) => a.name === 'VMOccupiedMessages')?.value).toEqual(['3']);
  });

  it('search: JSON content type required; the probe must carry the body; every URL is extended', async () => {
    expect((await authed(searchReq('voicemail', {}, 'text/plain'))).status).toBe(400);
    expect((await send(build({ ...searchReq('voicemail'), body: '' }))).status).toBe(400);
    expect((await authed(searchReq('voicemail', { maxEntries: 500 }))).status).toBe(400);
    expect((await authed(searchReq('voicemail', { fromCursor: 'garbage' }))).status).toBe(400);
    const r = await authed(searchReq('voicemail'));
    expect(r.status).toBe(200);
    const o = JSON.parse(r.body).objectList.object[0];
    const ext = new RegExp(`^http://${host.replace(/\./g, '\\.')}/phone20/mStoreRelay\\?path=http://wsg\\.mstore\\.msg\\.eng\\.t-mobile\\.com:8082/oemclient/`);
    for (const u of [o.resourceURL, o.parentFolder, o.payloadURL, o.flags.resourceURL, o.payloadPart[0].href]) expect(u).toMatch(ext);
    expect(o.flags.flag.includes('\\Seen') !== o.flags.flag.includes('\\Recent')).toBe(true);
  });

  it('\\Seen only through bulkUpdate; $CNS-Greeting-On only through the flag endpoint', async () => {
    const list = JSON.parse((await authed(searchReq('greeting'))).body).objectList.object[0];
    const id = (list.resourceURL as string).split('/objects/')[1] ?? '';
    expect((await authed({ method: 'PUT', target: `${UMS}/objects/${id}/flags/%5CSeen` })).status).toBe(400);
    expect((await authed({ method: 'PUT', target: `${UMS}/objects/${id}/flags/$CNS-Greeting-On` })).status).toBe(400); // $ unencoded
    expect((await authed({ method: 'PUT', target: `${UMS}/objects/${id}/flags/%24CNS-Greeting-On` })).status).toBe(200);
    const body = JSON.stringify({ bulkUpdate: { objects: { objectReference: [{ resourceURL: `https://wsg.t-mobile.com${UMS}/objects/${id}` }] }, operation: 'AddFlag', flags: { flag: ['$CNS-Greeting-On'] } } });
    const r = await authed({ method: 'POST', target: `${UMS}/objects/operations/bulkUpdate`, headers: { 'Content-Type': 'application/json' }, body });
    expect(r.status).toBe(500);
    const inner = JSON.parse(JSON.parse(r.body).NWK_RSP);
    expect(inner.bulkResponseList.response[0].code).toBe('400');
  });

  it('bulkDelete must be DELETE; a nonsense path gets NWKERR', async () => {
    const body = JSON.stringify({ bulkDelete: { objects: { objectReference: [{ resourceURL: `https://wsg.t-mobile.com${UMS}/objects/test` }] } } });
    expect((await authed({ method: 'POST', target: `${UMS}/objects/operations/bulkDelete`, headers: { 'Content-Type': 'application/json' }, body })).status).toBe(405);
    const r = await authed({ method: 'DELETE', target: `${UMS}/objects/operations/bulkDelete`, headers: { 'Content-Type': 'application/json' }, body });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: 'MSTORE_RLY-MST_NWKERR' });
    expect((await authed({ method: 'GET', target: `${UMS}/objects/test` })).status).toBe(400);
  });

  it('profile PUT: a PIN change carries only OLD_PWD and PWD', async () => {
    const body = JSON.stringify({ vvmserviceProfile: { attributes: { attribute: [{ name: 'OLD_PWD', value: ['4826'] }, { name: 'PWD', value: ['7391'] }, { name: 'vvmon', value: ['true'] }] } } });
    const r = await authed({ method: 'PUT', target: `${UMS}/vvmserviceProfile`, headers: { 'Content-Type': 'application/json' }, body });
    expect(r.status).toBe(400);
    const bad = JSON.stringify({ vvmserviceProfile: { attributes: { attribute: [{ name: 'OLD_PWD', value: ['4826'] }, { name: 'PWD', value: ['1111'] }] } } });
    const r2 = await authed({ method: 'PUT', target: `${UMS}/vvmserviceProfile`, headers: { 'Content-Type': 'application/json' }, body: bad });
    expect(r2.status).toBe(403);
    expect(r2.headers.get('reason-phrase')).toBe('PIN has Repeated Digits');
  });
});

describe('more quirks, each refused when got wrong', () => {
  const json = { 'Content-Type': 'application/json' };
  const objUrl = (id: string) => `https://wsg.t-mobile.com${UMS}/objects/${id}`;
  async function firstId(folder: 'voicemail' | 'greeting'): Promise<string> {
    const o = JSON.parse((await authed(searchReq(folder))).body).objectList.object[0];
    return (o.resourceURL as string).split('/objects/')[1] ?? '';
  }

  it('the MSISDN must be percent-encoded in the path (tel%3A%2B...), not raw', async () => {
    const raw = `/phone20/mStoreRelay/oemclient/nms/v1/ums/tel:${MSISDN}/vvmserviceProfile`;
    const r = await authed({ method: 'GET', target: raw }, { uri: `http://${host}${raw}` });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toEqual({ error: 'MSTORE_RLY-MST_NWKERR' });
    expect((await authed(profile)).status).toBe(200);
  });

  it('an Authorization without a challenge of ours is answered with a fresh 401 (401 first)', async () => {
    const r = await authed(profile, { reuseNonce: 'bm90LWlzc3VlZA==' });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Digest /);
  });

  it('\\Recent is not settable: not through bulkUpdate, not through the flag endpoint', async () => {
    const id = await firstId('voicemail');
    const body = JSON.stringify({ bulkUpdate: { objects: { objectReference: [{ resourceURL: objUrl(id) }] }, operation: 'AddFlag', flags: { flag: ['\\Recent'] } } });
    const r = await authed({ method: 'POST', target: `${UMS}/objects/operations/bulkUpdate`, headers: json, body });
    expect(r.status).toBe(500);
    expect(JSON.parse(JSON.parse(r.body).NWK_RSP).bulkResponseList.response[0].code).toBe('400');
    expect((await authed({ method: 'PUT', target: `${UMS}/objects/${id}/flags/%5CRecent` })).status).toBe(400);
  });

  it('\\Recent follows \\Seen automatically', async () => {
    const id = await firstId('voicemail');
    const flagsOf = async () => (JSON.parse((await authed({ method: 'GET', target: `${UMS}/objects/${id}` })).body).object.flags.flag as string[]).sort();
    const op = (operation: string) =>
      authed({ method: 'POST', target: `${UMS}/objects/operations/bulkUpdate`, headers: json, body: JSON.stringify({ bulkUpdate: { objects: { objectReference: [{ resourceURL: objUrl(id) }] }, operation, flags: { flag: ['\\Seen'] } } }) });
    expect((await op('RemoveFlag')).status).toBe(200);
    expect(await flagsOf()).toEqual(['\\Recent']);
    expect((await op('AddFlag')).status).toBe(200);
    expect(await flagsOf()).toEqual(['\\Seen']);
  });

  it('bulk requests take at most 100 objects', async () => {
    const id = await firstId('voicemail');
    const refs = (n: number) => Array.from({ length: n }, () => ({ resourceURL: objUrl(id) }));
    const del = (n: number) => authed({ method: 'DELETE', target: `${UMS}/objects/operations/bulkDelete`, headers: json, body: JSON.stringify({ bulkDelete: { objects: { objectReference: refs(n) } } }) });
    const upd = (n: number) =>
      authed({ method: 'POST', target: `${UMS}/objects/operations/bulkUpdate`, headers: json, body: JSON.stringify({ bulkUpdate: { objects: { objectReference: refs(n) }, operation: 'AddFlag', flags: { flag: ['\\Seen'] } } }) });
    expect((await upd(101)).status).toBe(400);
    expect((await del(101)).status).toBe(400);
    const ok = await upd(100); // the same object 100 times: one result
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).bulkResponseList.response).toHaveLength(1);
  });

  it('bulk and profile bodies need the JSON content type', async () => {
    const id = await firstId('voicemail');
    const body = JSON.stringify({ bulkUpdate: { objects: { objectReference: [{ resourceURL: objUrl(id) }] }, operation: 'AddFlag', flags: { flag: ['\\Seen'] } } });
    expect((await authed({ method: 'POST', target: `${UMS}/objects/operations/bulkUpdate`, headers: { 'Content-Type': 'text/plain' }, body })).status).toBe(400);
    const vvm = JSON.stringify({ vvmserviceProfile: { attributes: { attribute: [{ name: 'vvmon', value: ['true'] }] } } });
    expect((await authed({ method: 'PUT', target: `${UMS}/vvmserviceProfile`, body: vvm })).status).toBe(400);
    expect((await authed({ method: 'PUT', target: `${UMS}/vvmserviceProfile`, headers: json, body: vvm })).status).toBe(200);
  });

  it('profile booleans: any case is accepted, anything else is NWKERR; attribute names are case-exact', async () => {
    const put = (name: string, value: string) =>
      authed({ method: 'PUT', target: `${UMS}/vvmserviceProfile`, headers: json, body: JSON.stringify({ vvmserviceProfile: { attributes: { attribute: [{ name, value: [value] }] } } }) });
    expect((await put('vvmon', 'yes')).status).toBe(400);
    expect((await put('VVMON', 'true')).status).toBe(400);
    expect((await put('vvmon', 'True')).status).toBe(200);
  });

  it('an empty folder answers 204 without a body', async () => {
    const empty = await startRelay({ scenario: { msisdn: MSISDN }, nafKey: key.nafKey });
    const saved = relay;
    relay = empty;
    host = `127.0.0.1:${empty.port}`;
    try {
      const r = await authed(searchReq('greeting'));
      expect(r.statusLine).toBe('HTTP/1.0 204 No Content');
      expect(r.body).toBe('');
    } finally {
      relay = saved;
      host = `127.0.0.1:${saved.port}`;
      await empty.close();
    }
  });

  it('follows its own cursor only; a page past the end is NWKERR', async () => {
    const paged = await startRelay({ scenario: { msisdn: MSISDN, voicemails: voicemails(5), pageSize: 2 }, nafKey: key.nafKey });
    const saved = relay;
    relay = paged;
    host = `127.0.0.1:${paged.port}`;
    try {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 5; i++) {
        const r = await authed(searchReq('voicemail', cursor === undefined ? {} : { fromCursor: cursor }));
        const list = JSON.parse(r.body).objectList;
        seen.push(...(list.object as { resourceURL: string }[]).map((o) => o.resourceURL));
        cursor = list.cursor;
        if (cursor === undefined) break;
      }
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
      expect((await authed(searchReq('voicemail', { fromCursor: '1:99:D' }))).status).toBe(400);
    } finally {
      relay = saved;
      host = `127.0.0.1:${saved.port}`;
      await paged.close();
    }
  });
});

describe('upload (strict multipart)', () => {
  const meta = { folder: 'greeting' as const, durationS: 1, date: '2026-03-01T00:00:00Z', messageId: '1772323200000', subject: 's', type: 'normal-greeting' as const };
  const upload = (body: Buffer, contentType: string) => authed({ method: 'POST', target: `${UMS}/objects`, headers: { 'Content-Type': contentType }, body });

  it('accepts the exact layout of the notes', async () => {
    const mp = greetingMultipart(meta, syntheticAmr(50), 'OUTER1', 'INNER1');
    expect((await upload(Buffer.from(mp.body), mp.contentType)).status).toBe(201);
  });

  it('refuses a wrong part Content-Length, the same boundary nested, non-AMR audio, the voicemail folder', async () => {
    const mp = greetingMultipart(meta, syntheticAmr(50), 'OUTER2', 'INNER2');
    const text = Buffer.from(mp.body).toString('latin1');
    const wrongLen = text.replace(/Content-Length: (\d+)\r\n\r\n\{/, (_m, n: string) => `Content-Length: ${Number(n) + 1}\r\n\r\n{`);
    expect((await upload(Buffer.from(wrongLen, 'latin1'), mp.contentType)).status).toBe(400);
    const same = greetingMultipart(meta, syntheticAmr(50), 'SAME', 'SAME2');
    const sameText = Buffer.from(same.body).toString('latin1').replaceAll('SAME2', 'SAME');
    expect((await upload(Buffer.from(sameText, 'latin1'), same.contentType)).status).toBe(400);
    const notAmr = greetingMultipart(meta, new TextEncoder().encode('#!AMR\n\xff\xff\xff'), 'O3', 'I3');
    expect((await upload(Buffer.from(notAmr.body), notAmr.contentType)).status).toBe(400);
    const inbox = greetingMultipart({ ...meta, folder: 'voicemail' }, syntheticAmr(50), 'O4', 'I4');
    expect((await upload(Buffer.from(inbox.body), inbox.contentType)).status).toBe(403);
  });

  it('refuses base64 that is not line-wrapped at 76, LF line ends outside the base64, a missing inner part header', async () => {
    const mp = greetingMultipart(meta, syntheticAmr(50), 'O5', 'I5');
    const text = Buffer.from(mp.body).toString('latin1');
    // One long base64 line (and the inner/outer Content-Length fixed up so only the wrapping is wrong).
    const m = /(Content-Length: )(\d+)(\r\n\r\n)([A-Za-z0-9+/=\n]+)(\r\n--I5--)/.exec(text);
    if (!m?.[4] || !m[2]) throw new Error('layout changed');
    const rewrap = (b64: string) => {
      const delta = b64.length - (m[4]?.length ?? 0);
      const t = text.replace(m[0], `${m[1]}${b64.length}${m[3]}${b64}${m[5]}`);
      return Buffer.from(t.replace(/(name="attachments"\r\nContent-Type: multipart\/mixed; boundary=I5\r\nContent-Length: )(\d+)/, (_x, a: string, n: string) => `${a}${Number(n) + delta}`), 'latin1');
    };
    const flat = m[4].replace(/\n/g, '');
    expect(flat.length).toBeGreaterThan(76);
    expect((await upload(rewrap(flat), mp.contentType)).status).toBe(400);
    // Control: the same rewriting with 64-character lines (a valid MIME wrapping) is accepted.
    expect((await upload(rewrap(flat.replace(/(.{64})/g, '$1\n') + '\n'), mp.contentType)).status).toBe(201);
    // The layout with bare LF instead of CRLF between parts.
    expect((await upload(Buffer.from(text.replace(/\r\n/g, '\n'), 'latin1'), mp.contentType)).status).toBe(400);
    // No Content-Transfer-Encoding on the audio part.
    const noCte = text.replace('Content-Transfer-Encoding: base64\r\n', '');
    const fixed = noCte.replace(/(name="attachments"\r\nContent-Type: multipart\/mixed; boundary=I5\r\nContent-Length: )(\d+)/, (_x, a: string, n: string) => `${a}${Number(n) - 'Content-Transfer-Encoding: base64\r\n'.length}`);
    expect((await upload(Buffer.from(fixed, 'latin1'), mp.contentType)).status).toBe(400);
    // The untouched body still goes through.
    expect((await upload(Buffer.from(mp.body), mp.contentType)).status).toBe(201);
  });
});

describe('greeting quota', () => {
  it('refuses a tenth greeting (GreetingsQuota 9) and counts what is stored', async () => {
    const full = await startRelay({ scenario: { msisdn: MSISDN, greetings: Array.from({ length: 9 }, (_, i) => ({ date: `2026-01-0${i + 1}T00:00:00Z`, audioBase64: toBase64(syntheticAmr(5)) })) }, nafKey: key.nafKey });
    const saved = relay;
    relay = full;
    host = `127.0.0.1:${full.port}`;
    try {
      const q = await authed({ method: 'GET', target: `${UMS}/folders/c1a7c823-fdd1-4857-8d44-b315444d2a83%3FattrFilter%3DQuota` });
      const attrs = JSON.parse(q.body).folder.attributes.attribute as { name: string; value: string[] }[];
      expect(attrs.find((a) => a.name === 'GreetingsOccupied')?.value).toEqual(['9']);
      const mp = greetingMultipart({ folder: 'greeting', durationS: 1, date: '2026-03-01T00:00:00Z', messageId: '1', subject: 's', type: 'normal-greeting' }, syntheticAmr(50), 'O', 'I');
      const r = await authed({ method: 'POST', target: `${UMS}/objects`, headers: { 'Content-Type': mp.contentType }, body: Buffer.from(mp.body) });
      expect(r.status).toBe(403);
    } finally {
      relay = saved;
      host = `127.0.0.1:${saved.port}`;
      await full.close();
    }
  });
});

describe('a deployment, not a constant: NAF identity from the Host, extended URLs naming other hosts', () => {
  it('the realm follows the Host the relay is reached at; a realm of another host is refused', async () => {
    for (const name of ['127.0.0.1', 'localhost', 'WSG2.Stg.Sip.T-Mobile.com.', '[::1]']) {
      const h = `${name}:${relay.port}`;
      const p = await send(build(profile, undefined, h));
      const realm = /realm="([^"]+)"/.exec(p.headers.get('www-authenticate') ?? '')?.[1];
      // Lower case, no root dot, an IPv6 address without its brackets (URI syntax, not part of the host).
      expect(realm).toBe(`3GPP-bootstrapping@${name.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1')}`);
      expect((await authed(profile, { host: h })).status).toBe(200);
    }
    // Answering the localhost challenge with the 127.0.0.1 realm (or the production one) is refused.
    expect((await authed(profile, { host: `localhost:${relay.port}`, realm: '3GPP-bootstrapping@127.0.0.1' })).status).toBe(401);
    expect((await authed(profile, { realm: '3GPP-bootstrapping@wsg.t-mobile.com' })).status).toBe(401);
    // The key is looked up for the NAF FQDN of the request (the fixed-key test double ignores it; see below).
    // No Host header at all: nothing to key for.
    expect((await send(build(profile, undefined, null))).status).toBe(400);
  });

  it('the NAF key is the one for the host reached (Zn lookup by NAF FQDN); a public name overrides the Host', async () => {
    const asked: string[] = [];
    const named = await startRelay({ scenario: { msisdn: MSISDN }, nafKey: (b, fqdn) => (asked.push(fqdn), fqdn === 'wsg.t-mobile.com' ? key.nafKey(b) : null), publicName: 'wsg.t-mobile.com' });
    const saved = relay;
    relay = named;
    host = `127.0.0.1:${named.port}`;
    try {
      const p = await send(build(profile));
      expect(p.headers.get('www-authenticate')).toContain('realm="3GPP-bootstrapping@wsg.t-mobile.com"');
      expect((await authed(profile)).status).toBe(200);
      expect(asked).toEqual(['wsg.t-mobile.com']);
    } finally {
      relay = saved;
      host = `127.0.0.1:${saved.port}`;
      await named.close();
    }
  });

  it('extended URLs name the reached origin by default, or the public and backend hosts a scenario gives', async () => {
    const o = JSON.parse((await authed(searchReq('voicemail'), { host: `localhost:${relay.port}` })).body).objectList.object[0];
    expect(o.resourceURL).toMatch(new RegExp(`^http://localhost:${relay.port}/phone20/mStoreRelay\\?path=http://wsg\\.mstore\\.msg\\.eng\\.t-mobile\\.com:8082/oemclient/`));
    const foreign = await startRelay({ scenario: { msisdn: MSISDN, voicemails: voicemails(1), urls: { publicOrigin: 'https://wsg2.stg.sip.t-mobile.com:8443', backendOrigin: 'http://10.9.8.7:9090' } }, nafKey: key.nafKey });
    const saved = relay;
    relay = foreign;
    host = `127.0.0.1:${foreign.port}`;
    try {
      const f = JSON.parse((await authed(searchReq('voicemail'))).body).objectList.object[0];
      for (const u of [f.resourceURL, f.parentFolder, f.payloadURL, f.flags.resourceURL, f.payloadPart[0].href]) {
        expect(u).toMatch(/^https:\/\/wsg2\.stg\.sip\.t-mobile\.com:8443\/phone20\/mStoreRelay\?path=http:\/\/10\.9\.8\.7:9090\/oemclient\/nms\/v1\/ums\//);
      }
      expect(foreign.snapshot().urls).toEqual({ publicOrigin: 'https://wsg2.stg.sip.t-mobile.com:8443', backendOrigin: 'http://10.9.8.7:9090' });
    } finally {
      relay = saved;
      host = `127.0.0.1:${saved.port}`;
      await foreign.close();
    }
  });

  it('lower-case percent-escapes mean the same as upper-case (RFC 3986 2.1): path, quota filter, flag, search scope', async () => {
    const lower = (s: string) => s.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
    expect((await authed({ method: 'GET', target: lower(profile.target) })).status).toBe(200);
    expect((await authed({ method: 'GET', target: `${lower(UMS)}/folders/27a29814-dd8f-43ee-b768-19af98bf1d07%3fattrFilter%3dQuota` })).status).toBe(200);
    const g = JSON.parse((await authed(searchReq('greeting'))).body).objectList.object[0];
    const id = (g.resourceURL as string).split('/objects/')[1] ?? '';
    expect((await authed({ method: 'DELETE', target: `${lower(UMS)}/objects/${id}/flags/%24CNS-Greeting-On` })).status).toBe(200);
    const scoped = searchReq('voicemail');
    const r = await authed({ ...scoped, body: lower(String(scoped.body)) });
    expect(r.status).toBe(200);
    const body = JSON.stringify({ bulkUpdate: { objects: { objectReference: [{ resourceURL: lower(`https://wsg.t-mobile.com${UMS}/objects/${id}`) }] }, operation: 'AddFlag', flags: { flag: ['\\Seen'] } } });
    const b = await authed({ method: 'POST', target: `${UMS}/objects/operations/bulkUpdate`, headers: { 'Content-Type': 'application/json' }, body });
    expect(b.status).toBe(200);
  });
});

describe('leniencies a correct client never needs, each refused', () => {
  const json = { 'Content-Type': 'application/json' };

  it('the challenge carries an opaque, and an answer that does not echo it (or changes it) is refused', async () => {
    expect((await authed(profile, { opaque: null })).status).toBe(401);
    expect((await authed(profile, { opaque: '00'.repeat(12) })).status).toBe(401);
    expect((await authed(profile)).status).toBe(200);
  });

  it('an upper-case hex response is refused (RFC 7616: lower-case hex)', async () => {
    expect((await authed(profile, { upperResponse: true })).status).toBe(401);
  });

  it('a nonce past its lifetime is refused with stale=true', async () => {
    let now = Date.now();
    const aging = await startRelay({ scenario: { msisdn: MSISDN }, nafKey: key.nafKey, now: () => now, nonceLifetimeMs: 60_000 });
    const saved = relay;
    relay = aging;
    host = `127.0.0.1:${aging.port}`;
    try {
      const probe = await send(build(profile));
      const wa = probe.headers.get('www-authenticate') ?? '';
      const nonce = /nonce="([^"]+)"/.exec(wa)?.[1] ?? '';
      now += 60_001;
      // authed() probes again (a fresh nonce) but answers with the old one.
      const r = await authed(profile, { reuseNonce: nonce, opaque: /opaque="([^"]+)"/.exec(wa)?.[1] ?? '' });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/, stale=true$/);
      expect((await authed(profile)).status).toBe(200); // a fresh nonce still works
    } finally {
      relay = saved;
      host = `127.0.0.1:${saved.port}`;
      await aging.close();
    }
  });

  it('OLD_PWD (or any attribute) sent twice is NWKERR, not a silent last-one-wins', async () => {
    const twice = JSON.stringify({ vvmserviceProfile: { attributes: { attribute: [{ name: 'OLD_PWD', value: ['0000'] }, { name: 'OLD_PWD', value: ['4826'] }, { name: 'PWD', value: ['7391'] }] } } });
    const r = await authed({ method: 'PUT', target: `${UMS}/vvmserviceProfile`, headers: json, body: twice });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: 'MSTORE_RLY-MST_NWKERR' });
    const vvm = JSON.stringify({ vvmserviceProfile: { attributes: { attribute: [{ name: 'vvmon', value: ['true'] }, { name: 'vvmon', value: ['false'] }] } } });
    expect((await authed({ method: 'PUT', target: `${UMS}/vvmserviceProfile`, headers: json, body: vvm })).status).toBe(400);
    expect(relay.snapshot().pin).toBe('4826');
  });

  it('a greeting over 100 s, or an upload whose date is not an ISO instant, is refused', async () => {
    const meta = { folder: 'greeting' as const, durationS: 100, date: '2026-03-01T00:00:00Z', messageId: '1772323200000', subject: 's', type: 'normal-greeting' as const };
    const upload = (m: typeof meta, frames: number) => {
      const mp = greetingMultipart(m, syntheticAmr(frames), 'OUTERX', 'INNERX');
      return authed({ method: 'POST', target: `${UMS}/objects`, headers: { 'Content-Type': mp.contentType }, body: Buffer.from(mp.body) });
    };
    const before = relay.snapshot().greetings.length;
    expect((await upload(meta, 5001)).status).toBe(400); // 100.02 s
    for (const date of ['Sun, 01 Mar 2026 00:00:00 GMT', '2026-03-01 00:00:00', '2026-03-01T00:00:00+01:00', '1772323200000']) {
      expect((await upload({ ...meta, durationS: 1, date }, 50)).status, date).toBe(400);
    }
    expect(relay.snapshot().greetings.length).toBe(before);
    expect((await upload(meta, 5000)).status).toBe(201); // exactly 100 s
  });

  it('keeps a bounded request log (demo mode runs for days)', async () => {
    const small = await startRelay({ scenario: { msisdn: MSISDN }, nafKey: key.nafKey, maxLogEntries: 3 });
    const saved = relay;
    relay = small;
    host = `127.0.0.1:${small.port}`;
    try {
      for (let i = 0; i < 4; i++) await send(build(profile));
      expect((await authed(profile)).status).toBe(200);
      expect(small.stats.log).toHaveLength(3);
      expect(small.stats.log.map((e) => e.status)).toEqual([401, 401, 200]);
      expect(small.stats.probes).toBe(5); // the counters still count everything
    } finally {
      relay = saved;
      host = `127.0.0.1:${saved.port}`;
      await small.close();
    }
  });
});
