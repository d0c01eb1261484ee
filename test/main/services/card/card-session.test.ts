import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex, utf8 } from '../../../../shared/bytes.js';
import { CardError, CancelledError } from '../../../../main/errors.js';
import type { CardPort } from '../../../../main/services/ports.js';
import { CardSession } from '../../../../main/services/card/card-session.js';
import { CardService, pickReader } from '../../../../main/services/card/card-service.js';
import { pinSource, recordingPort } from './sim-port.js';
import { SimulatedUicc } from '../../../../main/sim/card/simulated-uicc.js';
import { DEMO_READER_NAME, InProcessCardReader } from '../../../../main/sim/card/in-process-reader.js';
import { demoProfile, simSubscriber, type SimProfileInput } from '../../../../main/sim/card/profile.js';
import { buildAutn, milenage, openAuts } from '../../../../main/protocol/milenage.js';
import { toggleGbaUMac } from '../../../../main/protocol/gba/gba-u.js';
import { deriveKsNaf } from '../../../../main/protocol/gba/kdf.js';
import { EF_GBABP } from '../../../../main/protocol/uicc/files.js';

const RAND = fromHex('23553cbe9637a89d218ae64dae47bf35');
const AMF = fromHex('8000');
const sqn = (n: number) => fromHex(n.toString(16).padStart(12, '0'));

async function open(p: Partial<SimProfileInput> = {}, protocol: 'T0' | 'T1' = 'T1', pin: string | null = null) {
  const card = new SimulatedUicc(demoProfile(p), { protocol });
  const { port, sent } = recordingPort(card);
  const ps = pinSource(pin);
  const s = await CardSession.open(port, { pinSource: ps.src });
  return { card, s, sent, ps };
}

async function failure(p: Promise<unknown>): Promise<CardError> {
  const e = await p.then(() => null, (x: unknown) => x);
  if (!(e instanceof CardError)) throw new Error(`expected a CardError, got ${String(e)}`);
  return e;
}

describe('CardSession: identity with the minimum of APDUs', () => {
  it('reads the ISIM on its own logical channel, each file once', async () => {
    const { s, sent } = await open();
    expect(s.info()).toEqual({
      reader: DEMO_READER_NAME, protocol: 'T1', iccid: '8901260123456789012', app: 'ISIM',
      impi: '310260123456789@msg.pc.t-mobile.com',
      impu: ['sip:+12065550100@msg.pc.t-mobile.com', 'tel:+12065550100', 'sip:310260123456789@msg.pc.t-mobile.com'],
      domain: 'msg.pc.t-mobile.com', msisdn: '+12065550100', gba: 'GBA_ME',
      pin: { enabled: false, verified: false, triesLeft: null }, apduCount: sent.length,
    });
    // MANAGE CHANNEL; EF_DIR select + 1 record (ISIM first); ICCID 2; ISIM; IMPI 2; DOMAIN 2; IMPU 1+3; IST 2
    expect(sent.length).toBe(16);
    expect(sent[0]).toBe('0070000001');
    expect(sent.slice(1).every((a) => a.startsWith('01'))).toBe(true); // channel 1 CLA
    expect(new Set(sent).size).toBe(sent.length); // no repeated SELECT or READ
    await s.close();
    expect(sent.at(-1)).toBe('01708001');
  });
  it('gives the same result over a T=0 style card (61xx/GET RESPONSE)', async () => {
    const t1 = await open();
    const t0 = await open({}, 'T0');
    const { apduCount: a1, ...i1 } = t1.s.info();
    const { apduCount: a0, ...i0 } = t0.s.info();
    expect({ ...i0, protocol: 'T1' }).toEqual(i1);
    expect(i0.protocol).toBe('T0');
    expect(a0).toBeGreaterThan(a1);
    expect(t0.sent.some((a) => a.startsWith('01c00000'))).toBe(true);
  });
  it('falls back to the USIM with the TS 23.003 IMPI', async () => {
    const { s } = await open({ isim: false, imsi: '234150999999999', mncLength: 2 });
    expect(s.identity).toEqual({ app: 'USIM', impi: '234150999999999@ims.mnc015.mcc234.3gppnetwork.org', impu: [], domain: null, msisdn: null, imsi: '234150999999999', mcc: '234', mnc: '15', gba: 'GBA_ME' });
  });
  it('uses the basic channel when the card has no spare logical channel', async () => {
    const card = new SimulatedUicc(demoProfile(), { channels: 1 });
    const rec = recordingPort(card);
    const s1 = await CardSession.open(rec.port);
    expect(s1.identity.impi).toBe('310260123456789@msg.pc.t-mobile.com');
    expect(rec.sent[0]).toBe('0070000001');
    expect(rec.sent.slice(1).every((a) => a.startsWith('00'))).toBe(true);
  });
});

describe('CardSession: PIN policy', () => {
  it('asks the source only when needed and verifies', async () => {
    const { s, ps, card } = await open({ pin: '1234' }, 'T1', '1234');
    expect(s.info().pin).toEqual({ enabled: true, verified: true, triesLeft: null });
    expect(ps.calls.get).toEqual([{ readerName: DEMO_READER_NAME, iccid: '8901260123456789012', triesLeft: 3 }]);
    expect(ps.calls.accepted).toBe(1);
    expect(card.pinTriesLeft).toBe(3);
  });
  it('no PIN available: card.pinRequired with the tries left, none spent', async () => {
    const card = new SimulatedUicc(demoProfile({ pin: '1234' }));
    const e = await failure(CardSession.open(recordingPort(card).port, { pinSource: pinSource(null).src }));
    expect(e.code).toBe('card.pinRequired');
    expect(e.detail).toEqual({ triesLeft: 3 });
    expect(card.pinTriesLeft).toBe(3);
  });
  it('a wrong PIN is reported with tries left, the source is told, and it is never retried', async () => {
    const card = new SimulatedUicc(demoProfile({ pin: '1234' }));
    const ps = pinSource('4321');
    const e = await failure(CardSession.open(recordingPort(card).port, { pinSource: ps.src }));
    expect(e.code).toBe('card.pinWrong');
    expect(e.detail).toEqual({ triesLeft: 2 });
    expect(e.message).not.toContain('4321');
    expect(ps.calls.get.length).toBe(1);
    expect(ps.calls.rejected).toEqual([{ readerName: DEMO_READER_NAME, iccid: '8901260123456789012', triesLeft: 2 }]);
    expect(card.pinTriesLeft).toBe(2);
  });
  it('blocked: card.pinBlocked with the PUK hint, no PIN asked', async () => {
    const card = new SimulatedUicc(demoProfile({ pin: '1234', pinTries: 0 }));
    const ps = pinSource('1234');
    const e = await failure(CardSession.open(recordingPort(card).port, { pinSource: ps.src }));
    expect(e.code).toBe('card.pinBlocked');
    expect(e.hint).toMatch(/PUK/);
    expect(ps.calls.get.length).toBe(0);
  });
  it('the last wrong try blocks the PIN', async () => {
    const card = new SimulatedUicc(demoProfile({ pin: '1234', pinTries: 1 }));
    const e = await failure(CardSession.open(recordingPort(card).port, { pinSource: pinSource('0000').src }));
    expect(e.code).toBe('card.pinBlocked');
  });
  it('a malformed PIN is not sent to the card', async () => {
    const card = new SimulatedUicc(demoProfile({ pin: '1234' }));
    const e = await failure(CardSession.open(recordingPort(card).port, { pinSource: pinSource('12').src }));
    expect(e.code).toBe('card.pinRequired');
    expect(card.pinTriesLeft).toBe(3);
  });
});

describe('CardSession: AkaCard', () => {
  const sub = simSubscriber(demoProfile());
  it('AKA ok, sync failure with AUTS, MAC failure', async () => {
    const { s } = await open();
    const m = milenage(sub.k, sub.opc, RAND, sqn(0x100), AMF);
    expect(await s.authenticate(RAND, buildAutn(sub.k, sub.opc, RAND, sqn(0x100), AMF))).toEqual({ kind: 'ok', res: m.res, ck: m.ck, ik: m.ik });
    const sync = await s.authenticate(RAND, buildAutn(sub.k, sub.opc, RAND, sqn(0x50), AMF));
    expect(sync.kind).toBe('syncFailure');
    if (sync.kind === 'syncFailure') expect(openAuts(sub.k, sub.opc, RAND, sync.auts)).toEqual(sqn(0x100));
    const forged = buildAutn(sub.k, sub.opc, RAND, sqn(0x101), AMF);
    forged[9] = (forged[9] ?? 0) ^ 0x80;
    expect(await s.authenticate(RAND, forged)).toEqual({ kind: 'macFailure' });
    const bad = await failure(s.authenticate(RAND.slice(1), forged));
    expect(bad.code).toBe('card.apdu');
  });
  it('GBA_U: bootstrap, store B-TID, derive Ks_ext_NAF', async () => {
    const { s, card } = await open({ gbaU: true });
    expect(s.identity.gba).toBe('GBA_U');
    const m = milenage(sub.k, sub.opc, RAND, sqn(0x200), AMF);
    const autnStar = toggleGbaUMac(buildAutn(sub.k, sub.opc, RAND, sqn(0x200), AMF), m.ik);
    expect(await s.gbaBootstrap(RAND, autnStar)).toEqual({ kind: 'ok', res: m.res });
    await s.gbaStoreBootstrap('btid@bsf.example', '2030-01-01T00:00:00Z');
    expect(EF_GBABP.decode(card.readFile('ISIM', EF_GBABP.fid) ?? new Uint8Array())).toEqual({ rand: RAND, btid: 'btid@bsf.example', lifetime: '2030-01-01T00:00:00Z' });
    const nafId = concatBytes(utf8('wsg.t-mobile.com'), fromHex('010001002f'));
    expect(await s.gbaDeriveNafKey(nafId, sub.impi)).toEqual(deriveKsNaf(concatBytes(m.ck, m.ik), 'gba-me', RAND, sub.impi, nafId));
  });
  it('GBA_U commands on a GBA_ME card are card.unsupported', async () => {
    const { s } = await open();
    expect((await failure(s.gbaBootstrap(RAND, new Uint8Array(16)))).code).toBe('card.unsupported');
    expect((await failure(s.gbaStoreBootstrap('b', 'l'))).code).toBe('card.unsupported');
  });
  it('checks the abort signal between APDUs', async () => {
    const { s } = await open();
    const ac = new AbortController();
    ac.abort();
    await expect(s.authenticate(RAND, new Uint8Array(16), ac.signal)).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('CardService', () => {
  it('picks readers by name or substring and reports absent cards', () => {
    const readers = [{ name: 'Virtual PCD 00 00', cardPresent: false }, { name: 'Virtual PCD 00 01', cardPresent: true }];
    expect(pickReader(readers, undefined).name).toBe('Virtual PCD 00 01');
    expect(pickReader(readers, '00 01').name).toBe('Virtual PCD 00 01');
    expect(pickReader(readers, 'virtual pcd 00 01').name).toBe('Virtual PCD 00 01');
    expect(() => pickReader(readers, 'Virtual')).toThrow(/several/);
    expect(() => pickReader(readers, 'ACR')).toThrow(CardError);
    expect(() => pickReader([], undefined)).toThrow(/No smart-card reader/);
    expect(() => pickReader(readers, '00 00')).toThrow(expect.objectContaining({ code: 'card.absent' }));
  });
  it('reads card info through the in-process reader and reports a pulled card', async () => {
    const reader = new InProcessCardReader(new SimulatedUicc(demoProfile()));
    const svc = new CardService(reader, { pinSource: pinSource(null).src });
    expect((await svc.info()).msisdn).toBe('+12065550100');
    const session = await svc.openSession();
    reader.remove();
    const e = await failure(session.authenticate(RAND, new Uint8Array(16)));
    expect(e.code).toBe('card.removed');
    await session.close();
    expect((await failure(svc.info())).code).toBe('card.absent');
    await svc.close();
  });
});

describe('CardSession: cards that start a new channel away from the MF', () => {
  it('selects the MF explicitly and retries EF_DIR once', async () => {
    const card = new SimulatedUicc(demoProfile());
    const rec = recordingPort(card);
    // Wrap the card: the first SELECT 2F00 answers 6A82 as if the channel started inside an ADF.
    let first = true;
    const port: CardPort = {
      ...rec.port,
      transmit: async (apdu, signal) => {
        if (first && toHex(apdu).startsWith('01a40004022f00')) {
          first = false;
          rec.sent.push(toHex(apdu));
          return fromHex('6a82');
        }
        return rec.port.transmit(apdu, signal);
      },
    };
    const s = await CardSession.open(port);
    expect(s.identity.app).toBe('ISIM');
    expect(rec.sent.filter((a) => a.startsWith('01a40004023f00'))).toHaveLength(1);
  });
});
