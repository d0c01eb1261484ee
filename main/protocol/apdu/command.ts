// Command and response APDUs, ISO/IEC 7816-4 clause 5.1 (short length fields only: Lc 1..255, Le 1..256).
import { concatBytes } from '../../../shared/bytes.js';
import { MalformedError } from './malformed.js';

/** A command APDU. `le` is the expected response length 1..256 (256 is sent as 00); absent = no Le. */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  le?: number;
}

/** A response APDU split into data and the status word SW1 SW2. */
export interface ResponseApdu {
  data: Uint8Array;
  sw1: number;
  sw2: number;
  /** SW1 << 8 | SW2. */
  sw: number;
}

function byte(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new MalformedError(`${name} must be one byte`);
  return v;
}

/**
 * Encodes a command APDU in one of the four cases of ISO/IEC 7816-4 5.1: case 1 (header), case 2 (Le),
 * case 3 (Lc data), case 4 (Lc data Le). Short lengths only; Le = 256 is encoded as 00.
 */
export function encodeCommand(c: CommandApdu): Uint8Array {
  const header = [byte('CLA', c.cla), byte('INS', c.ins), byte('P1', c.p1), byte('P2', c.p2)];
  const data = c.data ?? new Uint8Array(0);
  if (data.length > 255) throw new MalformedError('command data longer than 255 bytes needs extended length');
  const parts: number[] = [...header];
  if (data.length > 0) parts.push(data.length);
  const tail: number[] = [];
  if (c.le !== undefined) {
    if (!Number.isInteger(c.le) || c.le < 1 || c.le > 256) throw new MalformedError('Le must be 1..256');
    tail.push(c.le === 256 ? 0 : c.le);
  }
  return concatBytes(Uint8Array.from(parts), data, Uint8Array.from(tail));
}

/**
 * Decodes a short-length command APDU (the card side, ISO/IEC 7816-4 5.1). Throws MalformedError when the
 * length bytes do not match one of the four cases (the card answers 6700).
 */
export function decodeCommand(b: Uint8Array): CommandApdu {
  if (b.length < 4) throw new MalformedError('command APDU shorter than its header');
  const [cla, ins, p1, p2] = [b[0] ?? 0, b[1] ?? 0, b[2] ?? 0, b[3] ?? 0];
  if (b.length === 4) return { cla, ins, p1, p2 };
  const l = b[4] ?? 0;
  if (b.length === 5) return { cla, ins, p1, p2, le: l === 0 ? 256 : l };
  if (l === 0) throw new MalformedError('extended length APDUs are not supported');
  if (b.length === 5 + l) return { cla, ins, p1, p2, data: b.slice(5, 5 + l) };
  if (b.length === 6 + l) {
    const le = b[5 + l] ?? 0;
    return { cla, ins, p1, p2, data: b.slice(5, 5 + l), le: le === 0 ? 256 : le };
  }
  throw new MalformedError('Lc does not match the command length');
}

/** Splits a response APDU into data and SW1 SW2 (ISO/IEC 7816-4 5.1). */
export function parseResponse(b: Uint8Array): ResponseApdu {
  if (b.length < 2) throw new MalformedError('response APDU shorter than its status word');
  const sw1 = b[b.length - 2] ?? 0;
  const sw2 = b[b.length - 1] ?? 0;
  return { data: b.slice(0, b.length - 2), sw1, sw2, sw: (sw1 << 8) | sw2 };
}

/** Builds a response APDU: data || SW1 SW2. */
export function encodeResponse(data: Uint8Array, sw: number): Uint8Array {
  return concatBytes(data, Uint8Array.of((sw >> 8) & 0xff, sw & 0xff));
}

/**
 * CLA byte for a logical channel (ISO/IEC 7816-4 5.4.1, ETSI TS 102 221 10.1.1): channels 0-3 use the
 * first interindustry class 0x00 | ch; channels 4-19 the further interindustry class 0x40 | (ch - 4).
 * `base` carries the class bits of a proprietary class such as 0x80 (kept as is).
 */
export function claForChannel(channel: number, base = 0x00): number {
  if (!Number.isInteger(channel) || channel < 0 || channel > 19) throw new MalformedError('logical channel must be 0..19');
  const proprietary = base & 0x80;
  return channel <= 3 ? proprietary | channel : proprietary | 0x40 | (channel - 4);
}

/** Logical channel number encoded in a CLA byte (inverse of {@link claForChannel}). */
export function channelFromCla(cla: number): number {
  return (cla & 0x40) !== 0 ? 4 + (cla & 0x0f) : cla & 0x03;
}
