// The PC/SC adapter (pcsc-lite through the `pcsclite` binding): lists readers, reports card presence,
// connects in SHARED mode with T=0 or T=1, transmits with the active protocol, and closes every reader
// and the context so the process can exit. Error codes are the PC/SC SCARD_E_* / SCARD_W_* values
// (pcsc-lite pcsclite.h), mapped to CardError codes with a hint the user can act on.
import pcsclite from 'pcsclite';
import { CardError, throwIfAborted } from '../../errors.js';
import type { CardPort, CardReaderPort, Logger, ReaderEvent, ReaderInfo } from '../../services/ports.js';

type PcscContext = ReturnType<typeof pcsclite>;
// The binding's CardReader type is not exported; take it from the last `on` overload ('reader').
type PcscReader = Parameters<Parameters<PcscContext['on']>[1]>[0];

/** Options of {@link PcscReaderPort}. */
export interface PcscOptions {
  /** How long listReaders waits for pcscd to report readers and their state (ms). */
  settleMs?: number;
  /** Protocols offered on connect: both (default) or one. */
  protocol?: 'any' | 'T0' | 'T1';
  logger?: Logger;
}

const SERVICE_HINT = 'Start the PC/SC service: sudo systemctl start pcscd (or run: pcscd -f). Install it with: sudo bash scripts/install-system-deps.sh';

/** PC/SC return codes we act on (pcsc-lite pcsclite.h). */
const SCARD = {
  E_CANCELLED: 0x80100002,
  E_NOT_TRANSACTED: 0x80100016,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SMARTCARD: 0x8010000c,
  E_UNKNOWN_READER: 0x80100009,
  E_SHARING_VIOLATION: 0x8010000b,
  E_PROTO_MISMATCH: 0x8010000f,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  E_COMM_ERROR: 0x80100013,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

/** The PC/SC status code in a pcsclite error message ("...(0x80100069)"), or null. */
export function pcscCode(e: unknown): number | null {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /\(0x([0-9a-fA-F]{8})\)/.exec(msg);
  if (m?.[1]) return parseInt(m[1], 16);
  if (/service not available/i.test(msg)) return SCARD.E_NO_SERVICE;
  return null;
}

/** Maps a pcsclite error to a CardError (what happened, what to do). */
export function mapPcscError(e: unknown, what: string, reader?: string): CardError {
  const code = pcscCode(e);
  const detail = { ...(code !== null && { pcsc: `0x${code.toString(16)}` }), ...(reader !== undefined && { reader }) };
  switch (code) {
    case SCARD.E_NO_SERVICE:
    case SCARD.E_SERVICE_STOPPED:
      return new CardError('card.serviceUnavailable', 'The PC/SC smart-card service (pcscd) is not running', { hint: SERVICE_HINT, detail, retryable: true, cause: e });
    case SCARD.E_NO_READERS_AVAILABLE:
    case SCARD.E_UNKNOWN_READER:
    case SCARD.E_READER_UNAVAILABLE:
      return new CardError('card.noReader', `${what}: the reader is not available`, { hint: 'Check the reader connection (pcsc_scan lists what pcscd sees).', detail, cause: e });
    case SCARD.E_NO_SMARTCARD:
      return new CardError('card.absent', `${what}: no card in the reader`, { hint: 'Insert the SIM.', detail, cause: e });
    case SCARD.W_REMOVED_CARD:
    case SCARD.E_NOT_TRANSACTED:
    case SCARD.E_COMM_ERROR:
    case SCARD.W_UNRESPONSIVE_CARD:
    case SCARD.W_UNPOWERED_CARD:
      return new CardError('card.removed', `${what}: the card was removed or stopped answering`, { hint: 'Insert the card firmly and try again.', detail, retryable: true, cause: e });
    case SCARD.W_RESET_CARD:
      // detail.reset tells the card session to reconnect and retry once (CardPort.reconnect).
      return new CardError('card.removed', `${what}: the card was reset by another program`, { hint: 'Try again; the app reconnects on the next attempt.', detail: { ...detail, reset: true }, retryable: true, cause: e });
    case SCARD.E_SHARING_VIOLATION:
      return new CardError('card.apdu', `${what}: another program holds the card exclusively`, { hint: 'Close other smart-card programs and try again.', detail, retryable: true, cause: e });
    case SCARD.E_PROTO_MISMATCH:
      return new CardError('card.unsupported', `${what}: the card does not speak the requested protocol`, { hint: 'Let the app choose the protocol (T=0 or T=1).', detail, cause: e });
    default:
      return new CardError('card.apdu', `${what} failed`, { hint: 'Remove and reinsert the card; restart pcscd if it keeps happening.', detail, cause: e });
  }
}

interface ReaderEntry {
  reader: PcscReader;
  present: boolean;
  statusSeen: boolean;
  /** The port currently connected through this reader, if any. */
  connected: boolean;
}

/** A CardReaderPort over pcsc-lite. Create one per process; close it to let the process exit. */
export class PcscReaderPort implements CardReaderPort {
  private ctx: PcscContext | null = null;
  private ctxError: CardError | null = null;
  private closing = false;
  private readonly entries = new Map<string, ReaderEntry>();
  private readonly listeners = new Set<(e: ReaderEvent) => void>();

  constructor(private readonly opts: PcscOptions = {}) {}

  private emit(e: ReaderEvent): void {
    for (const l of this.listeners) l(e);
  }

  private context(): PcscContext {
    if (this.ctx) return this.ctx;
    this.ctxError = null;
    let ctx: PcscContext;
    try {
      ctx = pcsclite();
    } catch (e) {
      throw mapPcscError(e, 'Opening PC/SC');
    }
    this.ctx = ctx;
    ctx.on('error', (e: unknown) => {
      if (this.closing || pcscCode(e) === SCARD.E_CANCELLED) return;
      this.ctxError = mapPcscError(e, 'PC/SC');
      this.opts.logger?.warn('pcsc context error', { pcsc: pcscCode(e) });
    });
    ctx.on('reader', (reader) => {
      const entry: ReaderEntry = { reader, present: false, statusSeen: false, connected: false };
      this.entries.set(reader.name, entry);
      this.emit({ kind: 'readerAdded', reader: reader.name });
      reader.on('error', (e: unknown) => {
        if (!this.closing && pcscCode(e) !== SCARD.E_CANCELLED) this.opts.logger?.warn('pcsc reader error', { reader: reader.name, pcsc: pcscCode(e) });
      });
      reader.on('status', (s) => {
        const present = (s.state & reader.SCARD_STATE_PRESENT) !== 0 && (s.state & reader.SCARD_STATE_MUTE) === 0;
        const was = entry.present;
        entry.present = present;
        entry.statusSeen = true;
        if (present !== was) this.emit({ kind: present ? 'cardInserted' : 'cardRemoved', reader: reader.name });
        });
      reader.on('end', () => {
        this.entries.delete(reader.name);
        this.emit({ kind: 'readerRemoved', reader: reader.name });
        });
    });
    return ctx;
  }

  /** Waits until pcscd reported readers with their state, an error, or the settle time passed. */
  private async settle(signal: AbortSignal | undefined): Promise<void> {
    const settleMs = this.opts.settleMs ?? 1500;
    const start = Date.now();
    const ready = () => this.ctxError !== null || (this.entries.size > 0 && [...this.entries.values()].every((e) => e.statusSeen));
    while (!ready() && Date.now() - start < settleMs) {
      throwIfAborted(signal);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (this.ctxError) {
      const e = this.ctxError;
      // Drop the failed context so a later call can try again (e.g. after pcscd was started).
      await this.closeContext();
      throw e;
    }
  }

  async listReaders(signal?: AbortSignal): Promise<ReaderInfo[]> {
    throwIfAborted(signal);
    this.context();
    await this.settle(signal);
    return [...this.entries.values()].map((e) => ({ name: e.reader.name, cardPresent: e.present }));
  }

  async connect(readerName: string, signal?: AbortSignal): Promise<CardPort> {
    throwIfAborted(signal);
    this.context();
    await this.settle(signal);
    const entry = this.entries.get(readerName);
    if (!entry) throw new CardError('card.noReader', `No reader named "${readerName}"`, { hint: 'Choose one of the readers that are connected.', action: 'chooseReader' });
    const r = entry.reader;
    if (r.connected) {
      // A stale connection (e.g. after a reset): release it before connecting again.
      await new Promise<void>((resolve) => r.disconnect(r.SCARD_LEAVE_CARD, () => resolve()));
    }
    const want = this.opts.protocol ?? 'any';
    const protoMask = want === 'T0' ? r.SCARD_PROTOCOL_T0 : want === 'T1' ? r.SCARD_PROTOCOL_T1 : r.SCARD_PROTOCOL_T0 | r.SCARD_PROTOCOL_T1;
    const connectShared = () =>
      new Promise<number>((resolve, reject) => {
        r.connect({ share_mode: r.SCARD_SHARE_SHARED, protocol: protoMask }, (err, protocol) => (err ? reject(mapPcscError(err, 'Connecting to the card', readerName)) : resolve(protocol)));
      });
    let active = await connectShared();
    throwIfAborted(signal);
    entry.connected = true;
    const protocolOf = (p: number): 'T0' | 'T1' => (p === r.SCARD_PROTOCOL_T1 ? 'T1' : 'T0');
    let closed = false;
    const transmit = async (apdu: Uint8Array, sig?: AbortSignal): Promise<Uint8Array> => {
      throwIfAborted(sig);
      if (closed) throw new CardError('card.removed', 'The card connection is closed', { hint: 'Connect to the card again.' });
      // A response is at most 256 data bytes + SW1 SW2; leave room for proprietary extras.
      const out = await new Promise<Buffer>((resolve, reject) => {
        r.transmit(Buffer.from(apdu), 258 + 256, active, (err, data) => (err ? reject(mapPcscError(err, 'Sending a command to the card', readerName)) : resolve(data)));
      });
      // No status word at all: the reader got no answer (vpcd reports a pulled card this way).
      if (out.length < 2) throw new CardError('card.removed', 'Sending a command to the card: the card was removed or stopped answering', { hint: 'Insert the card firmly and try again.', detail: { reader: readerName }, retryable: true });
      return new Uint8Array(out);
    };
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      entry.connected = false;
      await new Promise<void>((resolve) => r.disconnect(r.SCARD_LEAVE_CARD, () => resolve()));
    };
    // pcsclite has no SCardReconnect: leave the (already reset) card as it is and connect again.
    const reconnect = async (sig?: AbortSignal): Promise<void> => {
      throwIfAborted(sig);
      if (closed) throw new CardError('card.removed', 'The card connection is closed', { hint: 'Connect to the card again.' });
      if (r.connected) await new Promise<void>((resolve) => r.disconnect(r.SCARD_LEAVE_CARD, () => resolve()));
      active = await connectShared();
      throwIfAborted(sig);
    };
    return {
      get protocol() {
        return protocolOf(active);
      },
      readerName,
      transmit,
      reconnect,
      close,
    };
  }

  watch(listener: (e: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    this.context();
    return () => this.listeners.delete(listener);
  }

  private async closeContext(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) return;
    this.closing = true;
    for (const e of this.entries.values()) {
      if (e.reader.connected) await new Promise<void>((resolve) => e.reader.disconnect(e.reader.SCARD_LEAVE_CARD, () => resolve()));
      e.reader.close();
    }
    this.entries.clear();
    ctx.close();
    this.ctx = null;
    // 'error' events ("Command cancelled") may still arrive after close: keep ignoring them.
  }

  /** Closes every reader (used or not) and the PC/SC context. Idempotent. */
  async close(): Promise<void> {
    this.listeners.clear();
    await this.closeContext();
  }
}
