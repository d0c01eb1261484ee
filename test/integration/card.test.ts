// The card layer through the real stack: pcsclite -> pcscd -> vpcd -> SimulatedUicc.
import { execFile } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromHex } from '../../shared/bytes.js';
import { CardError } from '../../main/errors.js';
import { PcscReaderPort } from '../../main/adapters/pcsc/pcsc-reader.js';
import { CardService } from '../../main/services/card/card-service.js';
import type { PinRequest, PinSource } from '../../main/services/card/pin-source.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import { demoProfile, simSubscriber, type SimProfileInput } from '../../main/sim/card/profile.js';
import type { VpcdAttachment } from '../../main/sim/card/vpcd-card.js';
import type { ReaderEvent } from '../../main/services/ports.js';
import { buildAutn, milenage, openAuts } from '../../main/protocol/milenage.js';
import { startPcscd, VPCD_READERS, type PcscdHarness } from '../support/pcscd.js';

const RAND = fromHex('23553cbe9637a89d218ae64dae47bf35');
const AMF = fromHex('8000');
const sqn = (n: number) => fromHex(n.toString(16).padStart(12, '0'));

let harness: PcscdHarness;
let current: VpcdAttachment | null = null;
let port: PcscReaderPort | null = null;

beforeAll(async () => {
  harness = await startPcscd();
});
afterEach(async () => {
  await port?.close();
  port = null;
  await current?.remove();
  current = null;
});
afterAll(async () => {
  await harness?.release();
});

function pins(pin: string | null) {
  const asked: PinRequest[] = [];
  const rejected: PinRequest[] = [];
  const src: PinSource = {
    getPin: async (r) => {
      asked.push(r);
      return pin;
    },
    pinRejected: async (r) => {
      rejected.push(r);
    },
  };
  return { src, asked, rejected };
}

async function withCard(p: Partial<SimProfileInput>, protocol: 'T0' | 'T1', pin: string | null = null) {
  const card = new SimulatedUicc(demoProfile(p), { protocol });
  current = await harness.attach(card, 0);
  port = new PcscReaderPort();
  const ps = pins(pin);
  const svc = new CardService(port, { pinSource: ps.src, reader: VPCD_READERS[0] });
  return { card, svc, ps, att: current };
}

// Another program resets the card: a separate Node process connects in shared mode and disconnects with
// SCARD_RESET_CARD. It must be another process, as in real life: pcscd forwards the reset to vpcd, and the
// simulated card that answers it runs on this process's event loop. From a second pcsclite context in this
// process, node-pcsclite's status-change callback blocks the event loop on the reader mutex that its
// disconnect holds while pcscd waits for the card, and everything deadlocks.
const RESET_SCRIPT = `
const pcsclite = require('pcsclite');
const name = process.argv[1];
const ctx = pcsclite();
const fail = (m) => { process.stderr.write(String(m) + '\\n'); process.exit(1); };
setTimeout(() => fail('no reader ' + name), 10000);
ctx.on('error', fail);
ctx.on('reader', (r) => {
  r.on('error', () => {});
  if (r.name !== name) return;
  r.connect({ share_mode: r.SCARD_SHARE_SHARED }, (err) => {
    if (err) return fail(err);
    r.disconnect(r.SCARD_RESET_CARD, (err2) => (err2 ? fail(err2) : process.exit(0)));
  });
});
`;

async function resetFromAnotherProgram(readerName: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['-e', RESET_SCRIPT, readerName], { cwd: process.cwd(), timeout: 20_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`the resetting program failed: ${stderr || err.message}`)) : resolve(),
    );
  });
}

function pick(m: { res: Uint8Array; ck: Uint8Array; ik: Uint8Array }) {
  return { res: m.res, ck: m.ck, ik: m.ik };
}

async function cardError(p: Promise<unknown>): Promise<CardError> {
  const e = await p.then(() => null, (x: unknown) => x);
  if (!(e instanceof CardError)) throw new Error(`expected a CardError, got ${String(e)}`);
  return e;
}

describe('card over pcscd + vpcd', () => {
  for (const protocol of ['T1', 'T0'] as const) {
    it(`reads card info with ${protocol}`, async () => {
      const { svc, att } = await withCard({}, protocol);
      const info = await svc.info();
      expect(info).toMatchObject({
        reader: VPCD_READERS[0], protocol, iccid: '8901260123456789012', app: 'ISIM', impi: '310260123456789@msg.pc.t-mobile.com',
        msisdn: '+12065550100', domain: 'msg.pc.t-mobile.com', gba: 'GBA_ME', pin: { enabled: false, verified: false, triesLeft: null },
      });
      expect(info.impu).toHaveLength(3);
      // Everything the session sent reached the card (plus the channel close); nothing else did.
      expect(att.apduCount).toBe(info.apduCount + 1);
      expect(info.apduCount).toBe(protocol === 'T1' ? 16 : 23);
    });
  }

  it('runs AKA: success, resync with AUTS, MAC failure', async () => {
    const { svc } = await withCard({}, 'T1');
    const sub = simSubscriber(demoProfile());
    await svc.withSession(async (s) => {
      const m = milenage(sub.k, sub.opc, RAND, sqn(0x100), AMF);
      expect(await s.authenticate(RAND, buildAutn(sub.k, sub.opc, RAND, sqn(0x100), AMF))).toEqual({ kind: 'ok', res: m.res, ck: m.ck, ik: m.ik });
      const sync = await s.authenticate(RAND, buildAutn(sub.k, sub.opc, RAND, sqn(0x80), AMF));
      expect(sync.kind).toBe('syncFailure');
      if (sync.kind === 'syncFailure') expect(openAuts(sub.k, sub.opc, RAND, sync.auts)).toEqual(sqn(0x100));
      const forged = buildAutn(sub.k, sub.opc, RAND, sqn(0x101), AMF);
      forged[12] = (forged[12] ?? 0) ^ 0x10;
      expect(await s.authenticate(RAND, forged)).toEqual({ kind: 'macFailure' });
    });
  });

  it('PIN required: no PIN available, tries left reported, none spent', async () => {
    const { svc, card } = await withCard({ pin: '2468' }, 'T0');
    const e = await cardError(svc.info());
    expect(e.code).toBe('card.pinRequired');
    expect(e.detail).toEqual({ triesLeft: 3 });
    expect(card.pinTriesLeft).toBe(3);
  });

  it('PIN correct: verified', async () => {
    const { svc } = await withCard({ pin: '2468' }, 'T1', '2468');
    expect((await svc.info()).pin).toEqual({ enabled: true, verified: true, triesLeft: null });
  });

  it('PIN wrong: tries left shown, source told, never retried', async () => {
    const { svc, card, ps } = await withCard({ pin: '2468' }, 'T1', '1111');
    const e = await cardError(svc.info());
    expect(e.code).toBe('card.pinWrong');
    expect(e.detail).toEqual({ triesLeft: 2 });
    expect(ps.asked).toHaveLength(1);
    expect(ps.rejected).toHaveLength(1);
    expect(card.pinTriesLeft).toBe(2);
  });

  it('PIN blocked: PUK hint', async () => {
    const { svc, ps } = await withCard({ pin: '2468', pinTries: 0 }, 'T1', '2468');
    const e = await cardError(svc.info());
    expect(e.code).toBe('card.pinBlocked');
    expect(e.hint).toMatch(/PUK/);
    expect(ps.asked).toHaveLength(0);
  });

  it('card removed in the middle of AUTHENTICATE: card.removed', async () => {
    const { svc, att } = await withCard({}, 'T1');
    const sub = simSubscriber(demoProfile());
    const session = await svc.openSession();
    att.dropOn((apdu) => apdu[1] === 0x88);
    const e = await cardError(session.authenticate(RAND, buildAutn(sub.k, sub.opc, RAND, sqn(0x100), AMF)));
    expect(e.code).toBe('card.removed');
    expect(e.hint).toBeTruthy();
    await session.close();
    await harness.waitAbsent(0);
    const again = await cardError(svc.info());
    expect(again.code).toBe('card.absent');
  });

  it('reset by another program: the session reconnects, verifies the PIN again and retries AKA once', async () => {
    const { svc, card, ps } = await withCard({ pin: '2468' }, 'T0', '2468');
    const sub = simSubscriber(demoProfile({ pin: '2468' }));
    await svc.withSession(async (s) => {
      expect(ps.asked).toHaveLength(1);
      await resetFromAnotherProgram(VPCD_READERS[0]);
      const m = milenage(sub.k, sub.opc, RAND, sqn(0x100), AMF);
      expect(await s.authenticate(RAND, buildAutn(sub.k, sub.opc, RAND, sqn(0x100), AMF))).toEqual({ kind: 'ok', res: m.res, ck: m.ck, ik: m.ik });
      // The reset forgot the verification: the same source was asked again; no try was spent.
      expect(ps.asked).toHaveLength(2);
      expect(ps.rejected).toHaveLength(0);
      expect(card.pinTriesLeft).toBe(3);
      expect(s.info().pin.verified).toBe(true);
      // The next command needs no recovery.
      const again = s.apduCount;
      expect((await s.authenticate(RAND, buildAutn(sub.k, sub.opc, RAND, sqn(0x101), AMF))).kind).toBe('ok');
      expect(s.apduCount - again).toBe(2);
    });
  });

  it('concurrent AUTHENTICATEs on a T=0 card through pcscd do not mix their GET RESPONSEs', async () => {
    const { svc } = await withCard({}, 'T0');
    const sub = simSubscriber(demoProfile());
    await svc.withSession(async (s) => {
      const n = [1, 2, 3];
      const res = await Promise.all(n.map((i) => s.authenticate(RAND, buildAutn(sub.k, sub.opc, RAND, sqn(0x100 * i), AMF))));
      res.forEach((r, i) => expect(r).toEqual({ kind: 'ok', ...pick(milenage(sub.k, sub.opc, RAND, sqn(0x100 * ((n[i] ?? 0))), AMF)) }));
    });
  });

  it('no card in the chosen reader: card.absent; unknown reader: card.noReader', async () => {
    port = new PcscReaderPort();
    const e1 = await cardError(new CardService(port, { pinSource: pins(null).src, reader: VPCD_READERS[1] }).info());
    expect(e1.code).toBe('card.absent');
    const e2 = await cardError(new CardService(port, { pinSource: pins(null).src, reader: 'no such reader' }).info());
    expect(e2.code).toBe('card.noReader');
    expect(e2.detail?.readers).toEqual(expect.arrayContaining([...VPCD_READERS]));
  });

  it('reports card insertion and removal as reader events', async () => {
    port = new PcscReaderPort();
    const events: ReaderEvent[] = [];
    const stop = port.watch((e) => events.push(e));
    await port.listReaders();
    const until = async (cond: () => boolean, what: string) => {
      const start = Date.now();
      while (!cond()) {
        if (Date.now() - start > 10_000) throw new Error(`no ${what} event`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    current = await harness.attach(new SimulatedUicc(demoProfile()), 0);
    await until(() => events.some((e) => e.kind === 'cardInserted' && e.reader === VPCD_READERS[0]), 'cardInserted');
    await current.remove();
    current = null;
    await until(() => events.some((e) => e.kind === 'cardRemoved' && e.reader === VPCD_READERS[0]), 'cardRemoved');
    stop();
  });
});
