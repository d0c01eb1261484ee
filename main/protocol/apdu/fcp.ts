// File Control Parameters, ETSI TS 102 221 11.1.1.3 (FCP template, tag 62), and its building for the
// simulated card. Tag 82 file descriptor, 83 file identifier, 84 DF name (AID), 80 file size,
// 81 total file size, 8A life cycle status, C6 PIN status template DO (11.1.1.4.10).
import { concatBytes } from '../../../shared/bytes.js';
import { encodeTlv, findTlv, parseOneTlv, parseTlvs } from './tlv.js';
import { MalformedError } from './malformed.js';

/** EF or DF structure from the file descriptor byte (TS 102 221 11.1.1.4.3). */
export type FileStructure = 'transparent' | 'linearFixed' | 'cyclic' | 'df';

/** Decoded file descriptor (tag 82). */
export interface FileDescriptor {
  structure: FileStructure;
  shareable: boolean;
  /** Linear fixed / cyclic: bytes per record and number of records. */
  recordLength?: number;
  recordCount?: number;
}

/** One PIN reference from the PIN status template: key reference and whether the PIN is enabled. */
export interface PinStatusEntry {
  keyRef: number;
  enabled: boolean;
}

/** Decoded FCP. */
export interface Fcp {
  descriptor: FileDescriptor;
  fid?: number;
  aid?: Uint8Array;
  /** Tag 80: number of data bytes of a transparent EF (or records x length). */
  size?: number;
  /** Tag 81: total size including structural information. */
  totalSize?: number;
  pinStatus: PinStatusEntry[];
}

function uint(bytes: Uint8Array): number {
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

/** Decodes the file descriptor DO (TS 102 221 11.1.1.4.3). */
export function parseFileDescriptor(v: Uint8Array): FileDescriptor {
  if (v.length < 2) throw new MalformedError('file descriptor too short');
  const fdb = v[0] ?? 0;
  const shareable = (fdb & 0x40) !== 0;
  if ((fdb & 0x38) === 0x38) return { structure: 'df', shareable };
  const s = fdb & 0x07;
  if (s === 0x01) return { structure: 'transparent', shareable };
  if (s === 0x02 || s === 0x06) {
    if (v.length < 5) throw new MalformedError('record file descriptor without record length and count');
    return { structure: s === 0x02 ? 'linearFixed' : 'cyclic', shareable, recordLength: ((v[2] ?? 0) << 8) | (v[3] ?? 0), recordCount: v[4] ?? 0 };
  }
  throw new MalformedError('unknown file structure');
}

/** Decodes a PIN status template DO (tag C6): PS_DO bitmap (tag 90) then key references (tag 83). */
function parsePinStatus(v: Uint8Array): PinStatusEntry[] {
  const items = parseTlvs(v);
  const psdo = findTlv(items, 0x90) ?? new Uint8Array(0);
  const refs = items.filter((t) => t.tag === 0x83).map((t) => t.value[0] ?? 0);
  // TS 102 221 9.5.2: bit b8 of the first PS_DO byte is the first key reference, b7 the second, ...
  return refs.map((keyRef, i) => ({ keyRef, enabled: (((psdo[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) === 1 }));
}

/** Parses a SELECT response with FCP (template tag 62). */
export function parseFcp(bytes: Uint8Array): Fcp {
  const tpl = parseOneTlv(bytes);
  if (tpl.tag !== 0x62) throw new MalformedError('not an FCP template');
  const items = parseTlvs(tpl.value);
  const fd = findTlv(items, 0x82);
  if (!fd) throw new MalformedError('FCP without file descriptor');
  const fcp: Fcp = { descriptor: parseFileDescriptor(fd), pinStatus: [] };
  const fid = findTlv(items, 0x83);
  if (fid && fid.length === 2) fcp.fid = uint(fid);
  const aid = findTlv(items, 0x84);
  if (aid) fcp.aid = aid;
  const size = findTlv(items, 0x80);
  if (size && size.length > 0 && size.length <= 4) fcp.size = uint(size);
  const total = findTlv(items, 0x81);
  if (total && total.length > 0 && total.length <= 4) fcp.totalSize = uint(total);
  const ps = findTlv(items, 0xc6);
  if (ps) fcp.pinStatus = parsePinStatus(ps);
  return fcp;
}

/** What the simulated card needs to describe a file in its FCP. */
export interface FcpInput {
  descriptor: FileDescriptor;
  fid?: number;
  aid?: Uint8Array;
  size?: number;
  pinStatus?: PinStatusEntry[];
}

/** Builds an FCP template (tag 62) for the simulated card. */
export function buildFcp(f: FcpInput): Uint8Array {
  const d = f.descriptor;
  const share = d.shareable ? 0x40 : 0;
  let fd: Uint8Array;
  if (d.structure === 'df') fd = Uint8Array.of(share | 0x38, 0x21);
  else if (d.structure === 'transparent') fd = Uint8Array.of(share | 0x01, 0x21);
  else {
    const rl = d.recordLength ?? 0;
    fd = Uint8Array.of(share | (d.structure === 'linearFixed' ? 0x02 : 0x06), 0x21, rl >> 8, rl & 0xff, d.recordCount ?? 0);
  }
  const parts = [encodeTlv(0x82, fd)];
  if (f.fid !== undefined) parts.push(encodeTlv(0x83, Uint8Array.of(f.fid >> 8, f.fid & 0xff)));
  if (f.aid) parts.push(encodeTlv(0x84, f.aid));
  parts.push(encodeTlv(0x8a, Uint8Array.of(0x05))); // life cycle: operational, activated
  if (f.size !== undefined) parts.push(encodeTlv(0x80, Uint8Array.of(f.size >> 8, f.size & 0xff)));
  if (f.pinStatus && f.pinStatus.length > 0) {
    const bitmap = new Uint8Array(Math.ceil(f.pinStatus.length / 8));
    f.pinStatus.forEach((p, i) => {
      if (p.enabled) bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (0x80 >> (i & 7));
    });
    const refs = f.pinStatus.map((p) => encodeTlv(0x83, Uint8Array.of(p.keyRef)));
    parts.push(encodeTlv(0xc6, concatBytes(encodeTlv(0x90, bitmap), ...refs)));
  }
  return encodeTlv(0x62, concatBytes(...parts));
}
