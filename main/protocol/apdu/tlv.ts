// BER-TLV (ISO/IEC 8825-1 as profiled by ISO/IEC 7816-4 5.2 and ETSI TS 102 221 clause 11.1.1.3):
// bounded parsing that rejects truncation, and encoding.
import { concatBytes } from '../../../shared/bytes.js';
import { MalformedError } from './malformed.js';

/** One BER-TLV data object. `tag` holds all tag bytes big-endian (e.g. 0x5f2d). */
export interface Tlv {
  tag: number;
  constructed: boolean;
  value: Uint8Array;
}

/** Reads one object at `i` (which must be a tag byte); returns it and the offset after it. */
function readOne(bytes: Uint8Array, start: number): { tlv: Tlv; next: number } {
  let i = start;
  const first = bytes[i] ?? 0;
  let tag = first;
  i++;
  if ((first & 0x1f) === 0x1f) {
    let n = 0;
    for (;;) {
      if (i >= bytes.length) throw new MalformedError('TLV tag truncated');
      const b = bytes[i++] ?? 0;
      tag = tag * 256 + b;
      if (++n > 3) throw new MalformedError('TLV tag longer than 4 bytes');
      if ((b & 0x80) === 0) break;
    }
  }
  if (i >= bytes.length) throw new MalformedError('TLV length missing');
  const l0 = bytes[i++] ?? 0;
  let len: number;
  if (l0 < 0x80) len = l0;
  else if (l0 === 0x81) {
    if (i + 1 > bytes.length) throw new MalformedError('TLV length truncated');
    len = bytes[i++] ?? 0;
  } else if (l0 === 0x82) {
    if (i + 2 > bytes.length) throw new MalformedError('TLV length truncated');
    len = ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
    i += 2;
  } else throw new MalformedError('TLV length form not supported');
  if (i + len > bytes.length) throw new MalformedError('TLV value truncated');
  return { tlv: { tag, constructed: (first & 0x20) !== 0, value: bytes.slice(i, i + len) }, next: i + len };
}

/** Parses a run of BER-TLV objects filling `bytes` completely. Padding bytes 00/FF between objects are skipped. */
export function parseTlvs(bytes: Uint8Array, maxObjects = 256): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i] ?? 0;
    // ISO/IEC 7816-4 5.2: 00 and FF before, between or after objects are not tags.
    if (first === 0x00 || first === 0xff) {
      i++;
      continue;
    }
    if (out.length >= maxObjects) throw new MalformedError('too many TLV objects');
    const { tlv, next } = readOne(bytes, i);
    out.push(tlv);
    i = next;
  }
  return out;
}

/** Parses the first TLV object of `bytes`; whatever follows it (record padding, other objects) is ignored. */
export function parseOneTlv(bytes: Uint8Array): Tlv {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x00 || bytes[i] === 0xff)) i++;
  if (i >= bytes.length) throw new MalformedError('no TLV object');
  return readOne(bytes, i).tlv;
}

/** The value of the first object with `tag` in a list, or undefined. */
export function findTlv(tlvs: Tlv[], tag: number): Uint8Array | undefined {
  return tlvs.find((t) => t.tag === tag)?.value;
}

/** Encodes one BER-TLV object (tag of 1-3 bytes, definite length up to 65535). */
export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const tagBytes: number[] = [];
  let t = tag;
  do {
    tagBytes.unshift(t & 0xff);
    t = Math.floor(t / 256);
  } while (t > 0);
  const l = value.length;
  const len = l < 0x80 ? [l] : l <= 0xff ? [0x81, l] : l <= 0xffff ? [0x82, l >> 8, l & 0xff] : null;
  if (!len) throw new MalformedError('TLV value too long');
  return concatBytes(Uint8Array.from(tagBytes), Uint8Array.from(len), value);
}

/** Length-value item (one length byte), as used inside AUTHENTICATE data (TS 31.102 7.1.2). */
export function encodeLv(value: Uint8Array): Uint8Array {
  if (value.length > 255) throw new MalformedError('LV value too long');
  return concatBytes(Uint8Array.of(value.length), value);
}

/** Reads consecutive LV items from `bytes` starting at `offset`; stops at the end. Rejects truncation. */
export function parseLvs(bytes: Uint8Array, offset = 0): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = offset;
  while (i < bytes.length) {
    const l = bytes[i++] ?? 0;
    if (i + l > bytes.length) throw new MalformedError('LV item truncated');
    out.push(bytes.slice(i, i + l));
    i += l;
  }
  return out;
}
