// The vpcd wire protocol of the card transport, against a stand-in vpcd server on loopback:
// 2-byte big-endian length framing, control codes (power, reset, ATR), APDUs, split frames, removal.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../shared/bytes.js';
import { attachToVpcd } from '../../../../main/sim/card/vpcd-card.js';
import { SimulatedUicc } from '../../../../main/sim/card/simulated-uicc.js';
import { demoProfile } from '../../../../main/sim/card/profile.js';

let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

/** The card's connection as the stand-in vpcd sees it. */
interface Peer {
  sock: Socket;
  request(payload: Uint8Array, split?: boolean): Promise<Uint8Array>;
  closed: Promise<void>
}

/** A vpcd stand-in: accepts one card connection and lets the test exchange frames with it. */
async function fakeVpcd(): Promise<{ port: number; card: Promise<Peer> }> {
  let resolveCard: (v: Peer) => void = () => {};
  const card = new Promise<Peer>((r) => (resolveCard = r));
  server = createServer((sock) => {
    let buf = Buffer.alloc(0);
    const waiting: ((b: Uint8Array) => void)[] = [];
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const msg = new Uint8Array(buf.subarray(2, 2 + len));
        buf = buf.subarray(2 + len);
        waiting.shift()?.(msg);
      }
    });
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    resolveCard({
      sock,
      closed,
      request(payload, split = false) {
        const frame = Buffer.alloc(2 + payload.length);
        frame.writeUInt16BE(payload.length, 0);
        frame.set(payload, 2);
        const reply = new Promise<Uint8Array>((r) => waiting.push(r));
        if (split) {
          // Deliver the frame in three pieces: the reader must reassemble it.
          sock.write(frame.subarray(0, 1));
          setTimeout(() => sock.write(frame.subarray(1, 4)), 5);
          setTimeout(() => sock.write(frame.subarray(4)), 10);
        } else sock.write(frame);
        return reply;
      },
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return { port: addr.port, card };
}

describe('vpcd card transport', () => {
  it('answers get-ATR and APDUs with length-framed messages, even when frames arrive in pieces', async () => {
    const v = await fakeVpcd();
    const uicc = new SimulatedUicc(demoProfile(), { protocol: 'T0' });
    const att = await attachToVpcd(uicc, { port: v.port });
    const peer = await v.card;
    peer.sock.write(Buffer.from([0x00, 0x01, 0x01])); // power on: no answer expected
    expect(toHex(await peer.request(Uint8Array.of(0x04)))).toBe(toHex(uicc.atr));
    expect(toHex(await peer.request(fromHex('0070000001')))).toBe('019000');
    expect(toHex(await peer.request(fromHex('00a40004023f00'), true)).slice(-4)).toMatch(/^61/);
    expect(att.apduCount).toBe(2);
    await att.remove();
    await peer.closed;
  });
  it('a reset control code resets the card (logical channels closed)', async () => {
    const v = await fakeVpcd();
    const att = await attachToVpcd(new SimulatedUicc(demoProfile()), { port: v.port });
    const peer = await v.card;
    expect(toHex(await peer.request(fromHex('0070000001')))).toBe('019000');
    peer.sock.write(Buffer.from([0x00, 0x01, 0x02]));
    expect(toHex(await peer.request(fromHex('01a40004023f0000')))).toBe('6881');
    await att.remove();
  });
  it('dropOn pulls the card instead of answering the matching APDU', async () => {
    const v = await fakeVpcd();
    const att = await attachToVpcd(new SimulatedUicc(demoProfile()), { port: v.port });
    const peer = await v.card;
    att.dropOn((apdu) => apdu[1] === 0x88);
    expect(toHex(await peer.request(fromHex('00a40004023f0000'))).slice(-4)).toBe('9000');
    void peer.request(fromHex('008800812210' + '00'.repeat(34) + '00'));
    await peer.closed;
    await att.closed;
  });
  it('rejects when nothing listens on the port', async () => {
    const v = await fakeVpcd();
    const port = v.port;
    await new Promise<void>((r) => server?.close(() => r()));
    server = null;
    await expect(attachToVpcd(new SimulatedUicc(demoProfile()), { port })).rejects.toThrow(/ECONNREFUSED/);
  });
});
