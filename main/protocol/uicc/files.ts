// One declarative description of the UICC files VVM Desk uses (in the manner of osmocom pySim's
// ts_102_221.py / ts_31_102.py / ts_31_103.py): FID, owning application, structure, access rule, and the
// decoder/encoder of its contents. The card service reads with these; the simulated card is built from
// them, so both sides share one definition of every file.
import { concatBytes, fromHex, utf8 } from '../../../shared/bytes.js';
import { encodeTlv, findTlv, parseOneTlv, parseTlvs } from '../apdu/tlv.js';
import { MalformedError } from '../apdu/malformed.js';

/** Where a file lives: the MF, or the ADF of an application (FIDs are scoped to the ADF, TS 102 221 8.2). */
export type FileOwner = 'MF' | 'ISIM' | 'USIM';

/** Read access condition (TS 102 221 9.2): always, or after PIN1 verification (when PIN1 is enabled). */
export type AccessRule = 'always' | 'pin1';

interface EfBase {
  name: string;
  fid: number;
  owner: FileOwner;
  read: AccessRule;
  update: AccessRule | 'never';
  /** Clause that defines the file. */
  spec: string;
}

/** A transparent EF with a decoded form T. */
export interface TransparentEf<T> extends EfBase {
  structure: 'transparent';
  /** Size of the file on the simulated card. */
  size: number;
  decode(b: Uint8Array): T;
  encode(v: T, size: number): Uint8Array;
}

/** A linear fixed EF whose records decode to T (null = unused record, all FF). */
export interface RecordEf<T> extends EfBase {
  structure: 'linearFixed';
  recordLength: number;
  decodeRecord(b: Uint8Array): T | null;
  encodeRecord(v: T, recordLength: number): Uint8Array;
}

/** Application identifier prefixes, ETSI TS 101 220 annex E: 3GPP RID A000000087, app code 1002/1004. */
export const USIM_AID_PREFIX = fromHex('a0000000871002');
export const ISIM_AID_PREFIX = fromHex('a0000000871004');

/** Pads `b` with FF up to `size` (unused bytes of an EF are FF, TS 102 221 / TS 31.102 conventions). */
export function padFF(b: Uint8Array, size: number): Uint8Array {
  if (b.length > size) throw new MalformedError('value does not fit the file');
  const out = new Uint8Array(size).fill(0xff);
  out.set(b);
  return out;
}

function isEmpty(b: Uint8Array): boolean {
  return b.every((x) => x === 0xff);
}

const decoder = new TextDecoder('utf-8', { fatal: true });
function text(b: Uint8Array): string {
  try {
    return decoder.decode(b);
  } catch {
    throw new MalformedError('file text is not UTF-8');
  }
}

/** Decodes a "80 L value" TLV string object (ISIM EF_IMPI / EF_DOMAIN / EF_IMPU, TS 31.103 4.2.2-4.2.4). */
function decodeTag80String(b: Uint8Array): string {
  const t = parseOneTlv(b);
  if (t.tag !== 0x80) throw new MalformedError('expected tag 80');
  return text(t.value);
}

/** Swapped-nibble BCD (TS 102 221 13.2 for ICCID, TS 24.008 10.5.1.4 for digits), F = filler. */
function decodeSwappedBcd(b: Uint8Array): string {
  let s = '';
  for (const x of b) {
    for (const n of [x & 0x0f, x >> 4]) {
      if (n === 0x0f) return s;
      if (n > 9) throw new MalformedError('BCD digit out of range');
      s += String(n);
    }
  }
  return s;
}

function encodeSwappedBcd(digits: string, size: number): Uint8Array {
  if (!/^\d*$/.test(digits)) throw new MalformedError('digits only');
  const out = new Uint8Array(size).fill(0xff);
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    const j = i >> 1;
    if (j >= size) throw new MalformedError('too many digits');
    out[j] = i % 2 === 0 ? (0xf0 | d) : ((out[j] ?? 0) & 0x0f) | (d << 4);
  }
  return out;
}

/** An EF_DIR record: application template 61 { 4F AID, 50 label } (TS 102 221 13.1). */
export interface DirRecord {
  aid: Uint8Array;
  label: string;
}

/** EF_DIR (2F00, MF): one application template per record. */
export const EF_DIR: RecordEf<DirRecord> = {
  name: 'EF_DIR', fid: 0x2f00, owner: 'MF', read: 'always', update: 'never', spec: 'ETSI TS 102 221 13.1',
  structure: 'linearFixed', recordLength: 38,
  decodeRecord(b) {
    if (isEmpty(b)) return null;
    const t = parseOneTlv(b);
    if (t.tag !== 0x61) throw new MalformedError('EF_DIR record is not an application template');
    const items = parseTlvs(t.value);
    const aid = findTlv(items, 0x4f);
    if (!aid || aid.length < 5 || aid.length > 16) throw new MalformedError('EF_DIR record without a valid AID');
    const label = findTlv(items, 0x50);
    return { aid, label: label ? text(label) : '' };
  },
  encodeRecord(v, len) {
    return padFF(encodeTlv(0x61, concatBytes(encodeTlv(0x4f, v.aid), encodeTlv(0x50, utf8(v.label)))), len);
  },
};

/** EF_ICCID (2FE2, MF): 10 bytes swapped BCD (TS 102 221 13.2). */
export const EF_ICCID: TransparentEf<string> = {
  name: 'EF_ICCID', fid: 0x2fe2, owner: 'MF', read: 'always', update: 'never', spec: 'ETSI TS 102 221 13.2',
  structure: 'transparent', size: 10,
  decode: decodeSwappedBcd,
  encode: (v, size) => encodeSwappedBcd(v, size),
};

/** EF_IMPI (6F02, ISIM): the private user identity NAI, TLV 80 (TS 31.103 4.2.2). */
export const EF_IMPI: TransparentEf<string> = {
  name: 'EF_IMPI', fid: 0x6f02, owner: 'ISIM', read: 'pin1', update: 'never', spec: '3GPP TS 31.103 4.2.2',
  structure: 'transparent', size: 80,
  decode: decodeTag80String,
  encode: (v, size) => padFF(encodeTlv(0x80, utf8(v)), size),
};

/** EF_DOMAIN (6F03, ISIM): home network domain name, TLV 80 (TS 31.103 4.2.3). */
export const EF_DOMAIN: TransparentEf<string> = {
  name: 'EF_DOMAIN', fid: 0x6f03, owner: 'ISIM', read: 'pin1', update: 'never', spec: '3GPP TS 31.103 4.2.3',
  structure: 'transparent', size: 64,
  decode: decodeTag80String,
  encode: (v, size) => padFF(encodeTlv(0x80, utf8(v)), size),
};

/** EF_IMPU (6F04, ISIM): one public user identity URI per record, TLV 80 (TS 31.103 4.2.4). */
export const EF_IMPU: RecordEf<string> = {
  name: 'EF_IMPU', fid: 0x6f04, owner: 'ISIM', read: 'pin1', update: 'never', spec: '3GPP TS 31.103 4.2.4',
  structure: 'linearFixed', recordLength: 64,
  decodeRecord: (b) => (isEmpty(b) ? null : decodeTag80String(b)),
  encodeRecord: (v, len) => padFF(encodeTlv(0x80, utf8(v)), len),
};

/**
 * EF_IST (6F07, ISIM): ISIM service table; service n is byte (n-1)/8, bit (n-1)%8 (TS 31.103 4.2.7).
 * Service 2 = GBA.
 */
export const EF_IST: TransparentEf<number[]> = {
  name: 'EF_IST', fid: 0x6f07, owner: 'ISIM', read: 'pin1', update: 'never', spec: '3GPP TS 31.103 4.2.7',
  structure: 'transparent', size: 4,
  decode(b) {
    const out: number[] = [];
    b.forEach((x, i) => {
      for (let bit = 0; bit < 8; bit++) if ((x >> bit) & 1) out.push(i * 8 + bit + 1);
    });
    return out;
  },
  encode(v, size) {
    const out = new Uint8Array(size);
    for (const n of v) {
      const i = (n - 1) >> 3;
      if (n < 1 || i >= size) throw new MalformedError('service number outside the table');
      out[i] = (out[i] ?? 0) | (1 << ((n - 1) & 7));
    }
    return out;
  },
};

/** ISIM service number of GBA in EF_IST (TS 31.103 4.2.7). */
export const IST_SERVICE_GBA = 2;

/** EF_GBABP contents: RAND of the last GBA_U bootstrap, B-TID and key lifetime (TS 31.103 4.2.8). */
export interface GbaBootstrapParams {
  rand: Uint8Array;
  btid: string;
  lifetime: string;
}

/** EF_GBABP (6FD5, ISIM): L RAND, L B-TID, L lifetime (TS 31.103 4.2.8, same coding as TS 31.102 4.2.79). */
export const EF_GBABP: TransparentEf<GbaBootstrapParams> = {
  name: 'EF_GBABP', fid: 0x6fd5, owner: 'ISIM', read: 'pin1', update: 'pin1', spec: '3GPP TS 31.103 4.2.8',
  structure: 'transparent', size: 160,
  decode(b) {
    const parts: Uint8Array[] = [];
    let i = 0;
    for (let k = 0; k < 3; k++) {
      const l = b[i];
      if (l === undefined || l === 0xff) break;
      i++;
      if (i + l > b.length) throw new MalformedError('EF_GBABP truncated');
      parts.push(b.slice(i, i + l));
      i += l;
    }
    return { rand: parts[0] ?? new Uint8Array(0), btid: text(parts[1] ?? new Uint8Array(0)), lifetime: text(parts[2] ?? new Uint8Array(0)) };
  },
  encode(v, size) {
    const lv = (x: Uint8Array) => {
      if (x.length > 255) throw new MalformedError('EF_GBABP item too long');
      return concatBytes(Uint8Array.of(x.length), x);
    };
    return padFF(concatBytes(lv(v.rand), lv(utf8(v.btid)), lv(utf8(v.lifetime))), size);
  },
};

/** An EF_GBANL record: NAF_ID (tag 80) and B-TID (tag 81) (TS 31.103 4.2.9). */
export interface GbaNafRecord {
  nafId: Uint8Array;
  btid: string;
}

/** EF_GBANL (6FD7, ISIM): NAF key identifiers of GBA_U derivations (TS 31.103 4.2.9). */
export const EF_GBANL: RecordEf<GbaNafRecord> = {
  name: 'EF_GBANL', fid: 0x6fd7, owner: 'ISIM', read: 'pin1', update: 'pin1', spec: '3GPP TS 31.103 4.2.9',
  structure: 'linearFixed', recordLength: 96,
  decodeRecord(b) {
    if (isEmpty(b)) return null;
    const items = parseTlvs(b);
    const nafId = findTlv(items, 0x80);
    const btid = findTlv(items, 0x81);
    if (!nafId || !btid) throw new MalformedError('EF_GBANL record incomplete');
    return { nafId, btid: text(btid) };
  },
  encodeRecord: (v, len) => padFF(concatBytes(encodeTlv(0x80, v.nafId), encodeTlv(0x81, utf8(v.btid))), len),
};

/**
 * EF_IMSI (6F07, USIM): length byte, then swapped BCD with the parity indicator in the first low nibble
 * (TS 31.102 4.2.2, TS 24.008 10.5.1.4).
 */
export const EF_IMSI: TransparentEf<string> = {
  name: 'EF_IMSI', fid: 0x6f07, owner: 'USIM', read: 'pin1', update: 'never', spec: '3GPP TS 31.102 4.2.2',
  structure: 'transparent', size: 9,
  decode(b) {
    const len = b[0] ?? 0;
    if (len < 1 || len > 8 || b.length < 1 + len) throw new MalformedError('EF_IMSI length out of range');
    const body = b.slice(1, 1 + len);
    // First byte: high nibble = digit 1, low nibble = identity type 001 plus the odd/even bit (b4).
    const digits = decodeSwappedBcd(body).slice(1);
    if (digits.length < 6 || digits.length > 15) throw new MalformedError('IMSI length out of range');
    return digits;
  },
  encode(v, size) {
    if (!/^\d{6,15}$/.test(v)) throw new MalformedError('IMSI must be 6-15 digits');
    const odd = v.length % 2 === 1;
    const withType = String(odd ? 9 : 1) + v; // 9 = type 1 (IMSI) | odd bit; 1 = IMSI, even
    const body = encodeSwappedBcd(withType, Math.ceil(withType.length / 2));
    return padFF(concatBytes(Uint8Array.of(body.length), body), size);
  },
};

/** EF_AD contents used here: the number of MNC digits (TS 31.102 4.2.18, byte 4 low nibble). */
export interface AdminData {
  mncLength: 2 | 3;
}

/** EF_AD (6FAD, USIM): administrative data (TS 31.102 4.2.18). */
export const EF_AD: TransparentEf<AdminData> = {
  name: 'EF_AD', fid: 0x6fad, owner: 'USIM', read: 'always', update: 'never', spec: '3GPP TS 31.102 4.2.18',
  structure: 'transparent', size: 4,
  decode(b) {
    const n = (b[3] ?? 0) & 0x0f;
    if (b.length < 4 || (n !== 2 && n !== 3)) throw new MalformedError('EF_AD without a valid MNC length');
    return { mncLength: n };
  },
  encode: (v, size) => padFF(Uint8Array.of(0x00, 0x00, 0x00, v.mncLength), size),
};

/** True when `aid` starts with `prefix`. */
export function aidHasPrefix(aid: Uint8Array, prefix: Uint8Array): boolean {
  return aid.length >= prefix.length && prefix.every((b, i) => aid[i] === b);
}
