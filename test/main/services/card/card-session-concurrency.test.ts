// Concurrent callers on one CardSession (T=0 GET RESPONSE chains must not interleave) and the
// transparent reconnect after another program reset the card.
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, utf8 } from '../../../../shared/bytes.js';
import { CancelledError, CardError } from '../../../../main/errors.js';
import type { CardPort } from '../../../../main/services/ports.js';
import { CardSession } from '../../../../main/services/card/card-session.js';
import { FifoLock } from '../../../../main/services/card/fifo-lock.js';
import type { PinSource } from '../../../../main/services/card/pin-source.js';
import { pinSource, recordingPort } from './sim-port.js';
import { SimulatedUicc } from '../../../../main/sim/card/simulated-uicc.js';
import { DEMO_READER_NAME, InProcessCardReader } from '../../../../main/sim/card/in-process-reader.js';
import { demoProfile, simSubscriber, type SimProfileInput } from '../../../../main/sim/card/profile.js';
import { buildAutn, milenage } from '../../../../main/protocol/milenage.js';
import { toggleGbaUMac } from '../../../../main/protocol/gba/gba-u.js';
import { deriveKsNaf } from '../../../../main/protocol/gba/kdf.js';

const AMF = fromHex('8000');
const sqn = (n: number) => fromHex(n.toString(16).padStart(12, '0'));
const rand = (n: number) => fromHex(n.toString(16).padStart(2, '0').repeat(16));

async function failure(p: Promise<unknown>): Promise<CardError> {
  const e = await p.then(() => null, (x: unknown) => x);
  if (!(e instanceof CardError)) throw new Error(`expected a CardError, got ${String(e)}`);
  return e;
}

describe('FifoLock', () => {
  it('serves waiters in order, and an aborted waiter leaves the queue', async () => {
    const lock = new FifoLock();
    const order: string[] = [];
    const first = await lock.acquire();
    const ac = new AbortController();
    const a = lock.run(async () => void order.push('a'));
    const b = lock.run(async () => void order.push('b'), ac.signal);
    const c = lock.run(async () => void order.push('c'));
    expect(lock.waiting).toBe(3);
    ac.abort();
    await expect(b).rejects.toBeInstanceOf(CancelledError);
    expect(lock.waiting).toBe(2);
    first();
    first(); // idempotent: must not release the next holder
    await Promise.all([a, c]);
    expect(order).toEqual(['a', 'c']);
    expect(lock.waiting).toBe(0);
  });
});

describe('CardSession: concurrent callers on a T=0 card', () => {
  const profile: Partial<SimProfileInput> = { gbaU: true };
  const sub = simSubscriber(demoProfile(profile));

  it('never interleaves APDU exchanges: every 61xx is followed by its own GET RESPONSE', async () => {
    const card = new SimulatedUicc(demoProfile(profile), { protocol: 'T0' });
    const { port, sent } = recordingPort(card, 1);
    const s = await CardSession.open(port);
    const cla = (sent[1] ?? '').slice(0, 2); // the first command on our channel (SELECT EF_DIR)
    sent.length = 0;
    const jobs = [1, 2, 3, 4].map((i) => {
      const r = rand(i);
      const m = milenage(sub.k, sub.opc, r, sqn(0x100 * i), AMF);
      return { r, m, autn: buildAutn(sub.k, sub.opc, r, sqn(0x100 * i), AMF) };
    });
    // Four AUTHENTICATEs in increasing SQN order plus NAF derivations, all at once.
    const nafId = concatBytes(utf8('wsg.t-mobile.com'), fromHex('010001002f'));
    const results = await Promise.all(jobs.map((j) => s.authenticate(j.r, j.autn)));
    results.forEach((res, i) => expect(res).toEqual({ kind: 'ok', res: jobs[i]?.m.res, ck: jobs[i]?.m.ck, ik: jobs[i]?.m.ik }));
    // Each AUTHENTICATE (INS 88) is immediately followed by GET RESPONSE (INS C0) on our channel.
    const ins = sent.map((a) => a.slice(2, 4));
    expect(ins).toEqual(['88', 'c0', '88', 'c0', '88', 'c0', '88', 'c0']);
    expect(sent.every((a) => a.startsWith(cla))).toBe(true);

    // GBA_U: bootstrap + store in one exclusive section while derivations and another AKA queue up.
    const r5 = rand(5);
    const m5 = milenage(sub.k, sub.opc, r5, sqn(0x600), AMF);
    const autnStar = toggleGbaUMac(buildAutn(sub.k, sub.opc, r5, sqn(0x600), AMF), m5.ik);
    const events: string[] = [];
    const section = s.exclusive(async (c) => {
      events.push('section start');
      const out = await c.gbaBootstrap(r5, autnStar);
      await c.gbaStoreBootstrap('btid@bsf.example', '2030-01-01T00:00:00Z');
      events.push('section end');
      return out;
    });
    const derive = s.gbaDeriveNafKey(nafId, sub.impi).then((k) => (events.push('derive'), k));
    expect(await section).toEqual({ kind: 'ok', res: m5.res });
    // The derivation asked while the section ran uses the NEW Ks: it waited for the section.
    expect(await derive).toEqual(deriveKsNaf(concatBytes(m5.ck, m5.ik), 'gba-me', r5, sub.impi, nafId));
    expect(events).toEqual(['section start', 'section end', 'derive']);
    await s.close();
  });

  it('a view used after its section ended is refused; close waits for the exchange on the card', async () => {
    const card = new SimulatedUicc(demoProfile(), { protocol: 'T0' });
    const { port, sent } = recordingPort(card, 1);
    const s = await CardSession.open(port);
    const view = await s.exclusive(async (c) => c);
    expect((await failure(view.authenticate(rand(1), new Uint8Array(16)))).message).toMatch(/after its exclusive section/);
    const r = rand(7);
    const pending = s.authenticate(r, buildAutn(simSubscriber(demoProfile()).k, simSubscriber(demoProfile()).opc, r, sqn(0x900), AMF));
    await s.close();
    expect((await pending).kind).toBe('ok');
    // MANAGE CHANNEL close (INS 70) comes after the GET RESPONSE of the AUTHENTICATE, not inside it.
    expect(sent.slice(-3).map((a) => a.slice(2, 4))).toEqual(['88', 'c0', '70']);
    expect((await failure(s.authenticate(r, new Uint8Array(16)))).message).toMatch(/closed/);
  });

  it('an aborted waiter never reaches the card', async () => {
    const card = new SimulatedUicc(demoProfile(), { protocol: 'T0' });
    const { port, sent } = recordingPort(card, 1);
    const s = await CardSession.open(port);
    sent.length = 0;
    const ac = new AbortController();
    let release = () => {};
    const section = s.exclusive(() => new Promise<void>((r) => (release = r)));
    const waiting = s.authenticate(rand(1), new Uint8Array(16), ac.signal);
    ac.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    release();
    await section;
    expect(sent).toEqual([]);
    await s.close();
  });
});

describe('CardSession: reset by another program', () => {
  const sub = simSubscriber(demoProfile({ pin: '1234' }));

  async function openOnReader(p: Partial<SimProfileInput>, pin: string | null) {
    const card = new SimulatedUicc(demoProfile(p), { protocol: 'T0' });
    const reader = new InProcessCardReader(card);
    const port = await reader.connect(DEMO_READER_NAME);
    const ps = pinSource(pin);
    const s = await CardSession.open(port, { pinSource: ps.src });
    return { card, reader, s, ps };
  }

  it('reconnects, reopens the channel, reselects, verifies the PIN again and retries once', async () => {
    const { card, reader, s, ps } = await openOnReader({ pin: '1234' }, '1234');
    expect(ps.calls.get).toHaveLength(1);
    reader.resetCard();
    const r = rand(3);
    const m = milenage(sub.k, sub.opc, r, sqn(0x300), AMF);
    const before = s.apduCount;
    expect(await s.authenticate(r, buildAutn(sub.k, sub.opc, r, sqn(0x300), AMF))).toEqual({ kind: 'ok', res: m.res, ck: m.ck, ik: m.ik });
    // The same source was asked again (a reset forgets verification); no try was spent.
    expect(ps.calls.get).toHaveLength(2);
    expect(ps.calls.rejected).toEqual([]);
    expect(card.pinTriesLeft).toBe(3);
    // failed AUTH, MANAGE CHANNEL, SELECT ISIM (+GET RESPONSE), VERIFY status, VERIFY, AUTH (+GET RESPONSE)
    expect(s.apduCount - before).toBe(8);
    expect(s.info().pin).toEqual({ enabled: true, verified: true, triesLeft: null });
    await s.close();
  });

  it('a replayed AUTHENTICATE after the reset is a sync failure (the GBA resync handles it)', async () => {
    const { reader, s } = await openOnReader({}, null);
    const r = rand(4);
    const autn = buildAutn(sub.k, sub.opc, r, sqn(0x400), AMF);
    expect((await s.authenticate(r, autn)).kind).toBe('ok');
    reader.resetCard();
    expect((await s.authenticate(r, autn)).kind).toBe('syncFailure');
    await s.close();
  });

  it('the PIN source no longer has the PIN after the reset: card.pinRequired, nothing sent blindly', async () => {
    const card = new SimulatedUicc(demoProfile({ pin: '1234' }), { protocol: 'T1' });
    const reader = new InProcessCardReader(card);
    const pins = ['1234', null];
    const asked: number[] = [];
    const src: PinSource = { getPin: async (q) => (asked.push(q.triesLeft), pins.shift() ?? null), pinRejected: async () => {} };
    const s = await CardSession.open(await reader.connect(DEMO_READER_NAME), { pinSource: src });
    reader.resetCard();
    const e = await failure(s.authenticate(rand(1), buildAutn(sub.k, sub.opc, rand(1), sqn(0x10), AMF)));
    expect(e.code).toBe('card.pinRequired');
    expect(asked).toEqual([3, 3]);
    expect(card.pinTriesLeft).toBe(3);
  });

  it('a second reset during the retry is a typed card.removed', async () => {
    const card = new SimulatedUicc(demoProfile(), { protocol: 'T1' });
    const reader = new InProcessCardReader(card);
    const base = await reader.connect(DEMO_READER_NAME);
    const s = await CardSession.open(base);
    let resets = 0;
    // Reset again right after the session restored itself (on the retried AUTHENTICATE).
    const port: CardPort = base;
    const transmit = port.transmit.bind(port);
    port.transmit = async (apdu, sig) => {
      if (apdu[1] === 0x88 && resets < 2) {
        resets++;
        reader.resetCard();
      }
      return transmit(apdu, sig);
    };
    const e = await failure(s.authenticate(rand(1), new Uint8Array(16)));
    expect(e.code).toBe('card.removed');
    expect(e.message).toMatch(/reset again/);
    expect(resets).toBe(2);
  });

  it('a reset while the session opens: it reconnects and opens from the start, once', async () => {
    const card = new SimulatedUicc(demoProfile({ pin: '1234' }), { protocol: 'T0' });
    const reader = new InProcessCardReader(card);
    const base = await reader.connect(DEMO_READER_NAME);
    const transmit = base.transmit.bind(base);
    let n = 0;
    // Reset by "another program" just before the 6th APDU (inside the ISIM file reads) and again later.
    base.transmit = async (apdu, sig) => {
      if (++n === 6) reader.resetCard();
      return transmit(apdu, sig);
    };
    const ps = pinSource('1234');
    const s = await CardSession.open(base, { pinSource: ps.src });
    expect(s.info()).toMatchObject({ app: 'ISIM', msisdn: '+12065550100', pin: { enabled: true, verified: true } });
    expect(card.pinTriesLeft).toBe(3);
    await s.close();
    n = 0;
    const again = await reader.connect(DEMO_READER_NAME);
    const t2 = again.transmit.bind(again);
    again.transmit = async (apdu, sig) => {
      n++;
      if (n === 3 || n === 20) reader.resetCard();
      return t2(apdu, sig);
    };
    const e = await failure(CardSession.open(again, { pinSource: pinSource('1234').src }));
    expect(e.code).toBe('card.removed');
    expect(e.detail?.reset).toBe(true);
  });

  it('without reconnect support the reset error is passed on as card.removed', async () => {
    const card = new SimulatedUicc(demoProfile(), { protocol: 'T1' });
    const reader = new InProcessCardReader(card);
    const base = await reader.connect(DEMO_READER_NAME);
    const port: CardPort = { protocol: base.protocol, readerName: base.readerName, transmit: (a, sig) => base.transmit(a, sig), close: () => base.close() };
    const s = await CardSession.open(port);
    reader.resetCard();
    const e = await failure(s.authenticate(rand(1), new Uint8Array(16)));
    expect(e.code).toBe('card.removed');
    expect(e.detail?.reset).toBe(true);
  });
});
