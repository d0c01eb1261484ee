import { describe, expect, it } from 'vitest';
import { MAX_SMALL_JSON_BYTES, parseBulkResponse, parseProfile, parseQuota, parseSearchPage, toVoicemail, toGreeting } from '../../../../main/protocol/mstore/responses.js';
import { HttpError } from '../../../../main/errors.js';

const server = 'https://wsg.t-mobile.com/phone20/mStoreRelay';
const trust = { server };
const ext = (p: string) => `https://wsg.t-mobile.com:443/phone20/mStoreRelay?path=http://wsg.mstore.msg.eng.t-mobile.com:8082/oemclient/nms/v1/ums/tel%3A%2B12065550100${p}`;
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const a = (name: string, value: string) => ({ name, value: [value] });

function object(id: string, over: Record<string, unknown> = {}) {
  return {
    parentFolder: ext('/folders/27a29814-dd8f-43ee-b768-19af98bf1d07'),
    attributes: { attribute: [a('content-duration', '5'), a('date', '2024-01-01T00:00:00Z'), a('expires', '2024-04-01T00:00:00Z'), a('from', '11234567890@tmo.com')] },
    flags: { flag: ['\\Seen'], resourceURL: ext(`/objects/${id}/flags`) },
    resourceURL: ext(`/objects/${id}`),
    path: `/VV-Mail/Inbox/${id}`,
    payloadURL: ext(`/objects/${id}p`),
    payloadPart: [{ contentType: 'audio/amr', size: '1234', contentEncoding: 'base64', contentDisposition: 'attachment; filename="voicemail-20240101000000.amr"', href: ext(`/objects/${id}p/payloadParts/part1`) }],
    correlationId: 'x',
    ...over,
  };
}

describe('objects', () => {
  it('maps a voicemail as the protocol notes show it', () => {
    expect(toVoicemail(object('abc'), trust)).toEqual({
      item: { id: 'abc', from: '11234567890', date: '2024-01-01T00:00:00Z', expires: '2024-04-01T00:00:00Z', duration: 5, read: true, size: 1234, filename: 'voicemail-20240101000000.amr', keep: false, contentType: 'audio/amr' },
      payloadPath: 'abcp/payloadParts/part1',
    });
  });
  it('maps a greeting', () => {
    const g = object('g1', { attributes: { attribute: [a('content-duration', '7'), a('date', '2024-01-01T00:00:00Z'), a('x-cns-greeting-type', 'normal-greeting'), a('subject', 's')] }, flags: { flag: ['\\Seen', '$CNS-Greeting-On'] } });
    expect(toGreeting(g, trust).item).toMatchObject({ id: 'g1', duration: 7, active: true, type: 'normal-greeting', subject: 's' });
  });
  it('sanitises a hostile server filename', () => {
    const o = object('abc', { payloadPart: [{ contentType: 'audio/amr', size: '1', contentDisposition: 'attachment; filename="../../../.bashrc"', href: ext('/objects/abc/payloadParts/part1') }] });
    expect(toVoicemail(o, trust).item.filename).toBe('bashrc');
  });
  it('a search page keeps good objects and reports bad ones', () => {
    const page = {
      objectList: {
        object: [
          object('good1'),
          object('badDate', { attributes: { attribute: [a('date', 'yesterday')] } }),
          object('evil', { payloadPart: [{ contentType: 'audio/amr', size: '1', href: 'https://evil.example.com/phone20/mStoreRelay/oemclient/nms/v1/ums/x/objects/%2e%2e/evil' }] }),
          { resourceURL: 42 },
          object('badSize', { payloadPart: [{ contentType: 'audio/amr', size: 'big', href: ext('/objects/x/payloadParts/part1') }] }),
          object('good2'),
          // Another host in the payload URL: only its path counts (the relay does not rewrite hosts).
          object('foreign', { payloadPart: [{ contentType: 'audio/amr', size: '1', href: 'https://wsg2.stg.sip.t-mobile.com:8443/phone20/mStoreRelay?path=http://10.0.0.9:9090/oemclient/nms/v1/ums/x/objects/foreign/payloadParts/part1' }] }),
        ],
        cursor: '1704085200000:D',
      },
    };
    const r = parseSearchPage(enc(page), toVoicemail, trust);
    expect(r.items.map((e) => e.item.id)).toEqual(['good1', 'good2', 'foreign']);
    expect(r.items[2]?.payloadPath).toBe('foreign/payloadParts/part1');
    expect(r.rejected.map((x) => [x.index, x.id])).toEqual([[1, 'badDate'], [2, 'evil'], [3, null], [4, 'badSize']]);
    expect(r.cursor).toBe('1704085200000:D');
  });
  it('malformed JSON and wrong shapes are http.badResponse', () => {
    for (const body of [new TextEncoder().encode('{"objectList":'), enc({ objectList: { object: 'x' } }), new Uint8Array([0xff, 0xfe])]) {
      expect(() => parseSearchPage(body, toVoicemail, trust)).toThrow(HttpError);
    }
  });
});

describe('caller', () => {
  it('drops everything from the first @, whatever follows', () => {
    const from = (v: string) => toVoicemail(object('abc', { attributes: { attribute: [a('date', '2024-01-01T00:00:00Z'), a('from', v)] } }), trust).item.from;
    expect(from('tel:+12065550100@tmo.com')).toBe('tel:+12065550100');
    expect(from(`x${'@'.repeat(10_000)}\n`)).toBe('x');
    expect(from('no-at')).toBe('no-at');
  });
});

describe('profile and quota', () => {
  it('booleans in any case, MigrationDate to ISO, unknown attributes kept', () => {
    const p = parseProfile(enc({ vvmserviceProfile: { attributes: { attribute: [a('vvmon', 'TRUE'), a('MigrationDate', '2019:01:02:03:04'), a('Extra', 'x')] } } }));
    expect(p).toMatchObject({ vvmOn: true, migrationDate: '2019-01-02T03:04:00Z', attributes: { Extra: ['x'] }, blocked: null });
  });
  it('repeated attribute names are concatenated in order, also 5 000 of them', () => {
    const attribute = [{ name: 'Extra', value: ['a', 'b'] }, a('vvmon', 'false'), { name: 'Extra', value: ['c'] }];
    for (let i = 0; i < 5_000; i++) attribute.push(a('Many', String(i)));
    const p = parseProfile(enc({ vvmserviceProfile: { attributes: { attribute } } }));
    expect(p.attributes.Extra).toEqual(['a', 'b', 'c']);
    expect(p.attributes.Many?.length).toBe(5_000);
    expect(p.attributes.Many?.[4_999]).toBe('4999');
    expect(p.vvmOn).toBe(false);
  });
  it('refuses a profile body beyond 256 KiB before parsing it', () => {
    const big = enc({ vvmserviceProfile: { attributes: { attribute: [a('Extra', 'x'.repeat(MAX_SMALL_JSON_BYTES))] } } });
    expect(() => parseProfile(big)).toThrow(/larger than/);
  });
  it('quota attributes must be integers', () => {
    expect(parseQuota(enc({ folder: { attributes: { attribute: [a('OccupiedStorage', '12'), a('TotalStorage', '167770')] } } }))).toMatchObject({ OccupiedStorage: 12, TotalStorage: 167770, VMMessagesQuota: null });
    expect(() => parseQuota(enc({ folder: { attributes: { attribute: [a('OccupiedStorage', '1.5')] } } }))).toThrow(HttpError);
  });
});

describe('bulk responses', () => {
  const list = {
    bulkResponseList: {
      response: [
        { code: '200', reason: 'OK', success: { resourceURL: `${server}/oemclient/nms/v1/ums/tel%3A%2B12065550100/objects/a` } },
        { code: '400', reason: 'Internal server error', failure: { serviceException: { messageId: 'SVC3000', text: 'x', variables: [`${server}/oemclient/nms/v1/ums/tel%3A%2B12065550100/objects/b`] } } },
      ],
    },
  };
  it('plain and NWK_RSP-wrapped', () => {
    const expected = { kind: 'results', items: [{ id: 'a', ok: true, code: 200, reason: 'OK' }, { id: 'b', ok: false, code: 400, reason: 'Internal server error' }] };
    expect(parseBulkResponse(enc(list), trust)).toEqual(expected);
    expect(parseBulkResponse(enc({ NWK_RSP: JSON.stringify(list) }), trust)).toEqual(expected);
  });
  it('NWKERR has no results', () => {
    expect(parseBulkResponse(enc({ error: 'MSTORE_RLY-MST_NWKERR' }), trust)).toEqual({ kind: 'nwkErr' });
  });
  it('a result naming another host is read by its path; one with traversal, or a broken NWK_RSP, is http.badResponse', () => {
    expect(parseBulkResponse(enc({ bulkResponseList: { response: [{ code: '200', reason: 'OK', success: { resourceURL: 'https://other.example.com/objects/a' } }] } }), trust)).toEqual({ kind: 'results', items: [{ id: 'a', ok: true, code: 200, reason: 'OK' }] });
    expect(() => parseBulkResponse(enc({ bulkResponseList: { response: [{ code: '200', success: { resourceURL: 'https://evil.example.com/objects/%2E%2E' } }] } }), trust)).toThrow(HttpError);
    expect(() => parseBulkResponse(enc({ NWK_RSP: '{not json' }), trust)).toThrow(HttpError);
  });
});
