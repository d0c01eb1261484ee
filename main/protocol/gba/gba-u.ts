// GBA_U MAC modification, 3GPP TS 33.220 5.3.2 (bootstrapping with a GBA-aware UICC): for a GBA_U
// subscriber the BSF sends AUTN* = SQN xor AK || AMF || MAC*, MAC* = MAC xor Trunc(SHA-1(IK)), Trunc =
// the first (most significant) 64 bits; the UICC in GBA bootstrapping mode (TS 31.103 7.1.2.2) undoes
// it with its own IK before checking MAC. XOR is its own inverse, so one function serves both the
// simulated BSF and the simulated card.
// NOTE: which 64 bits Trunc keeps could not be re-checked against the spec text here; the leading
// 64 bits are assumed. Both sides use this module, so a correction is made in one place.
import { createHash } from 'node:crypto';
import { concatBytes, xorBytes } from '../../../shared/bytes.js';

/** Trunc(SHA-1(IK)): the 8-byte mask XORed onto MAC-A for GBA_U (TS 33.220 5.3.2). */
export function gbaUMacMask(ik: Uint8Array): Uint8Array {
  if (ik.length !== 16) throw new RangeError('IK must be 16 bytes');
  return new Uint8Array(createHash('sha1').update(ik).digest()).slice(0, 8);
}

/**
 * AUTN with MAC-A (bytes 8..15) XORed with Trunc(SHA-1(IK)): MAC -> MAC* on the network side,
 * MAC* -> MAC on the card side. SQN xor AK and AMF are unchanged (TS 33.102 6.3.2 AUTN layout).
 */
export function toggleGbaUMac(autn: Uint8Array, ik: Uint8Array): Uint8Array {
  if (autn.length !== 16) throw new RangeError('AUTN must be 16 bytes');
  return concatBytes(autn.slice(0, 8), xorBytes(autn.slice(8, 16), gbaUMacMask(ik)));
}
