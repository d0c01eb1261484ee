// One session with the card on a CardPort: opens one logical channel (so other programs using the card
// keep their own selection), finds the ISIM (else the USIM) in EF_DIR, selects it ONCE, reads the
// identity files once (no repeated SELECT or READ), checks PIN1 without spending a try and verifies it
// when needed, then runs AKA / GBA commands on that channel. Implements AkaCard for the GBA service.
// References: ETSI TS 102 221 (files, commands, channels, PIN), 3GPP TS 31.102 / 31.103 (USIM, ISIM,
// AUTHENTICATE), TS 23.003 13.3 (USIM fallback IMPI).
import { CardError, throwIfAborted } from '../../errors.js';
import type { CardPort, Logger } from '../ports.js';
import type { AkaCard, AkaOutcome, SubscriberIdentity } from '../contracts.js';
import type { CommandApdu } from '../../protocol/apdu/command.js';
import { claForChannel, encodeCommand } from '../../protocol/apdu/command.js';
import { nextExchangeStep, startExchange } from '../../protocol/apdu/exchange.js';
import { parseFcp, type Fcp } from '../../protocol/apdu/fcp.js';
import { MalformedError } from '../../protocol/apdu/malformed.js';
import { describeSw } from '../../protocol/apdu/status.js';
import {
  EF_AD, EF_DIR, EF_DOMAIN, EF_GBABP, EF_ICCID, EF_IMPI, EF_IMPU, EF_IMSI, EF_IST, IST_SERVICE_GBA,
  ISIM_AID_PREFIX, USIM_AID_PREFIX, aidHasPrefix, type DirRecord, type RecordEf, type TransparentEf,
} from '../../protocol/uicc/files.js';
import {
  PIN1, manageChannelClose, manageChannelOpen, parseManageChannelOpen, parseVerifySw, readBinary, readRecord,
  selectAid, selectFid, updateBinary, verifyPin, verifyStatus,
} from '../../protocol/uicc/commands.js';
import { authenticate3g, authenticateGbaBootstrap, authenticateGbaNaf, parseAuthResponse, parseNafDerivationResponse, type AuthResult } from '../../protocol/uicc/authenticate.js';
import { msisdnFromImpus, splitImsi, usimFallbackImpi } from '../../protocol/uicc/identity.js';
import { NO_PIN, type PinRequest, type PinSource } from './pin-source.js';
import { FifoLock } from './fifo-lock.js';

/** PIN1 state as the user sees it. `triesLeft` is null when the card does not say (PIN disabled or verified). */
export interface PinState {
  enabled: boolean;
  verified: boolean;
  triesLeft: number | null;
}

/** What `vvm-desk card info` and the desktop's card panel show. */
export interface CardInfo {
  reader: string;
  /** Transmission protocol in use (ISO/IEC 7816-3). */
  protocol: 'T0' | 'T1';
  iccid: string;
  app: 'ISIM' | 'USIM';
  impi: string;
  impu: string[];
  domain: string | null;
  msisdn: string | null;
  gba: 'GBA_U' | 'GBA_ME';
  pin: PinState;
  /** Command APDUs sent in this session (GET RESPONSE and resends included). */
  apduCount: number;
}

/** Options for opening a session. */
export interface CardSessionOptions {
  pinSource?: PinSource;
  signal?: AbortSignal;
  logger?: Logger;
}

const PUK_HINT = 'The SIM PIN is blocked. Unblock it with the PUK from your carrier (T-Mobile: call 611 or use a phone), then try again.';

function swHex(sw: number): string {
  return sw.toString(16).padStart(4, '0');
}

/** True for the port's "the card was reset by another program" error (PC/SC SCARD_W_RESET_CARD). */
function isResetError(e: unknown): boolean {
  return e instanceof CardError && e.detail?.reset === true;
}

/**
 * An open card session. Create it with {@link CardSession.open}; always {@link CardSession.close} it.
 *
 * Concurrency: every card operation (one APDU exchange with its T=0 GET RESPONSE / 6Cxx chain, or a
 * short multi-command operation such as SELECT EF_GBABP + UPDATE BINARY) holds the session's FIFO lock,
 * so two callers never interleave APDUs on the channel. {@link CardSession.exclusive} holds the same lock
 * across several operations and hands its callback an unlocked view of the card; code inside must use
 * that view (calling the session itself from inside would wait for itself). The GBA service keeps its own
 * per-card gate ABOVE this lock: it never holds this lock while waiting for its gate, so they cannot
 * deadlock, and it does not need `exclusive`.
 *
 * Reset by another program (PC/SC SCARD_W_RESET_CARD): the operation reconnects (when the port can),
 * reopens its logical channel, reselects the application, verifies the PIN again from the same PinSource
 * when the card asks for it, and runs the operation ONCE more. Every operation is safe to repeat:
 * SELECT/READ/UPDATE are idempotent, and a repeated AUTHENTICATE either succeeds again (the reset came
 * before the card checked the SQN) or answers sync failure with AUTS, which the GBA service resolves
 * with its one resync round (TS 33.102 6.3.5). A second reset gives card.removed.
 */

export class CardSession implements AkaCard {
  private cla = 0x00;
  private channel = 0;
  private count = 0;
  private readonly fileCache = new Map<string, unknown>();
  private currentEf: number | null = null;
  private lastGbaRand: Uint8Array | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  private identityValue: SubscriberIdentity | null = null;
  private iccidValue = '';
  private pinState: PinState = { enabled: false, verified: false, triesLeft: null };
  private pinSource: PinSource = NO_PIN;
  /** AID of the application selected at open (reselected after a reset). */
  private appAid: Uint8Array | null = null;
  private readonly lock = new FifoLock();

  private constructor(
    private readonly port: CardPort,
    private readonly logger: Logger | undefined,
  ) {}

  /** Opens the session and reads everything the app needs. Closes the port again on failure. */
  static async open(port: CardPort, opts: CardSessionOptions = {}): Promise<CardSession> {
    const s = new CardSession(port, opts.logger);
    s.pinSource = opts.pinSource ?? NO_PIN;
    try {
      try {
        await s.start(s.pinSource, opts.signal);
      } catch (e) {
        // Reset by another program while opening: connect again and open from the start, once.
        if (!isResetError(e) || !port.reconnect) throw e;
        opts.logger?.warn('the card was reset by another program while opening; reconnecting');
        await port.reconnect(opts.signal);
        await s.start(s.pinSource, opts.signal);
      }
      return s;
    } catch (e) {
      await s.close().catch(() => {});
      throw e;
    }
  }

  get identity(): SubscriberIdentity {
    if (!this.identityValue) throw new CardError('card.apdu', 'The card session is not open');
    return this.identityValue;
  }

  /** Command APDUs sent so far. */
  get apduCount(): number {
    return this.count;
  }

  /** The card's summary. */
  info(): CardInfo {
    const id = this.identity;
    return {
      reader: this.port.readerName,
      protocol: this.port.protocol,
      iccid: this.iccidValue,
      app: id.app,
      impi: id.impi,
      impu: [...id.impu],
      domain: id.domain,
      msisdn: id.msisdn,
      gba: id.gba,
      pin: { ...this.pinState },
      apduCount: this.count,
    };
  }

  // ---- transport ----

  /** One command with T=0 GET RESPONSE / 6Cxx handling; returns data and SW. Checks the signal first. */
  private async tx(c: CommandApdu, signal: AbortSignal | undefined): Promise<{ data: Uint8Array; sw: number }> {
    if (this.closed) throw new CardError('card.apdu', 'The card session is closed');
    let step;
    try {
      step = startExchange(c, this.port.protocol);
    } catch (e) {
      throw this.malformed(e);
    }
    let { apdu, state } = step;
    for (;;) {
      throwIfAborted(signal);
      this.count++;
      const resp = await this.port.transmit(apdu, signal);
      let next;
      try {
        next = nextExchangeStep(state, resp, this.port.protocol);
      } catch (e) {
        throw this.malformed(e);
      }
      if (next.kind === 'done') {
        this.logger?.debug('apdu', { ins: c.ins.toString(16), sw: swHex(next.sw) });
        return { data: next.data, sw: next.sw };
      }
      apdu = next.apdu;
      state = next.state;
    }
  }

  private malformed(e: unknown): CardError {
    if (e instanceof MalformedError) return new CardError('card.apdu', `The card sent data that does not follow the standard: ${e.message}`, { hint: 'Try another reader or card; report the card model if it keeps happening.', cause: e });
    if (e instanceof CardError) return e;
    return new CardError('card.apdu', 'Unexpected card communication failure', { cause: e });
  }

  private swError(what: string, sw: number): CardError {
    return new CardError('card.apdu', `${what} failed: ${describeSw(sw)}`, { detail: { sw: swHex(sw) }, hint: 'Remove and reinsert the card, then try again.' });
  }

  /** Runs `c` and requires 9000. */
  private async ok(what: string, c: CommandApdu, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const r = await this.tx(c, signal);
    if (r.sw === 0x6982) throw new CardError('card.pinRequired', 'The card requires the SIM PIN', { hint: 'The SIM PIN is needed.', action: 'enterSimPin', detail: { sw: swHex(r.sw), operation: what } });
    if (r.sw !== 0x9000) throw this.swError(what, r.sw);
    return r.data;
  }

  private decode<T>(what: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw this.malformed(e instanceof MalformedError ? new MalformedError(`${what}: ${e.message}`) : e);
    }
  }

  // ---- files (one SELECT and one read per file per session) ----

  private async selectEf(fid: number, name: string, signal: AbortSignal | undefined): Promise<Fcp> {
    const r = await this.tx(selectFid(this.cla, fid), signal);
    if (r.sw === 0x6a82) throw new CardError('card.apdu', `${name} is missing on the card`, { detail: { sw: swHex(r.sw), file: name } });
    if (r.sw !== 0x9000) throw this.swError(`SELECT ${name}`, r.sw);
    this.currentEf = fid;
    return this.decode(`FCP of ${name}`, () => parseFcp(r.data));
  }

  private async readTransparent<T>(def: TransparentEf<T>, signal: AbortSignal | undefined): Promise<T> {
    const key = `${def.owner}:${def.fid}`;
    if (this.fileCache.has(key)) return this.fileCache.get(key) as T;
    const fcp = await this.selectEf(def.fid, def.name, signal);
    const size = fcp.size ?? def.size;
    const chunks: Uint8Array[] = [];
    for (let off = 0; off < size; off += 256) {
      chunks.push(await this.ok(`READ BINARY ${def.name}`, readBinary(this.cla, off, Math.min(256, size - off)), signal));
    }
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of chunks) {
      bytes.set(c, o);
      o += c.length;
    }
    const v = this.decode(def.name, () => def.decode(bytes));
    this.fileCache.set(key, v);
    return v;
  }

  /** Reads records 1..n, stopping early when `stop` says so (EF_DIR: once the ISIM is found). */
  private async readRecords<T>(def: RecordEf<T>, signal: AbortSignal | undefined, stop?: (v: T) => boolean): Promise<T[]> {
    const key = `${def.owner}:${def.fid}`;
    if (this.fileCache.has(key)) return this.fileCache.get(key) as T[];
    const fcp = await this.selectEf(def.fid, def.name, signal);
    const { recordLength, recordCount } = fcp.descriptor;
    if (!recordLength || !recordCount) throw new CardError('card.apdu', `${def.name} is not a record file`, { hint: 'The card does not look like a UICC with an ISIM or USIM.' });
    const out: T[] = [];
    for (let n = 1; n <= recordCount; n++) {
      const data = await this.ok(`READ RECORD ${def.name}`, readRecord(this.cla, n, recordLength), signal);
      const v = this.decode(def.name, () => def.decodeRecord(data));
      if (v === null) continue;
      out.push(v);
      if (stop?.(v)) break;
    }
    this.fileCache.set(key, out);
    return out;
  }

  // ---- session start ----

  /** A logical channel of our own (TS 102 221 11.1.17); cards without channels get the basic one. */
  private async openChannel(signal: AbortSignal | undefined): Promise<void> {
    this.channel = 0;
    this.cla = 0x00;
    this.currentEf = null;
    const open = await this.tx(manageChannelOpen(), signal);
    if (open.sw === 0x9000) {
      this.channel = this.decode('MANAGE CHANNEL', () => parseManageChannelOpen(open.data));
      this.cla = claForChannel(this.channel);
    } else {
      this.logger?.warn('card has no free logical channel, using the basic channel', { sw: swHex(open.sw) });
    }
  }

  /** SELECT of the application by AID; returns its FCP (PIN status template). */
  private async selectApp(aid: Uint8Array, name: string, signal: AbortSignal | undefined): Promise<Fcp> {
    const adf = await this.tx(selectAid(this.cla, aid), signal);
    if (adf.sw !== 0x9000) throw this.swError(`SELECT ${name}`, adf.sw);
    this.currentEf = null;
    return this.decode('FCP of the application', () => parseFcp(adf.data));
  }

  private async start(pinSource: PinSource, signal: AbortSignal | undefined): Promise<void> {
    await this.openChannel(signal);
    // EF_DIR (MF) lists the applications; the ISIM if present, else the USIM.
    const isIsim = (r: DirRecord) => aidHasPrefix(r.aid, ISIM_AID_PREFIX);
    let apps: DirRecord[];
    try {
      apps = await this.readRecords(EF_DIR, signal, isIsim);
    } catch (e) {
      // A new channel starts at the MF (TS 102 221 11.1.17); a card that left it elsewhere gets an
      // explicit SELECT MF and one more try. Costs nothing on cards that follow the spec.
      if (!(e instanceof CardError && e.detail?.sw === '6a82')) throw e;
      await this.ok('SELECT MF', selectFid(this.cla, 0x3f00), signal);
      apps = await this.readRecords(EF_DIR, signal, isIsim);
    }
    const isim = apps.find((a) => aidHasPrefix(a.aid, ISIM_AID_PREFIX));
    const usim = apps.find((a) => aidHasPrefix(a.aid, USIM_AID_PREFIX));
    this.iccidValue = await this.readTransparent(EF_ICCID, signal);
    const app = isim ?? usim;
    if (!app) throw new CardError('card.noIsim', 'The card has neither an ISIM nor a USIM application', { hint: 'Use the T-Mobile SIM that carries your voicemail line.' });
    const fcp = await this.selectApp(app.aid, isim ? 'ISIM' : 'USIM', signal);
    this.appAid = app.aid;
    await this.checkPin(fcp, pinSource, signal);
    if (isim) {
      const impi = await this.readTransparent(EF_IMPI, signal);
      const domain = await this.readTransparent(EF_DOMAIN, signal);
      const impu = await this.readRecords(EF_IMPU, signal);
      const ist = await this.readTransparent(EF_IST, signal);
      this.identityValue = {
        app: 'ISIM', impi, impu, domain, msisdn: msisdnFromImpus(impu), imsi: null, mcc: null, mnc: null,
        gba: ist.includes(IST_SERVICE_GBA) ? 'GBA_U' : 'GBA_ME',
      };
    } else {
      const imsi = await this.readTransparent(EF_IMSI, signal);
      const ad = await this.readTransparent(EF_AD, signal);
      const { mcc, mnc } = this.decode('IMSI', () => splitImsi(imsi, ad.mncLength));
      this.identityValue = {
        app: 'USIM', impi: usimFallbackImpi(imsi, ad.mncLength), impu: [], domain: null, msisdn: null, imsi, mcc, mnc, gba: 'GBA_ME',
      };
    }
  }

  /** PIN1: status from the FCP PIN status template and VERIFY without data (no try spent, TS 102 221 11.1.9). */
  private async checkPin(fcp: Fcp, source: PinSource, signal: AbortSignal | undefined): Promise<void> {
    const ps = fcp.pinStatus.find((p) => p.keyRef === PIN1);
    if (ps && !ps.enabled) {
      this.pinState = { enabled: false, verified: false, triesLeft: null };
      return;
    }
    const st = await this.tx(verifyStatus(this.cla), signal);
    const outcome = parseVerifySw(st.sw);
    if (outcome.kind === 'verified') {
      // Without a PS_DO we cannot tell "disabled" from "verified": both mean no PIN is needed.
      this.pinState = { enabled: ps !== undefined, verified: ps !== undefined, triesLeft: null };
      return;
    }
    if (outcome.kind === 'blocked') {
      this.pinState = { enabled: true, verified: false, triesLeft: 0 };
      throw new CardError('card.pinBlocked', 'The SIM PIN is blocked', { hint: PUK_HINT, detail: { triesLeft: 0 } });
    }
    if (outcome.kind !== 'wrong') throw this.swError('PIN status', st.sw);
    const triesLeft = outcome.triesLeft;
    this.pinState = { enabled: true, verified: false, triesLeft };
    if (triesLeft === 0) throw new CardError('card.pinBlocked', 'The SIM PIN is blocked', { hint: PUK_HINT, detail: { triesLeft: 0 } });
    const req: PinRequest = { readerName: this.port.readerName, iccid: this.iccidValue, triesLeft };
    const pin = await source.getPin(req, signal);
    throwIfAborted(signal);
    if (pin === null) {
      throw new CardError('card.pinRequired', `The SIM needs its PIN (${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left)`, {
        hint: 'The SIM PIN is needed. Wrong PINs are never retried.',
        action: 'enterSimPin',
        detail: { triesLeft },
      });
    }
    if (!/^\d{4,8}$/.test(pin)) {
      // Not sent to the card: a malformed PIN would only cost a try.
      throw new CardError('card.pinRequired', 'The SIM PIN must be 4 to 8 digits (nothing was sent to the card)', { hint: 'Check the SIM PIN.', action: 'enterSimPin', detail: { triesLeft } });
    }
    const v = await this.tx(verifyPin(this.cla, pin), signal);
    const res = parseVerifySw(v.sw);
    if (res.kind === 'verified') {
      this.pinState = { enabled: true, verified: true, triesLeft: null };
      await source.pinAccepted?.({ readerName: req.readerName, iccid: req.iccid }, pin);
      return;
    }
    if (res.kind === 'wrong') {
      this.pinState = { enabled: true, verified: false, triesLeft: res.triesLeft };
      await source.pinRejected({ ...req, triesLeft: res.triesLeft });
      throw new CardError('card.pinWrong', `The SIM rejected the PIN (${res.triesLeft} ${res.triesLeft === 1 ? 'try' : 'tries'} left)`, {
        hint: `Check the PIN; it is not retried automatically. After ${res.triesLeft} more wrong ${res.triesLeft === 1 ? 'PIN' : 'PINs'} the SIM is blocked and needs the PUK.`,
        detail: { triesLeft: res.triesLeft },
      });
    }
    if (res.kind === 'blocked') {
      this.pinState = { enabled: true, verified: false, triesLeft: 0 };
      await source.pinRejected({ ...req, triesLeft: 0 });
      throw new CardError('card.pinBlocked', 'The SIM rejected the PIN and is now blocked', { hint: PUK_HINT, detail: { triesLeft: 0 } });
    }
    throw this.swError('VERIFY PIN', v.sw);
  }

  // ---- AkaCard ----

  private toOutcome(r: AuthResult): AkaOutcome {
    if (r.kind === 'contextUnsupported') throw new CardError('card.unsupported', 'The card does not support this authentication context', { hint: 'Use GBA_ME (the default for cards without GBA_U).', detail: { sw: '9864' } });
    if (r.kind === 'ok') return r.ck && r.ik ? { kind: 'ok', res: r.res, ck: r.ck, ik: r.ik } : { kind: 'ok', res: r.res };
    return r;
  }

  private async auth(c: CommandApdu, mode: '3g' | 'gbaBootstrap', signal: AbortSignal | undefined): Promise<AkaOutcome> {
    const r = await this.tx(c, signal);
    if (r.sw !== 0x9000 && r.sw !== 0x9862 && r.sw !== 0x9864) {
      if (r.sw === 0x6982) throw new CardError('card.pinRequired', 'AUTHENTICATE needs the SIM PIN', { hint: 'The SIM PIN is needed.', action: 'enterSimPin', detail: { sw: swHex(r.sw) } });
      throw this.swError('AUTHENTICATE', r.sw);
    }
    return this.toOutcome(this.decode('AUTHENTICATE response', () => parseAuthResponse(r.data, r.sw, mode)));
  }

  private async authenticateNow(rand: Uint8Array, autn: Uint8Array, signal: AbortSignal | undefined): Promise<AkaOutcome> {
    const c = this.decode('AUTHENTICATE input', () => authenticate3g(this.cla, rand, autn));
    return this.auth(c, '3g', signal);
  }

  private requireGbaU(): void {
    if (this.identity.gba !== 'GBA_U') throw new CardError('card.unsupported', 'This card does not support GBA_U', { hint: 'The app uses GBA_ME with this card.' });
  }

  private async gbaBootstrapNow(rand: Uint8Array, autn: Uint8Array, signal: AbortSignal | undefined): Promise<AkaOutcome> {
    this.requireGbaU();
    const c = this.decode('AUTHENTICATE input', () => authenticateGbaBootstrap(this.cla, rand, autn));
    const out = await this.auth(c, 'gbaBootstrap', signal);
    if (out.kind === 'ok') this.lastGbaRand = rand.slice();
    return out;
  }

  private async gbaStoreBootstrapNow(btid: string, lifetime: string, signal: AbortSignal | undefined): Promise<void> {
    this.requireGbaU();
    const rand = this.lastGbaRand;
    if (!rand) throw new CardError('card.unsupported', 'No GBA_U bootstrap ran in this card session', { hint: 'Bootstrap first, then store the B-TID.' });
    const fcp = this.currentEf === EF_GBABP.fid ? null : await this.selectEf(EF_GBABP.fid, EF_GBABP.name, signal);
    const size = fcp?.size ?? EF_GBABP.size;
    // TS 31.103 4.2.8: L RAND || RAND || L B-TID || B-TID || L lifetime || lifetime, rest FF.
    const bytes = this.decode('EF_GBABP', () => EF_GBABP.encode({ rand, btid, lifetime }, size));
    for (let off = 0; off < bytes.length; off += 255) {
      await this.ok('UPDATE BINARY EF_GBABP', updateBinary(this.cla, off, bytes.slice(off, Math.min(bytes.length, off + 255))), signal);
    }
  }

  private async gbaDeriveNafKeyNow(nafId: Uint8Array, impi: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
    this.requireGbaU();
    const c = this.decode('AUTHENTICATE input', () => authenticateGbaNaf(this.cla, nafId, new TextEncoder().encode(impi)));
    const data = await this.ok('GBA NAF derivation', c, signal);
    return this.decode('NAF derivation response', () => parseNafDerivationResponse(data));
  }

  /** The unlocked operations, shared by the public methods (which lock) and exclusive views. */
  private readonly ops = {
    authenticate: (rand: Uint8Array, autn: Uint8Array, signal: AbortSignal | undefined) => this.recovering(signal, () => this.authenticateNow(rand, autn, signal)),
    gbaBootstrap: (rand: Uint8Array, autn: Uint8Array, signal: AbortSignal | undefined) => this.recovering(signal, () => this.gbaBootstrapNow(rand, autn, signal)),
    gbaStoreBootstrap: (btid: string, lifetime: string, signal: AbortSignal | undefined) => this.recovering(signal, () => this.gbaStoreBootstrapNow(btid, lifetime, signal)),
    gbaDeriveNafKey: (nafId: Uint8Array, impi: string, signal: AbortSignal | undefined) => this.recovering(signal, () => this.gbaDeriveNafKeyNow(nafId, impi, signal)),
  };

  authenticate(rand: Uint8Array, autn: Uint8Array, signal?: AbortSignal): Promise<AkaOutcome> {
    return this.lock.run(() => this.ops.authenticate(rand, autn, signal), signal);
  }

  gbaBootstrap(rand: Uint8Array, autn: Uint8Array, signal?: AbortSignal): Promise<AkaOutcome> {
    return this.lock.run(() => this.ops.gbaBootstrap(rand, autn, signal), signal);
  }

  gbaStoreBootstrap(btid: string, lifetime: string, signal?: AbortSignal): Promise<void> {
    return this.lock.run(() => this.ops.gbaStoreBootstrap(btid, lifetime, signal), signal);
  }

  gbaDeriveNafKey(nafId: Uint8Array, impi: string, signal?: AbortSignal): Promise<Uint8Array> {
    return this.lock.run(() => this.ops.gbaDeriveNafKey(nafId, impi, signal), signal);
  }

  /**
   * Runs `fn` as one critical section on the card: no other caller's APDU reaches the channel until it
   * settles. `fn` gets a view of the card to use instead of the session (the view stops working when
   * the section ends). Waiting callers are served in FIFO order; an aborted `signal` leaves the queue.
   */
  exclusive<T>(fn: (card: AkaCard) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.lock.run(async () => {
      let inside = true;
      const guard = (): void => {
        if (!inside) throw new CardError('card.apdu', 'A card view was used after its exclusive section ended', { hint: 'This is a bug in VVM Desk; please report it.' });
      };
      const ops = this.ops;
      const identity = (): SubscriberIdentity => this.identity;
      const view: AkaCard = {
        get identity() {
          return identity();
        },
        authenticate: async (rand, autn, sig) => (guard(), ops.authenticate(rand, autn, sig)),
        gbaBootstrap: async (rand, autn, sig) => (guard(), ops.gbaBootstrap(rand, autn, sig)),
        gbaStoreBootstrap: async (btid, lifetime, sig) => (guard(), ops.gbaStoreBootstrap(btid, lifetime, sig)),
        gbaDeriveNafKey: async (nafId, impi, sig) => (guard(), ops.gbaDeriveNafKey(nafId, impi, sig)),
      };
      try {
        throwIfAborted(signal);
        return await fn(view);
      } finally {
        inside = false;
      }
    }, signal);
  }

  // ---- reset recovery ----

  /** Runs `op`; after a reset by another program, recovers the session and runs it once more. */
  private async recovering<T>(signal: AbortSignal | undefined, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (!isResetError(e) || this.closed || !this.port.reconnect) throw e;
      this.logger?.warn('the card was reset by another program; reconnecting');
      await this.recover(signal);
      try {
        return await op();
      } catch (e2) {
        if (!isResetError(e2)) throw e2;
        throw new CardError('card.removed', 'The card was reset again by another program', {
          hint: 'Close other programs that use the smart card (they keep resetting it), then try again.',
          detail: { reset: true },
          retryable: true,
          cause: e2,
        });
      }
    }
  }

  /** Reconnect, new logical channel, reselect the application, PIN again when the card asks for it. */
  private async recover(signal: AbortSignal | undefined): Promise<void> {
    const aid = this.appAid;
    if (!aid || !this.port.reconnect) throw new CardError('card.removed', 'The card was reset and the session cannot be restored', { hint: 'Try again.', retryable: true });
    await this.port.reconnect(signal);
    await this.openChannel(signal);
    const fcp = await this.selectApp(aid, this.identity.app, signal);
    // A reset forgets PIN verification (TS 102 221 9.5.1): the same source is asked again, and a PIN
    // the card rejects ends the session as at open (never retried).
    await this.checkPin(fcp, this.pinSource, signal);
  }

  /**
   * Closes our logical channel (best effort) and releases the card. Idempotent. It queues like any
   * operation: those asked for before it finish first, so the MANAGE CHANNEL close never lands inside a
   * GET RESPONSE chain; those asked for after it fail with "session closed". Never call it from inside
   * {@link exclusive} (it would wait for itself).
   */
  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    const release = await this.lock.acquire();
    this.closed = true;
    try {
      if (this.channel !== 0) {
        this.count++;
        await this.port.transmit(encodeCommand(manageChannelClose(this.cla, this.channel)));
      }
    } catch {
      // the card may be gone; releasing the port below is what matters
    } finally {
      release();
      await this.port.close();
    }
  }
}

