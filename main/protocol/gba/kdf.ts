// The GBA key derivation function, 3GPP TS 33.220 Annex B.2 (generic KDF) and B.3 (NAF-specific keys):
// KDF(Key, S) = HMAC-SHA-256(Key, S), S = FC || P0 || L0 || P1 || L1 || ..., Li = 2-byte big-endian
// length of Pi, strings UTF-8 without terminator.
import { createHmac } from 'node:crypto';
import { concatBytes, utf8 } from '../../../shared/bytes.js';

/** FC value of the NAF-specific key derivation (TS 33.220 B.3). */
export const FC_GBA_NAF = 0x01;

/** Builds S = FC || P0 || L0 || P1 || L1 || ... (TS 33.220 B.2). Every Pi must be shorter than 65536 bytes. */
export function kdfInput(fc: number, params: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(fc & 0xff)];
  for (const p of params) {
    if (p.length > 0xffff) throw new RangeError('KDF parameter longer than 65535 bytes');
    parts.push(p, Uint8Array.of(p.length >> 8, p.length & 0xff));
  }
  return concatBytes(...parts);
}

/** KDF(Key, S) = HMAC-SHA-256(Key, S) (TS 33.220 B.2). */
export function kdf(key: Uint8Array, s: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(s).digest());
}

/**
 * Ks_(ext/int)_NAF = KDF(Ks, "gba-me" | "gba-u", RAND, IMPI, NAF_Id) (TS 33.220 B.3), all 32 bytes.
 * `ks` is CK || IK (GBA_ME) or the card's Ks (GBA_U); "gba-me" gives Ks_NAF / Ks_ext_NAF, "gba-u"
 * gives Ks_int_NAF. `nafId` = NAF FQDN || Ua security protocol identifier (TS 33.220 Annex H).
 */
export function deriveKsNaf(ks: Uint8Array, label: 'gba-me' | 'gba-u', rand: Uint8Array, impi: string, nafId: Uint8Array): Uint8Array {
  if (ks.length !== 32) throw new RangeError('Ks must be 32 bytes (CK || IK)');
  if (rand.length !== 16) throw new RangeError('RAND must be 16 bytes');
  return kdf(ks, kdfInput(FC_GBA_NAF, [utf8(label), rand, utf8(impi), nafId]));
}

