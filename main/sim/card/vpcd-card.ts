// Attaches a SimulatedUicc to a real pcscd through the vsmartcard virtual reader (vpcd). The card is the
// TCP client: it connects to vpcd's port (35963 for "Virtual PCD 00 00", 35964 for "... 00 01"); every
// message is a 2-byte big-endian length then the payload; a 1-byte payload is a control code (00 power
// off, 01 power on, 02 reset, 04 get ATR), anything longer is a command APDU to answer.
// This is a simulator transport (it plays the card, not the app), so it lives with the simulator.
import { connect, type Socket } from 'node:net';
import type { SimulatedUicc } from './simulated-uicc.js';

/** vpcd's default TCP ports (vsmartcard: /etc/reader.conf.d/vpcd). */
export const VPCD_PORTS = [35963, 35964] as const;

/** Options of {@link attachToVpcd}. */
export interface VpcdOptions {
  host?: string;
  port?: number;
  signal?: AbortSignal;
  /** Benchmarks: how long the card takes to answer a command APDU (ms; default 0, answered at once). */
  delayMs?: (apdu: Uint8Array) => number;
}

/** A simulated card attached to vpcd. */
export interface VpcdAttachment {
  readonly card: SimulatedUicc;
  /** Command APDUs received over this connection. */
  readonly apduCount: number;
  /** Pulls the card: closes the connection (pcscd reports the card removed). */
  remove(): Promise<void>;
  /** The next command APDU for which `when` returns true is never answered: the card is pulled instead. */
  dropOn(when: (apdu: Uint8Array) => boolean): void;
  /** Resolves when the connection has closed (card removed). */
  readonly closed: Promise<void>;
}

/** Connects the card to vpcd and serves it until removed. Rejects when vpcd is not listening. */
export function attachToVpcd(card: SimulatedUicc, opts: VpcdOptions = {}): Promise<VpcdAttachment> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? VPCD_PORTS[0];
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    socket.setNoDelay(true);
    let buf = new Uint8Array(0);
    let apduCount = 0;
    let dropWhen: ((apdu: Uint8Array) => boolean) | null = null;
    let resolveClosed: () => void = () => {};
    const closed = new Promise<void>((r) => (resolveClosed = r));
    const send = (payload: Uint8Array) => {
      const frame = new Uint8Array(2 + payload.length);
      frame[0] = payload.length >> 8;
      frame[1] = payload.length & 0xff;
      frame.set(payload, 2);
      socket.write(frame);
    };
    const onMessage = (msg: Uint8Array) => {
      if (msg.length === 1) {
        const code = msg[0];
        if (code === 0x00 || code === 0x01 || code === 0x02) card.reset();
        else if (code === 0x04) send(card.atr);
        return;
      }
      apduCount++;
      if (dropWhen?.(msg)) {
        dropWhen = null;
        socket.destroy();
        return;
      }
      const response = card.transmit(msg);
      const ms = opts.delayMs?.(msg) ?? 0;
      // vpcd sends the next command only after this answer, so a delayed answer cannot overtake another.
      if (ms > 0) setTimeout(() => socket.destroyed || send(response), ms);
      else send(response);
    };
    socket.on('data', (chunk: Buffer) => {
      const merged = new Uint8Array(buf.length + chunk.length);
      merged.set(buf);
      merged.set(chunk, buf.length);
      buf = merged;
      while (buf.length >= 2) {
        const len = ((buf[0] ?? 0) << 8) | (buf[1] ?? 0);
        if (buf.length < 2 + len) break;
        const msg = buf.slice(2, 2 + len);
        buf = buf.slice(2 + len);
        onMessage(msg);
      }
    });
    const onAbort = () => socket.destroy();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (e) => {
      reject(e);
    });
    socket.once('close', () => {
      opts.signal?.removeEventListener('abort', onAbort);
      resolveClosed();
    });
    socket.once('connect', () => {
      socket.on('error', () => {}); // after connecting, errors end in 'close'
      resolve({
        card,
        get apduCount() {
          return apduCount;
        },
        remove: async () => {
          if (socket.destroyed) return;
          socket.destroy();
          await closed;
        },
        dropOn: (when) => {
          dropWhen = when;
        },
        closed,
      });
    });
  });
}
