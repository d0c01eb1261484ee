// The mstore client against the strict simulated relay over loopback (real sockets, real HTTP adapter).
import { afterEach, describe, expect, it } from 'vitest';
import { PIN_REJECT_REASONS } from '../../../../shared/domain/mstore.js';
import { HttpError, AudioError, CancelledError } from '../../../../main/errors.js';
import { clock, harness, random, syntheticAmr, voicemails, type Harness } from './harness.js';
import { createNodeHttp } from '../../../../main/adapters/http/node-http.js';
import { MstoreClient } from '../../../../main/services/mstore/client.js';
import { startRelay } from '../../../../main/sim/carrier/relay.js';
import { fixedKey, fixedKeyAuth } from '../../../support/mstore-fixed-key.js';
import { createTestCa } from '../../../support/test-ca.js';
import net from 'node:net';
import type { FaultRule } from '../../../../main/sim/carrier/relay.js';
import { MSISDN } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('profile', () => {
  it('reads the profile with mixed-case booleans and keeps every attribute', async () => {
    h = await harness();
    const p = await h.client.getProfile();
    expect(p.vvmOn).toBe(true);
    expect(p.migrationStatus).toBe(true); // "True"
    expect(p.migrationDate).toBe('2019-01-01T00:00:00Z');
    expect(p.attributes.V2E_ON).toEqual(['False']);
    expect(p.language).toBe('eng');
  });

  it('deactivates and activates with a PUT of vvmon only', async () => {
    h = await harness();
    await h.client.setVvmOn(false);
    expect((await h.client.getProfile()).vvmOn).toBe(false);
    await h.client.setVvmOn(true);
    expect((await h.client.getProfile()).vvmOn).toBe(true);
    expect(h.relay.snapshot().profile?.find((a) => a.name === 'vvmon')?.value).toEqual(['true']);
  });

  it('changes the PIN, and the relay then refuses the old one', async () => {
    h = await harness({ pin: '4826' });
    await h.client.changePin('4826', '7391');
    expect(h.relay.snapshot().pin).toBe('7391');
    const e = await h.client.changePin('4826', '5173').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).code).toBe('mstore.pinRejected');
    expect((e as HttpError).detail?.reason).toBe('Invalid OLD PIN');
  });

  const cases: [string, string, (typeof PIN_REJECT_REASONS)[number], object?][] = [
    ['4826', '1111', 'PIN has Repeated Digits'],
    ['4826', '3456', 'PIN has Consecutive Numbers'],
    ['4826', '12a4', 'PIN has invalid Character'],
    ['4826', '123', 'PIN length too Short'],
    ['4826', '1234567890', 'PIN length too Long'],
    ['4826', '0100', 'PIN last 4 digit match MSISDN'], // the MSISDN ends in 0100
    ['4826', '5599', 'PIN in Use', { pinHistory: ['5599'] }],
    ['4826', '7391', 'PIN recently Changed', { pinChangedAt: Date.now() - 3600_000 }],
    ['0000', '7391', 'Invalid OLD PIN'],
  ];
  for (const [oldPin, newPin, reason, extra] of cases) {
    it(`maps a refused PIN change to mstore.pinRejected: ${reason}`, async () => {
      h = await harness({ pin: '4826', ...(extra ?? {}) });
      const e = await h.client.changePin(oldPin, newPin).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(HttpError);
      expect((e as HttpError).code).toBe('mstore.pinRejected');
      expect((e as HttpError).detail?.reason).toBe(reason);
      expect((e as HttpError).message).not.toContain(newPin);
      expect((e as HttpError).message).not.toContain(oldPin);
    });
  }

  it('a 403 without a known reason-phrase is mstore.pinRejected with reason unknown', async () => {
    h = await harness({ pin: '4826' });
    h.relay.setFaults([{ method: 'PUT', pathIncludes: 'vvmserviceProfile', times: 1, action: { kind: 'status', status: 403 } }]);
    await expect(h.client.changePin('4826', '7391')).rejects.toMatchObject({ code: 'mstore.pinRejected', detail: { reason: 'unknown' }, message: 'The voicemail PIN was not changed', hint: 'The server refused the PIN change without saying why.' });
    h.relay.setFaults([{ method: 'PUT', pathIncludes: 'vvmserviceProfile', times: 1, action: { kind: 'status', status: 403, headers: { 'reason-phrase': 'PIN too Pretty' } } }]);
    await expect(h.client.changePin('4826', '7391')).rejects.toMatchObject({ code: 'mstore.pinRejected', detail: { reason: 'unknown' } });
    // The relay state was not touched by the injected refusals: the real change still works.
    await h.client.changePin('4826', '7391');
    expect(h.relay.snapshot().pin).toBe('7391');
  });

  it('VVM Not Active when visual voicemail is off', async () => {
    h = await harness();
    await h.client.setVvmOn(false);
    const e = await h.client.changePin('4826', '7391').catch((x: unknown) => x);
    expect((e as HttpError).detail?.reason).toBe('VVM Not Active');
  });
});

describe('folders and listing', () => {
  it('quota counts what is stored', async () => {
    h = await harness({ voicemails: voicemails(7) });
    const q = await h.client.getQuota('voicemail');
    expect(q.VMOccupiedMessages).toBe(7);
    expect(q.VMMessagesQuota).toBe(45);
    expect(q.TotalStorage).toBe(167770);
    const g = await h.client.getQuota('greeting');
    expect(g.GreetingsOccupied).toBe(0);
    expect(g.VMOccupiedMessages).toBeNull();
  });

  it('an empty folder (204) lists nothing', async () => {
    h = await harness();
    const l = await h.client.listVoicemails();
    expect(l.items).toEqual([]);
    expect(h.counters.authenticated).toBe(1);
  });

  it('follows the cursor across pages, newest first, with extended URLs mapped to ids', async () => {
    h = await harness({ voicemails: voicemails(25), pageSize: 10 });
    const progress: number[] = [];
    const l = await h.client.listVoicemails({ onProgress: (p) => progress.push(p.done ?? -1) });
    expect(l.items).toHaveLength(25);
    expect(l.rejected).toEqual([]);
    expect(progress).toEqual([10, 20, 25]);
    const dates = l.items.map((e) => e.item.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    const first = l.items[0]?.item;
    expect(first?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(first?.from).toBe('12065551000');
    expect(first?.read).toBe(true);
    expect(l.items[1]?.item.read).toBe(false);
    expect(first?.duration).toBe(1);
    expect(first?.filename).toMatch(/^voicemail-\d{14}\.amr$/);
    expect(l.items[0]?.payloadPath).toBe(`${first?.id}/payload/payloadParts/part1`);
    // Three search pages, each a probe plus an authenticated request.
    expect(h.relay.stats.log.filter((x) => x.target.endsWith('/search') && x.authenticated)).toHaveLength(3);
  });

  it('downloads and decodes the base64 payload (no Content-Length from the relay)', async () => {
    h = await harness({ voicemails: voicemails(3) });
    const l = await h.client.listVoicemails();
    const e = l.items[2];
    if (!e) throw new Error('no voicemail');
    const p = await h.client.download(e.payloadPath);
    expect(p.bytes.length).toBe(e.item.size);
    const stored = h.relay.snapshot().voicemails.find((v) => v.id === e.item.id);
    expect(Buffer.from(p.bytes).toString('base64')).toBe(stored?.audioBase64);
    expect(p.filename).toBe(e.item.filename);
  });

  it('downloadById: reads the metadata once for an id it has not seen, then uses the listing (no extra request)', async () => {
    const hh = await harness({ voicemails: voicemails(3) });
    h = hh;
    const ids = hh.relay.snapshot().voicemails.map((v) => v.id);
    const [a = '', b = ''] = ids;
    const objectReads = () => hh.relay.stats.log.filter((x) => x.authenticated && x.method === 'GET' && !x.target.includes('/payload')).length;
    const first = await h.client.downloadById('voicemail', a);
    expect(objectReads()).toBe(1);
    await h.client.listVoicemails();
    const second = await h.client.downloadById('voicemail', b);
    const again = await h.client.downloadById('voicemail', a);
    expect(objectReads()).toBe(1);
    const stored = (id: string) => hh.relay.snapshot().voicemails.find((v) => v.id === id)?.audioBase64;
    expect(Buffer.from(first.bytes).toString('base64')).toBe(stored(a));
    expect(Buffer.from(second.bytes).toString('base64')).toBe(stored(b));
    expect(again.bytes).toEqual(first.bytes);
  });

  it('downloads many with several requests in flight, keeping the order', async () => {
    h = await harness({ voicemails: voicemails(9) });
    const l = await h.client.listVoicemails();
    const done: number[] = [];
    const all = await h.client.downloadMany(l.items.map((e) => e.payloadPath), { concurrency: 3, onProgress: (p) => done.push(p.done ?? 0) });
    const snap = h.relay.snapshot().voicemails;
    expect(all.map((p) => Buffer.from(p.bytes).toString('base64'))).toEqual(l.items.map((e) => snap.find((v) => v.id === e.item.id)?.audioBase64));
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads one object by id', async () => {
    h = await harness({ voicemails: voicemails(2) });
    const l = await h.client.listVoicemails();
    const id = l.items[1]?.item.id ?? '';
    const one = await h.client.getVoicemail(id);
    expect(one.item).toEqual(l.items[1]?.item);
  });

  it('an unknown id is http.notFound; a traversal id never leaves the client', async () => {
    h = await harness({ voicemails: voicemails(1) });
    await expect(h.client.getVoicemail('0'.repeat(32))).rejects.toMatchObject({ code: 'http.notFound' });
    const before = h.relay.stats.connections;
    await expect(h.client.getVoicemail('../vvmserviceProfile')).rejects.toMatchObject({ code: 'http.notFound' });
    await expect(h.client.download('x/%2e%2e/y')).rejects.toMatchObject({ code: 'http.notFound' });
    expect(h.relay.stats.connections).toBe(before);
  });
});

describe('bulk operations', () => {
  it('marks read and unread through bulkUpdate; \\Recent follows', async () => {
    h = await harness({ voicemails: voicemails(4) });
    const ids = (await h.client.listVoicemails()).items.map((e) => e.item.id);
    const r = await h.client.setRead([ids[1] ?? '', ids[2] ?? ''], true);
    expect(r.relisted).toBe(false);
    expect(r.results.map((x) => x.ok)).toEqual([true, true]);
    const after = await h.client.listVoicemails();
    expect(after.items.map((e) => e.item.read)).toEqual([true, true, true, true]);
    await h.client.setRead([ids[0] ?? ''], false);
    expect((await h.client.listVoicemails()).items[0]?.item.read).toBe(false);
  });

  it('deletes, reporting a per-item failure unwrapped from NWK_RSP (5xx)', async () => {
    h = await harness({ voicemails: voicemails(3) });
    const ids = (await h.client.listVoicemails()).items.map((e) => e.item.id);
    const missing = 'f'.repeat(32);
    const r = await h.client.delete([ids[0] ?? '', missing]);
    expect(r.results).toEqual([
      { id: ids[0], ok: true, code: 200, reason: 'OK' },
      { id: missing, ok: false, code: 400, reason: 'Internal server error' },
    ]);
    expect(h.relay.stats.log.some((x) => x.target.endsWith('/bulkDelete') && x.status === 500)).toBe(true);
    expect((await h.client.listVoicemails()).items.map((e) => e.item.id)).toEqual(ids.slice(1));
  });

  it('a 5xx without NWK_RSP is http.server; a 200 that is not a bulk list is http.badResponse', async () => {
    h = await harness({ voicemails: voicemails(1) });
    const id = (await h.client.listVoicemails()).items[0]?.item.id ?? '';
    h.relay.setFaults([{ pathIncludes: 'bulkDelete', times: 1, action: { kind: 'status', status: 503, body: '<html>busy</html>', headers: { 'Content-Type': 'text/html' } } }]);
    await expect(h.client.delete([id])).rejects.toMatchObject({ code: 'http.server', retryable: true });
    h.relay.setFaults([{ pathIncludes: 'bulkUpdate', times: 1, action: { kind: 'status', status: 200, body: '{"bulkResponseList":{"response":[{"code":"abc"}]}}' } }]);
    await expect(h.client.setRead([id], true)).rejects.toMatchObject({ code: 'http.badResponse' });
    // Nothing was deleted by the failed attempt.
    expect((await h.client.listVoicemails()).items).toHaveLength(1);
  });

  it('re-lists after MSTORE_RLY-MST_NWKERR to learn what happened; a nonsense id is a failure', async () => {
    h = await harness({ voicemails: voicemails(2) });
    const ids = (await h.client.listVoicemails()).items.map((e) => e.item.id);
    const r = await h.client.delete([ids[0] ?? '', 'test']);
    expect(r.relisted).toBe(true);
    expect(r.results).toEqual([
      { id: ids[0], ok: true, code: null, reason: 'deleted (confirmed by listing)' },
      { id: 'test', ok: false, code: null, reason: 'no such object' },
    ]);
    expect((await h.client.listVoicemails()).items.map((e) => e.item.id)).toEqual([ids[1]]);
    // Marking read with a nonsense id: the valid one is changed, the nonsense one reported as missing.
    const m = await h.client.setRead([ids[1] ?? '', 'test'], true);
    expect(m.relisted).toBe(true);
    expect(m.results).toEqual([
      { id: ids[1], ok: true, code: null, reason: 'OK (confirmed by listing)' },
      { id: 'test', ok: false, code: null, reason: 'no such object' },
    ]);
  });
});

describe('bulk delete answered with NWKERR', () => {
  it('a client that never listed learns what existed first: unknown ids fail, listed ones are confirmed', async () => {
    h = await harness({ voicemails: voicemails(3) });
    const ids = h.relay.snapshot().voicemails.map((v) => v.id ?? '');
    const missing = 'e'.repeat(32);
    // The relay deletes, then answers NWKERR (its results are lost): only a before/after comparison can tell.
    h.relay.setFaults([{ pathIncludes: 'bulkDelete', times: 1, action: { kind: 'applyThenNwkErr' } }]);
    const r = await h.client.delete([ids[0] ?? '', missing, 'test']);
    expect(r.relisted).toBe(true);
    expect(r.results.map((x) => [x.id, x.ok, x.reason])).toEqual([
      [ids[0], true, 'deleted (confirmed by listing)'],
      [missing, false, 'no such object'],
      ['test', false, 'no such object'],
    ]);
    // Two searches before the delete (both folders), then the delete, then two after.
    const searches = h.relay.stats.log.filter((x) => x.authenticated).map((x) => x.target.split('/').pop());
    expect(searches).toEqual(['search', 'search', 'bulkDelete', 'search', 'search']);
    expect(h.relay.snapshot().voicemails.map((v) => v.id)).toEqual(ids.slice(1));
  });

  it('an object the relay kept is reported as not deleted; a second delete of a deleted id fails', async () => {
    h = await harness({ voicemails: voicemails(2) });
    const ids = (await h.client.listVoicemails()).items.map((e) => e.item.id);
    h.relay.setFaults([{ pathIncludes: 'bulkDelete', times: 1, action: { kind: 'status', status: 400, body: '{"error":"MSTORE_RLY-MST_NWKERR"}' } }]);
    const kept = await h.client.delete([ids[0] ?? '']);
    expect(kept.results).toEqual([{ id: ids[0], ok: false, code: null, reason: 'not deleted (still listed)' }]);
    expect((await h.client.delete([ids[0] ?? ''])).results.map((x) => x.ok)).toEqual([true]);
    h.relay.setFaults([{ pathIncludes: 'bulkDelete', times: 1, action: { kind: 'applyThenNwkErr' } }]);
    const again = await h.client.delete([ids[0] ?? '', ids[1] ?? '']);
    expect(again.results.map((x) => [x.id, x.ok])).toEqual([
      [ids[0], false],
      [ids[1], true],
    ]);
  });
});

describe('greetings', () => {
  const greetings = [
    { date: '2026-01-01T10:00:00Z', active: true, audioBase64: Buffer.from(syntheticAmr(100)).toString('base64') },
    { date: '2026-02-01T10:00:00Z', active: false, audioBase64: Buffer.from(syntheticAmr(150)).toString('base64'), type: 'voice-signature' as const },
  ];

  it('uploads an AMR greeting (nested multipart), finds it by listing, activates exactly it', async () => {
    h = await harness({ greetings });
    const g = await h.client.uploadGreeting(syntheticAmr(175), { activate: true, subject: 'hello' });
    expect(g?.duration).toBe(4); // 175 x 20 ms = 3.5 s, rounded
    expect(g?.active).toBe(true);
    const list = (await h.client.listGreetings()).items.map((e) => e.item);
    expect(list).toHaveLength(3);
    expect(list.filter((x) => x.active).map((x) => x.id)).toEqual([g?.id]);
    expect(list.find((x) => x.id === g?.id)?.subject).toBe('hello');
  });

  it('mark-active clears the flag on the others; mark-inactive clears it', async () => {
    h = await harness({ greetings });
    const list = (await h.client.listGreetings()).items.map((e) => e.item);
    const inactive = list.find((x) => !x.active);
    await h.client.makeActive(inactive?.id ?? '');
    const after = (await h.client.listGreetings()).items.map((e) => e.item);
    expect(after.filter((x) => x.active).map((x) => x.id)).toEqual([inactive?.id]);
    await h.client.setGreetingFlag(inactive?.id ?? '', false);
    expect((await h.client.listGreetings()).items.some((e) => e.item.active)).toBe(false);
  });

  it('a full greeting folder is refused with the numbers and the delete action, not a bare 403', async () => {
    const full = Array.from({ length: 9 }, (_, i) => ({ date: `2026-01-0${i + 1}T10:00:00Z`, active: i === 0, audioBase64: Buffer.from(syntheticAmr(50)).toString('base64') }));
    h = await harness({ greetings: full });
    await expect(h.client.uploadGreeting(syntheticAmr(100))).rejects.toMatchObject({ code: 'http.forbidden', action: 'deleteGreeting', message: '9 of 9 greetings: the greeting folder is full', detail: { occupied: 9, quota: 9 } });
    // One fewer, and the same upload goes through.
    await h.client.delete([(await h.client.listGreetings()).items[8]?.item.id ?? ''], {});
    await expect(h.client.uploadGreeting(syntheticAmr(100))).resolves.not.toBeNull();
  });

  it('refuses a non-AMR upload before sending anything', async () => {
    h = await harness();
    const before = h.relay.stats.connections;
    await expect(h.client.uploadGreeting(new TextEncoder().encode('RIFF....WAVEfmt '))).rejects.toBeInstanceOf(AudioError);
    expect(h.relay.stats.connections).toBe(before);
  });
});

describe('faults', () => {
  it('a 504 is http.server, retryable', async () => {
    h = await harness({}, { faults: [{ pathIncludes: 'vvmserviceProfile', action: { kind: 'status', status: 504 } }] });
    await expect(h.client.getProfile()).rejects.toMatchObject({ code: 'http.server', retryable: true });
  });

  it('a connection dropped mid-body is a typed error', async () => {
    h = await harness({ voicemails: voicemails(2) }, { faults: [{ pathIncludes: '/search', action: { kind: 'dropMidBody' } }] });
    await expect(h.client.listVoicemails()).rejects.toBeInstanceOf(HttpError);
  });

  it('malformed JSON and wrong types are http.badResponse', async () => {
    h = await harness({}, { faults: [{ pathIncludes: 'vvmserviceProfile', times: 1, action: { kind: 'status', status: 200, body: '{"vvmserviceProfile":' } }] });
    await expect(h.client.getProfile()).rejects.toMatchObject({ code: 'http.badResponse' });
    h.relay.setFaults([{ pathIncludes: 'Quota', action: { kind: 'status', status: 200, body: JSON.stringify({ folder: { attributes: { attribute: [{ name: 'TotalStorage', value: ['lots'] }] } } }) } }]);
    await expect(h.client.getQuota('voicemail')).rejects.toMatchObject({ code: 'http.badResponse' });
  });

  it('cancellation stops a slow request', async () => {
    h = await harness({}, { faults: [{ pathIncludes: 'vvmserviceProfile', action: { kind: 'delay', ms: 3000 } }] });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await expect(h.client.getProfile({ signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('hostile server input', () => {
  it('URLs naming foreign public and backend hosts: the listing is complete, downloads work, those hosts are never contacted', async () => {
    // The relay does not rewrite the hosts in its URLs (protocol notes, "Servers"): here they all name a
    // listener that counts connections, as outer (public) host and as backend inside ?path=.
    let contacted = 0;
    const foreign = net.createServer((sock) => {
      contacted++;
      sock.destroy();
    });
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', () => r()));
    const port = (foreign.address() as net.AddressInfo).port;
    const origin = `http://127.0.0.1:${port}`;
    try {
      h = await harness({ voicemails: voicemails(3), greetings: [{ date: '2026-01-01T00:00:00Z', active: true, audioBase64: Buffer.from(syntheticAmr(20)).toString('base64') }], urls: { publicOrigin: origin, backendOrigin: origin } });
      const debug: unknown[] = [];
      const logger = { debug: (m: string, f?: Record<string, unknown>) => m.includes('another host') && debug.push(f), info: () => {}, warn: () => {}, error: () => {} };
      const key = fixedKey();
      const relay = await startRelay({ scenario: h.relay.snapshot(), nafKey: key.nafKey });
      try {
        const client = new MstoreClient({ http: fixedKeyAuth(createNodeHttp({ connectTimeoutMs: 5000, readTimeoutMs: 5000, maxResponseBytes: 1 << 22 }), key), server: relay.url, msisdn: () => Promise.resolve(MSISDN), clock, random, logger });
        const snap = relay.snapshot();
        const l = await client.listVoicemails();
        expect(l.rejected).toEqual([]);
        expect(l.items.map((e) => e.item.id).sort()).toEqual(snap.voicemails.map((v) => v.id).sort());
        for (const e of l.items) {
          expect((await client.download(e.payloadPath)).bytes).toEqual(new Uint8Array(Buffer.from(snap.voicemails.find((v) => v.id === e.item.id)?.audioBase64 ?? '', 'base64')));
          expect((await client.getVoicemail(e.item.id)).item).toEqual(e.item);
        }
        expect((await client.setRead(l.items.map((e) => e.item.id), true)).results.every((r) => r.ok)).toBe(true);
        const g = await client.listGreetings();
        expect(g.items.map((e) => e.item.active)).toEqual([true]);
        expect(contacted).toBe(0);
        // The unexpected host is logged (debug), once.
        expect(debug).toEqual([{ host: `127.0.0.1:${port}` }]);
      } finally {
        await relay.close();
      }
    } finally {
      foreign.close();
    }
  });

  it('URLs climbing out of the object space are skipped and reported, never followed', async () => {
    h = await harness({ voicemails: voicemails(2) });
    const bad = (id: string) => `${h?.relay.url}?path=http://wsg.mstore.msg.eng.t-mobile.com:8082/oemclient/nms/v1/ums/x/objects/${id}`;
    const obj = (id: string, href: string) => ({
      attributes: { attribute: [{ name: 'date', value: ['2026-01-01T00:00:00Z'] }] },
      resourceURL: bad(id),
      payloadPart: [{ contentType: 'audio/amr', size: '10', href }],
    });
    const body = JSON.stringify({ objectList: { object: [obj('a1', bad('a1/%2e%2e/%2E%2E/payloadParts/part1')), obj('a2', `${h.relay.url}/../../etc/objects/a2`), obj('a3', bad('a3/payloadParts/part1'))] } });
    h.relay.setFaults([{ pathIncludes: '/search', action: { kind: 'status', status: 200, body } }]);
    const l = await h.client.listVoicemails();
    expect(l.items.map((e) => e.item.id)).toEqual(['a3']);
    expect(l.rejected.map((r) => r.index)).toEqual([0, 1]);
  });

  it('a body over the size cap is http.badResponse', async () => {
    h = await harness();
    h.relay.setFaults([{ pathIncludes: 'vvmserviceProfile', action: { kind: 'status', status: 200, body: 'x'.repeat(5 * 1024 * 1024) } }]);
    await expect(h.client.getProfile()).rejects.toMatchObject({ code: 'http.badResponse' });
  });

  it('a relay that never answers is net.timeout, and a broken payload encoding is http.badResponse', async () => {
    h = await harness({ voicemails: voicemails(1) }, { faults: [{ pathIncludes: 'vvmserviceProfile', action: { kind: 'hang' } }] });
    await expect(h.client.getProfile()).rejects.toMatchObject({ code: 'net.timeout' });
    const e = (await h.client.listVoicemails()).items[0];
    h.relay.setFaults([{ pathIncludes: 'payloadParts', action: { kind: 'raw', bytes: 'HTTP/1.0 200 OK\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!' } }]);
    await expect(h.client.download(e?.payloadPath ?? '')).rejects.toMatchObject({ code: 'http.badResponse' });
  }, 20_000);
});

describe('bad server input, injected by the relay: a typed error or a skipped object, never a crash or a hang', () => {
  const BAD = 'http.badResponse';
  const tel = encodeURIComponent(`tel:${MSISDN}`);
  /** An object as the relay writes it, with every URL in the extended form, optionally altered. */
  function rawObject(relayUrl: string, id: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
    const ext = (p: string) => `${relayUrl}?path=http://wsg.mstore.msg.eng.t-mobile.com:8082/oemclient/nms/v1/ums/${tel}${p}`;
    return {
      attributes: { attribute: [{ name: 'date', value: ['2026-01-01T00:00:00Z'] }, { name: 'content-duration', value: ['3'] }] },
      flags: { flag: ['\\Seen'] },
      resourceURL: ext(`/objects/${id}`),
      payloadPart: [{ contentType: 'audio/amr', size: '10', contentDisposition: 'attachment; filename="vm.amr"', href: ext(`/objects/${id}/payload/payloadParts/part1`) }],
      ...patch,
    };
  }
  const status200 = (pathIncludes: string, body: string): FaultRule => ({ pathIncludes, action: { kind: 'status', status: 200, body } });

  type Row = [string, (url: string) => FaultRule, (hh: Harness, payloadPath: string, id: string) => Promise<unknown>, string];
  const rows: Row[] = [
    ['malformed JSON: profile', () => status200('vvmserviceProfile', '{"vvmserviceProfile":'), (hh) => hh.client.getProfile(), BAD],
    ['malformed JSON: quota', () => status200('Quota', '{'), (hh) => hh.client.getQuota('voicemail'), BAD],
    ['malformed JSON: search', () => status200('/search', '[1,'), (hh) => hh.client.listVoicemails(), BAD],
    ['malformed JSON: object', () => status200('/objects/', 'nope'), (hh, _p, id) => hh.client.getVoicemail(id), BAD],
    ['malformed JSON: bulk', () => status200('bulkUpdate', '{"NWK_RSP":"{broken"}'), (hh, _p, id) => hh.client.setRead([id], true), BAD],
    ['not UTF-8', () => ({ pathIncludes: 'vvmserviceProfile', action: { kind: 'raw', bytes: 'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"a":"\xff\xfe"}' } }), (hh) => hh.client.getProfile(), BAD],
    ['wrong types: profile value not a list', () => status200('vvmserviceProfile', '{"vvmserviceProfile":{"attributes":{"attribute":[{"name":"vvmon","value":"true"}]}}}'), (hh) => hh.client.getProfile(), BAD],
    ['wrong types: objectList a string', () => status200('/search', '{"objectList":"x"}'), (hh) => hh.client.listVoicemails(), BAD],
    ['wrong types: object size a number', (u) => status200('/objects/', JSON.stringify({ object: rawObject(u, 'a'.repeat(32), { payloadPart: [{ contentType: 'audio/amr', size: 10, href: 'x' }] }) })), (hh, _p, id) => hh.client.getVoicemail(id), BAD],
    ['huge body: search', () => status200('/search', `{"objectList":{"object":[${'1,'.repeat(2_500_000)}1]}}`), (hh) => hh.client.listVoicemails(), BAD],
    ['huge body: payload', () => status200('payloadParts', 'A'.repeat(5 * 1024 * 1024)), (hh, p) => hh.client.download(p), BAD],
    ['extended URL with traversal in the payload href: object', (u) => status200('/objects/', JSON.stringify({ object: rawObject(u.replace('127.0.0.1', 'evil.example'), 'b'.repeat(32), { payloadPart: [{ contentType: 'audio/amr', size: '10', href: `${u}?path=http://h/objects/%2E%2E/x` }] }) })), (hh, _p, id) => hh.client.getVoicemail(id), BAD],
    ['extended URL with traversal: object', (u) => status200('/objects/', JSON.stringify({ object: rawObject(u, '..%2f..%2fvvmserviceProfile') })), (hh, _p, id) => hh.client.getVoicemail(id), BAD],
    ['bulk result with traversal', () => status200('bulkUpdate', JSON.stringify({ bulkResponseList: { response: [{ code: '200', reason: 'OK', success: { resourceURL: 'https://evil.example/phone20/mStoreRelay/oemclient/nms/v1/ums/x/objects/%2e%2e' } }] } })), (hh, _p, id) => hh.client.setRead([id], true), BAD],
    ['truncated body with Content-Length: search', () => ({ pathIncludes: '/search', action: { kind: 'dropMidBody' } }), (hh) => hh.client.listVoicemails(), BAD],
    ['truncated body with Content-Length: payload', () => ({ pathIncludes: 'payloadParts', action: { kind: 'dropMidBody' } }), (hh, p) => hh.client.download(p), BAD],
    ['truncated body without Content-Length: search', () => ({ pathIncludes: '/search', action: { kind: 'truncateNoLength' } }), (hh) => hh.client.listVoicemails(), BAD],
    ['not HTTP at all', () => ({ pathIncludes: 'vvmserviceProfile', action: { kind: 'raw', bytes: 'SSH-2.0-OpenSSH\r\n' } }), (hh) => hh.client.getProfile(), BAD],
  ];
  for (const [name, fault, call, code] of rows) {
    it(name, async () => {
      h = await harness({ voicemails: voicemails(1) });
      const e = (await h.client.listVoicemails()).items[0];
      if (!e) throw new Error('no voicemail');
      h.relay.setFaults([fault(h.relay.url)]);
      await expect(call(h, e.payloadPath, e.item.id)).rejects.toMatchObject({ code });
      // The relay is still answering and its state is untouched.
      h.relay.setFaults([]);
      expect((await h.client.listVoicemails()).items.map((x) => x.item.id)).toEqual([e.item.id]);
    });
  }

  it('truncated payload without Content-Length: caught by the listed size', async () => {
    h = await harness({ voicemails: voicemails(2) });
    const e = (await h.client.listVoicemails()).items[0];
    if (!e) throw new Error('no voicemail');
    h.relay.setFaults([{ pathIncludes: 'payloadParts', action: { kind: 'truncateNoLength' } }]);
    await expect(h.client.download(e.payloadPath, { expectedSize: e.item.size })).rejects.toMatchObject({ code: BAD, retryable: true });
    await expect(h.client.downloadMany([e.payloadPath], { sizes: [e.item.size] })).rejects.toMatchObject({ code: BAD });
    h.relay.setFaults([]);
    expect((await h.client.download(e.payloadPath, { expectedSize: e.item.size })).bytes).toHaveLength(e.item.size);
  });

  it('one malformed object in a page is skipped and reported; the others are listed', async () => {
    h = await harness();
    const u = h.relay.url;
    const page = { objectList: { object: [rawObject(u, 'c'.repeat(32)), rawObject(u, 'd'.repeat(32), { attributes: { attribute: [{ name: 'date', value: ['yesterday'] }] } }), rawObject(u, 'e'.repeat(32))] } };
    h.relay.setFaults([status200('/search', JSON.stringify(page))]);
    const l = await h.client.listVoicemails();
    expect(l.items.map((x) => x.item.id)).toEqual(['c'.repeat(32), 'e'.repeat(32)]);
    expect(l.rejected).toEqual([{ index: 1, id: 'd'.repeat(32), reason: 'date is not an ISO instant' }]);
  });

  it('hostile file names from the listing and from the download are made safe', async () => {
    h = await harness({ voicemails: voicemails(1) });
    const u = h.relay.url;
    const id = 'c'.repeat(32);
    const o = rawObject(u, id, {});
    const parts = o.payloadPart as Record<string, unknown>[];
    o.payloadPart = [{ ...parts[0], contentDisposition: 'attachment; filename="..\\..\\CON.amr"' }];
    h.relay.setFaults([status200('/search', JSON.stringify({ objectList: { object: [o] } }))]);
    expect((await h.client.listVoicemails()).items[0]?.item.filename).toBe('_CON.amr');
    h.relay.setFaults([]);
    const e = (await h.client.listVoicemails()).items[0];
    h.relay.setFaults([{ pathIncludes: 'payloadParts', action: { kind: 'raw', bytes: 'HTTP/1.0 200 OK\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="../../../etc/passwd"\r\n\r\nIyFBTVIK' } }]);
    const p = await h.client.download(e?.payloadPath ?? '');
    expect(p.filename).toBe('passwd');
    expect(new TextDecoder().decode(p.bytes)).toBe('#!AMR\n');
  });
});

describe('HTTPS', () => {
  it('works against the relay over TLS with the test CA, and refuses it without', async () => {
    const ca = createTestCa();
    try {
      h = await harness({ voicemails: voicemails(2) }, {}, ca);
      expect(h.relay.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
      expect((await h.client.listVoicemails()).items).toHaveLength(2);
      await h.close();
      h = await harness({}, {}, { ...ca, caPem: '' });
      await expect(h.client.getProfile()).rejects.toMatchObject({ code: 'net.tls' });
    } finally {
      ca.cleanup();
    }
  });
});
