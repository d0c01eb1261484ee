// A simulated UICC with an ISIM and a USIM: bytes in, bytes out. It is strict on purpose (wrong CLA,
// lengths, parameters, access conditions and file structures all get the status word a real card would
// give) so that the card reader code is proven against it. It drives demo mode (in-process) and the
// integration tests (attached to pcscd through vpcd). Its files come from the same declarative
// definitions the reader uses (main/protocol/uicc/files.ts); everything else is ETSI TS 102 221,
// 3GPP TS 31.102 / TS 31.103 and MILENAGE (TS 35.206) with the SQN check of TS 33.102 Annex C.
import { timingSafeEqual } from 'node:crypto';
import { concatBytes, fromHex, utf8 } from '../../../shared/bytes.js';
import { decodeCommand, encodeResponse, channelFromCla, type CommandApdu } from '../../protocol/apdu/command.js';
import { buildFcp } from '../../protocol/apdu/fcp.js';
import { MalformedError } from '../../protocol/apdu/malformed.js';
import {
  EF_AD, EF_DIR, EF_DOMAIN, EF_GBABP, EF_GBANL, EF_ICCID, EF_IMPI, EF_IMPU, EF_IMSI, EF_IST,
  IST_SERVICE_GBA, aidHasPrefix, type FileOwner, type RecordEf, type TransparentEf,
} from '../../protocol/uicc/files.js';
import { cardAuthSuccess as encodeAuthSuccess, cardAuthSyncFailure as encodeAuthSyncFailure, parseCardAuthenticate, CARD_P2_3G as P2_CONTEXT_3G, CARD_P2_GBA as P2_CONTEXT_GBA } from './authenticate-card.js';
import { PIN1 } from '../../protocol/uicc/commands.js';
import { buildAuts, milenage, openAutn } from '../../protocol/milenage.js';
import { toggleGbaUMac } from '../../protocol/gba/gba-u.js';
import { networkKsNaf } from '../gba-kdf.js';
import type { SimProfile } from './profile.js';
import { bigIntToSqn, sqnToBigInt } from '../sqn.js';

/** Full AIDs of the simulated applications (ETSI TS 101 220: RID A000000087, app 1004 / 1002). */
export const SIM_ISIM_AID = fromHex('a0000000871004ff49ff058900000100');
export const SIM_USIM_AID = fromHex('a0000000871002ff49ff058900000100');

/**
 * ATRs (ISO/IEC 7816-3 8.2). T=0: no interface bytes, so T=0 is implied. T=1: TD1 = 81 (T=1, TD2
 * follows), TD2 = 31 (TA3 TB3 follow, T=1), TA3 = FE (IFSC 254), TB3 = 45, then TCK.
 */
const HISTORICAL = utf8('VVMDesk-SIM');
function atrFor(protocol: 'T0' | 'T1'): Uint8Array {
  if (protocol === 'T0') return concatBytes(Uint8Array.of(0x3b, 0x00 | HISTORICAL.length), HISTORICAL);
  const body = concatBytes(Uint8Array.of(0x80 | HISTORICAL.length, 0x81, 0x31, 0xfe, 0x45), HISTORICAL);
  const tck = body.reduce((a, b) => a ^ b, 0);
  return concatBytes(Uint8Array.of(0x3b), body, Uint8Array.of(tck));
}

/** Options of the simulated card. */
export interface SimulatedUiccOptions {
  /** 'T0' answers with 61xx / 6Cxx like a T=0 card; 'T1' returns data directly to a command with Le (61xx without). Default T1. */
  protocol?: 'T0' | 'T1';
  /** Maximum logical channels including the basic channel (TS 102 221: up to 20; many SIMs have 4). */
  channels?: number;
}

type Ef =
  | { def: TransparentEf<unknown>; data: Uint8Array }
  | { def: RecordEf<unknown>; records: Uint8Array[] };

type Df = 'MF' | 'ISIM' | 'USIM';

interface ChannelState {
  df: Df;
  ef: Ef | null;
  /** Response bytes waiting for GET RESPONSE (T=0). */
  pending: Uint8Array | null;
}

interface Answer {
  data?: Uint8Array;
  sw: number;
}

const SW_OK = 0x9000;


/** The simulated card. Not thread-safe by design: one APDU at a time, as on a real card. */
export class SimulatedUicc {
  readonly protocol: 'T0' | 'T1';
  readonly atr: Uint8Array;
  private readonly k: Uint8Array;
  private readonly opc: Uint8Array;
  private sqnMs: bigint;
  private readonly sqnWindow: bigint;
  private readonly files = new Map<string, Ef>();
  private readonly maxChannels: number;
  private channels = new Map<number, ChannelState>();
  private pinTries: number;
  private pinVerified = false;
  /** GBA_U: Ks = CK || IK and RAND of the last successful bootstrap (kept on the card, TS 33.220 5.3.2). */
  private gbaKs: { ks: Uint8Array; rand: Uint8Array } | null = null;
  /** Number of command APDUs answered since creation (for tests and benchmarks). */
  apduCount = 0;

  constructor(
    readonly profile: SimProfile,
    opts: SimulatedUiccOptions = {},
  ) {
    this.protocol = opts.protocol ?? 'T1';
    this.atr = atrFor(this.protocol);
    this.maxChannels = opts.channels ?? 4;
    this.k = fromHex(profile.k);
    this.opc = fromHex(profile.opc);
    this.sqnMs = sqnToBigInt(fromHex(profile.sqn));
    this.sqnWindow = BigInt(profile.sqnWindow);
    this.pinTries = profile.pinTries;
    this.buildFiles();
    this.reset();
  }

  private buildFiles(): void {
    const p = this.profile;
    const transparent = <T>(def: TransparentEf<T>, v: T) => this.files.set(`${def.owner}:${def.fid}`, { def: def as TransparentEf<unknown>, data: def.encode(v, def.size) });
    const records = <T>(def: RecordEf<T>, vs: (T | null)[], count: number) => {
      const recs: Uint8Array[] = [];
      for (let i = 0; i < count; i++) {
        const v = vs[i];
        recs.push(v === undefined || v === null ? new Uint8Array(def.recordLength).fill(0xff) : def.encodeRecord(v, def.recordLength));
      }
      this.files.set(`${def.owner}:${def.fid}`, { def: def as RecordEf<unknown>, records: recs });
    };
    const apps = [...(p.isim ? [{ aid: SIM_ISIM_AID, label: 'ISIM' }] : []), { aid: SIM_USIM_AID, label: 'USIM' }];
    records(EF_DIR, apps, apps.length);
    transparent(EF_ICCID, p.iccid);
    transparent(EF_IMSI, p.imsi);
    transparent(EF_AD, { mncLength: p.mncLength });
    if (p.isim) {
      transparent(EF_IMPI, p.impi);
      transparent(EF_DOMAIN, p.domain);
      records(EF_IMPU, p.impu, Math.max(p.impu.length, 1));
      transparent(EF_IST, p.gbaU ? [1, IST_SERVICE_GBA] : [1]);
      if (p.gbaU) {
        transparent(EF_GBABP, { rand: new Uint8Array(0), btid: '', lifetime: '' });
        records(EF_GBANL, [], 2);
      }
    }
  }

  /** Power-on or warm reset: closes logical channels, selects the MF, forgets PIN verification. */
  reset(): void {
    this.channels = new Map([[0, { df: 'MF', ef: null, pending: null }]]);
    this.pinVerified = false;
  }

  /** Remaining PIN1 tries. */
  get pinTriesLeft(): number {
    return this.pinTries;
  }

  /** SQN_MS: highest sequence number accepted so far (6 bytes). */
  get highestSqn(): Uint8Array {
    return bigIntToSqn(this.sqnMs);
  }

  /** Current raw contents of a transparent EF (for tests: e.g. EF_GBABP after an UPDATE BINARY). */
  readFile(owner: FileOwner, fid: number): Uint8Array | null {
    const f = this.files.get(`${owner}:${fid}`);
    return f && 'data' in f ? f.data.slice() : null;
  }

  /** Answers one command APDU. Never throws: every problem is a status word. */
  transmit(apdu: Uint8Array): Uint8Array {
    this.apduCount++;
    let cmd: CommandApdu;
    try {
      cmd = decodeCommand(apdu);
    } catch {
      return encodeResponse(new Uint8Array(0), 0x6700);
    }
    // Interindustry classes only (TS 102 221 10.1.1): 0000 00xx and 01xx xxxx without SM or chaining.
    if (!((cmd.cla & 0xfc) === 0 || (cmd.cla & 0xf0) === 0x40)) return encodeResponse(new Uint8Array(0), 0x6e00);
    const chNo = channelFromCla(cmd.cla);
    const ch = this.channels.get(chNo);
    if (!ch) return encodeResponse(new Uint8Array(0), 0x6881);
    if (cmd.ins === 0xc0) return this.getResponse(ch, cmd);
    ch.pending = null;
    let a: Answer;
    try {
      a = this.dispatch(ch, chNo, cmd);
    } catch (e) {
      a = { sw: e instanceof MalformedError ? 0x6a80 : 0x6f00 };
    }
    const data = a.data ?? new Uint8Array(0);
    if (this.protocol === 'T0' && data.length > 0 && a.sw === SW_OK) {
      // T=0 (TS 102 221 7.3.1.1.4): case-4 data is fetched with GET RESPONSE after 61xx.
      if (cmd.data !== undefined) {
        ch.pending = data;
        return encodeResponse(new Uint8Array(0), 0x6100 | (data.length >= 256 ? 0 : data.length));
      }
      // Case 2 on T=0: P3 must equal the length available, else 6Cxx with the right one (ISO 7816-3 10.3.3).
      if (cmd.le !== undefined && cmd.le !== data.length && data.length < 256) return encodeResponse(new Uint8Array(0), 0x6c00 | data.length);
    }
    if (this.protocol === 'T1' && data.length > 0 && a.sw === SW_OK && cmd.data !== undefined && cmd.le === undefined) {
      // T=1, a command with data but no Le (case 3 as sent) that has response data (a SELECT with P2 04):
      // the card keeps the data for GET RESPONSE and answers 61xx, as real UICCs do (TS 102 221 10.1.6,
      // ISO/IEC 7816-4 5.3.4); only a case-4 command with Le gets the data at once.
      ch.pending = data;
      return encodeResponse(new Uint8Array(0), 0x6100 | (data.length >= 256 ? 0 : data.length));
    }
    return encodeResponse(data, a.sw);
  }

  private getResponse(ch: ChannelState, cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return encodeResponse(new Uint8Array(0), 0x6a86);
    const pending = ch.pending;
    if (!pending) return encodeResponse(new Uint8Array(0), 0x6985);
    const le = cmd.le ?? 256;
    if (le < pending.length && le !== 256) {
      ch.pending = pending.slice(le);
      const rest = ch.pending.length;
      return encodeResponse(pending.slice(0, le), 0x6100 | (rest >= 256 ? 0 : rest));
    }
    if (le > pending.length && le !== 256) return encodeResponse(new Uint8Array(0), 0x6c00 | pending.length);
    ch.pending = null;
    return encodeResponse(pending, SW_OK);
  }

  private dispatch(ch: ChannelState, chNo: number, c: CommandApdu): Answer {
    switch (c.ins) {
      case 0xa4:
        return this.select(ch, c);
      case 0xb0:
        return this.readBinary(ch, c);
      case 0xd6:
        return this.updateBinary(ch, c);
      case 0xb2:
        return this.readRecord(ch, c);
      case 0x70:
        return this.manageChannel(chNo, c);
      case 0x20:
        return this.verify(c);
      case 0x88:
        return this.authenticate(ch, c);
      default:
        return { sw: 0x6d00 };
    }
  }

  private pinSatisfied(): boolean {
    return this.profile.pin === null || this.pinVerified;
  }

  private appFcp(df: 'ISIM' | 'USIM'): Uint8Array {
    return buildFcp({
      descriptor: { structure: 'df', shareable: true },
      aid: df === 'ISIM' ? SIM_ISIM_AID : SIM_USIM_AID,
      // TS 102 221 9.5.2: PS_DO says whether PIN1 is enabled.
      pinStatus: [{ keyRef: PIN1, enabled: this.profile.pin !== null }],
    });
  }

  private select(ch: ChannelState, c: CommandApdu): Answer {
    if (c.p2 !== 0x04 && c.p2 !== 0x0c) return { sw: 0x6a86 };
    const data = c.data;
    if (!data) return { sw: 0x6700 };
    const answer = (fcp: Uint8Array): Answer => (c.p2 === 0x0c ? { sw: SW_OK } : { data: fcp, sw: SW_OK });
    if (c.p1 === 0x04) {
      // Select by DF name (AID), partial AID allowed (TS 102 221 11.1.1.2).
      if (data.length < 5 || data.length > 16) return { sw: 0x6a87 };
      const app: Df | null = this.profile.isim && aidHasPrefix(SIM_ISIM_AID, data) ? 'ISIM' : aidHasPrefix(SIM_USIM_AID, data) ? 'USIM' : null;
      if (!app) return { sw: 0x6a82 };
      ch.df = app;
      ch.ef = null;
      return answer(this.appFcp(app));
    }
    if (c.p1 !== 0x00) return { sw: 0x6a86 };
    if (data.length !== 2) return { sw: 0x6700 };
    const fid = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
    if (fid === 0x3f00) {
      ch.df = 'MF';
      ch.ef = null;
      return answer(buildFcp({ descriptor: { structure: 'df', shareable: true }, fid: 0x3f00, pinStatus: [{ keyRef: PIN1, enabled: this.profile.pin !== null }] }));
    }
    if (fid === 0x7fff) {
      if (ch.df === 'MF') return { sw: 0x6a82 };
      ch.ef = null;
      return answer(this.appFcp(ch.df));
    }
    const ef = this.files.get(`${ch.df}:${fid}`);
    if (!ef) return { sw: 0x6a82 };
    ch.ef = ef;
    const d = ef.def;
    if ('data' in ef) return answer(buildFcp({ descriptor: { structure: 'transparent', shareable: true }, fid: d.fid, size: ef.data.length }));
    const rl = (d as RecordEf<unknown>).recordLength;
    return answer(buildFcp({ descriptor: { structure: 'linearFixed', shareable: true, recordLength: rl, recordCount: ef.records.length }, fid: d.fid, size: rl * ef.records.length }));
  }

  private readBinary(ch: ChannelState, c: CommandApdu): Answer {
    if (c.data) return { sw: 0x6700 };
    if ((c.p1 & 0x80) !== 0) return { sw: 0x6a86 }; // SFI referencing not implemented: strict "wrong P1-P2"
    const ef = ch.ef;
    if (!ef) return { sw: 0x6986 };
    if (!('data' in ef)) return { sw: 0x6981 };
    if (ef.def.read === 'pin1' && !this.pinSatisfied()) return { sw: 0x6982 };
    const offset = (c.p1 << 8) | c.p2;
    if (offset >= ef.data.length) return { sw: 0x6b00 };
    const remaining = ef.data.length - offset;
    const le = c.le ?? 256;
    if (le !== 256 && le > remaining) return { sw: 0x6c00 | remaining };
    return { data: ef.data.slice(offset, offset + Math.min(le, remaining)), sw: SW_OK };
  }

  private updateBinary(ch: ChannelState, c: CommandApdu): Answer {
    const data = c.data;
    if (!data || c.le !== undefined) return { sw: 0x6700 };
    if ((c.p1 & 0x80) !== 0) return { sw: 0x6a86 };
    const ef = ch.ef;
    if (!ef) return { sw: 0x6986 };
    if (!('data' in ef)) return { sw: 0x6981 };
    if (ef.def.update === 'never' || (ef.def.update === 'pin1' && !this.pinSatisfied())) return { sw: 0x6982 };
    const offset = (c.p1 << 8) | c.p2;
    if (offset + data.length > ef.data.length) return { sw: 0x6b00 };
    ef.data.set(data, offset);
    return { sw: SW_OK };
  }

  private readRecord(ch: ChannelState, c: CommandApdu): Answer {
    if (c.data) return { sw: 0x6700 };
    if (c.p2 !== 0x04) return { sw: 0x6a86 }; // absolute mode only (strict)
    const ef = ch.ef;
    if (!ef) return { sw: 0x6986 };
    if (!('records' in ef)) return { sw: 0x6981 };
    if (ef.def.read === 'pin1' && !this.pinSatisfied()) return { sw: 0x6982 };
    const rec = ef.records[c.p1 - 1];
    if (c.p1 === 0 || !rec) return { sw: 0x6a83 };
    const le = c.le ?? 256;
    if (le !== 256 && le !== rec.length) return { sw: 0x6c00 | rec.length };
    return { data: rec.slice(), sw: SW_OK };
  }

  private manageChannel(chNo: number, c: CommandApdu): Answer {
    if (c.data) return { sw: 0x6700 };
    if (c.p1 === 0x00) {
      if (c.p2 !== 0x00) return { sw: 0x6a86 }; // the card assigns the number
      if (chNo !== 0) return { sw: 0x6881 };
      for (let n = 1; n < this.maxChannels; n++) {
        if (!this.channels.has(n)) {
          this.channels.set(n, { df: 'MF', ef: null, pending: null });
          return { data: Uint8Array.of(n), sw: SW_OK };
        }
      }
      return { sw: 0x6a81 };
    }
    if (c.p1 === 0x80) {
      if (c.le !== undefined) return { sw: 0x6700 };
      if (c.p2 === 0 || !this.channels.has(c.p2)) return { sw: 0x6a86 };
      this.channels.delete(c.p2);
      return { sw: SW_OK };
    }
    return { sw: 0x6a86 };
  }

  private verify(c: CommandApdu): Answer {
    if (c.p1 !== 0x00) return { sw: 0x6a86 };
    if (c.p2 !== PIN1) return { sw: 0x6a88 };
    if (c.le !== undefined) return { sw: 0x6700 };
    const pin = this.profile.pin;
    if (!c.data) {
      // Status query, no try spent (TS 102 221 11.1.9.1.1).
      if (pin === null || this.pinVerified) return { sw: SW_OK };
      if (this.pinTries === 0) return { sw: 0x6983 };
      return { sw: 0x63c0 | this.pinTries };
    }
    if (c.data.length !== 8) return { sw: 0x6700 };
    if (this.pinTries === 0) return { sw: 0x6983 };
    const expected = new Uint8Array(8).fill(0xff);
    expected.set(utf8(pin ?? ''));
    if (pin !== null && timingSafeEqual(expected, c.data)) {
      this.pinTries = 3;
      this.pinVerified = true;
      return { sw: SW_OK };
    }
    if (pin === null) return { sw: 0x6984 }; // PIN disabled: reference data not usable
    this.pinTries--;
    this.pinVerified = false;
    return { sw: this.pinTries === 0 ? 0x6983 : 0x63c0 | this.pinTries };
  }

  /**
   * TS 33.102 6.3.3 and Annex C: accept SQN only if SQN > SQN_MS and SQN - SQN_MS <= Delta; otherwise
   * answer a synchronisation failure carrying AUTS for SQN_MS.
   */
  private checkSqn(sqn: Uint8Array): boolean {
    const v = sqnToBigInt(sqn);
    if (v <= this.sqnMs || v - this.sqnMs > this.sqnWindow) return false;
    this.sqnMs = v;
    return true;
  }

  private authenticate(ch: ChannelState, c: CommandApdu): Answer {
    if (ch.df === 'MF') return { sw: 0x6985 };
    if (c.p1 !== 0x00) return { sw: 0x6a86 };
    if (c.p2 !== P2_CONTEXT_3G && c.p2 !== P2_CONTEXT_GBA) return { sw: 0x6a86 };
    if (!c.data) return { sw: 0x6700 };
    if (!this.pinSatisfied()) return { sw: 0x6982 };
    if (c.p2 === P2_CONTEXT_GBA && !(ch.df === 'ISIM' && this.profile.gbaU)) return { sw: 0x9864 };
    const req = parseCardAuthenticate(c.p2, c.data);
    if (req === null) return { sw: 0x6a80 };
    if (req.mode === 'gbaNaf') {
      const boot = this.gbaKs;
      if (!boot) return { sw: 0x6985 }; // no bootstrap yet (TS 31.103 7.1.2.3)
      const impi = new TextDecoder().decode(req.impi);
      const ksExtNaf = networkKsNaf(boot.ks, boot.rand, impi, req.nafId); // Ks_ext_NAF (TS 33.220 5.3.3)
      this.recordNafId(req.nafId);
      return { data: encodeAuthSuccess(ksExtNaf), sw: SW_OK };
    }
    let autn = req.autn;
    if (req.mode === 'gbaBootstrap') {
      // Undo the BSF's MAC* = MAC xor Trunc(SHA-1(IK)) with our own IK (TS 33.220 5.3.2); f4 needs RAND only.
      const ik = milenage(this.k, this.opc, req.rand, new Uint8Array(6), new Uint8Array(2)).ik;
      autn = toggleGbaUMac(autn, ik);
    }
    const opened = openAutn(this.k, this.opc, req.rand, autn);
    if (opened.kind === 'macFailure') return { sw: 0x9862 };
    if (!this.checkSqn(opened.sqn)) {
      return { data: encodeAuthSyncFailure(buildAuts(this.k, this.opc, req.rand, bigIntToSqn(this.sqnMs))), sw: SW_OK };
    }
    if (req.mode === 'gbaBootstrap') {
      this.gbaKs = { ks: concatBytes(opened.ck, opened.ik), rand: req.rand };
      const bp = this.files.get(`ISIM:${EF_GBABP.fid}`);
      // The card stores RAND in EF_GBABP; the ME adds B-TID and lifetime (TS 31.103 7.1.2.2, 4.2.8).
      if (bp && 'data' in bp) bp.data = EF_GBABP.encode({ rand: req.rand, btid: '', lifetime: '' }, EF_GBABP.size);
      return { data: encodeAuthSuccess(opened.res), sw: SW_OK };
    }
    return { data: encodeAuthSuccess(opened.res, opened.ck, opened.ik), sw: SW_OK };
  }

  private recordNafId(nafId: Uint8Array): void {
    const nl = this.files.get(`ISIM:${EF_GBANL.fid}`);
    const bp = this.files.get(`ISIM:${EF_GBABP.fid}`);
    if (!nl || !('records' in nl) || !bp || !('data' in bp)) return;
    let btid = '';
    try {
      btid = EF_GBABP.decode(bp.data).btid;
    } catch {
      btid = '';
    }
    let rec: Uint8Array;
    try {
      rec = EF_GBANL.encodeRecord({ nafId, btid }, EF_GBANL.recordLength);
    } catch {
      return; // does not fit the record: the key is still returned, only the bookkeeping is skipped
    }
    const free = nl.records.findIndex((r) => r.every((b) => b === 0xff));
    nl.records[free >= 0 ? free : 0] = rec;
  }
}
