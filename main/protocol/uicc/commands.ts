// Command builders for the UICC instructions VVM Desk sends (ETSI TS 102 221 clause 11), and the
// decoders of their responses. Each builder takes the CLA so the command runs on the caller's channel.
import { utf8 } from '../../../shared/bytes.js';
import type { CommandApdu } from '../apdu/command.js';
import { MalformedError } from '../apdu/malformed.js';

/** SELECT by FID from the current DF, return FCP: `CLA A4 00 04 02 FID 00` (TS 102 221 11.1.1). */
export function selectFid(cla: number, fid: number): CommandApdu {
  return { cla, ins: 0xa4, p1: 0x00, p2: 0x04, data: Uint8Array.of(fid >> 8, fid & 0xff), le: 256 };
}

/** SELECT an application by (partial) AID, return FCP: `CLA A4 04 04 Lc AID 00` (TS 102 221 11.1.1.2). */
export function selectAid(cla: number, aid: Uint8Array): CommandApdu {
  return { cla, ins: 0xa4, p1: 0x04, p2: 0x04, data: aid, le: 256 };
}

/** READ BINARY from `offset` (< 32768), `length` 1..256 bytes (TS 102 221 11.1.3). */
export function readBinary(cla: number, offset: number, length: number): CommandApdu {
  if (offset < 0 || offset > 0x7fff) throw new MalformedError('READ BINARY offset out of range');
  return { cla, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, le: length };
}

/** UPDATE BINARY at `offset` (TS 102 221 11.1.4). */
export function updateBinary(cla: number, offset: number, data: Uint8Array): CommandApdu {
  if (offset < 0 || offset > 0x7fff) throw new MalformedError('UPDATE BINARY offset out of range');
  return { cla, ins: 0xd6, p1: offset >> 8, p2: offset & 0xff, data };
}

/** READ RECORD n in absolute mode, P2 = 04 (TS 102 221 11.1.5). */
export function readRecord(cla: number, record: number, length: number): CommandApdu {
  if (record < 1 || record > 254) throw new MalformedError('record number out of range');
  return { cla, ins: 0xb2, p1: record, p2: 0x04, le: length };
}

/** MANAGE CHANNEL open, the card assigns the number: `00 70 00 00 01` (TS 102 221 11.1.17). */
export function manageChannelOpen(): CommandApdu {
  return { cla: 0x00, ins: 0x70, p1: 0x00, p2: 0x00, le: 1 };
}

/** MANAGE CHANNEL close `ch`: `CLA 70 80 ch` sent on that channel (TS 102 221 11.1.17). */
export function manageChannelClose(cla: number, channel: number): CommandApdu {
  return { cla, ins: 0x70, p1: 0x80, p2: channel };
}

/** Parses the MANAGE CHANNEL open response: one byte, the channel number 1..19. */
export function parseManageChannelOpen(data: Uint8Array): number {
  const ch = data[0];
  if (data.length !== 1 || ch === undefined || ch < 1 || ch > 19) throw new MalformedError('MANAGE CHANNEL returned no valid channel');
  return ch;
}

/** Key reference of PIN1 (application PIN 1, TS 102 221 9.5.1). */
export const PIN1 = 0x01;

/**
 * VERIFY PIN: `CLA 20 00 keyRef 08 PIN` with the PIN as ASCII digits padded with FF to 8 bytes
 * (TS 102 221 11.1.9, 9.5.1). PINs are 4 to 8 digits.
 */
export function verifyPin(cla: number, pin: string, keyRef = PIN1): CommandApdu {
  if (!/^\d{4,8}$/.test(pin)) throw new MalformedError('a SIM PIN is 4 to 8 digits');
  const data = new Uint8Array(8).fill(0xff);
  data.set(utf8(pin));
  return { cla, ins: 0x20, p1: 0x00, p2: keyRef, data };
}

/** VERIFY without data: asks for the PIN status without spending a try (TS 102 221 11.1.9.1.1). */
export function verifyStatus(cla: number, keyRef = PIN1): CommandApdu {
  return { cla, ins: 0x20, p1: 0x00, p2: keyRef };
}

/** Outcome of a VERIFY, from its status word (TS 102 221 11.1.9). */
export type VerifyOutcome =
  | { kind: 'verified' } // 9000: verified, or the PIN is disabled
  | { kind: 'wrong'; triesLeft: number } // 63Cx (or, without data: not yet verified, x tries left)
  | { kind: 'blocked' } // 6983
  | { kind: 'other'; sw: number };

/** Classifies the status word of a VERIFY command. */
export function parseVerifySw(sw: number): VerifyOutcome {
  if (sw === 0x9000) return { kind: 'verified' };
  if ((sw & 0xfff0) === 0x63c0) return { kind: 'wrong', triesLeft: sw & 0x0f };
  if (sw === 0x6983) return { kind: 'blocked' };
  return { kind: 'other', sw };
}
