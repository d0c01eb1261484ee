// The AKA nonce of the Ub digest challenge (RFC 3310 3.2, TS 24.109 Annex A / 33.220 4.5.2):
// nonce = base64(RAND(16) || AUTN(16) || server-specific data).
import { fromBase64, toBase64 } from '../../../shared/bytes.js';
import { GbaFormatError } from './format-error.js';

/** The parts of an AKA nonce. */
export interface AkaNonce {
  rand: Uint8Array;
  autn: Uint8Array;
  serverData: Uint8Array;
}

/** Longest nonce text we accept (RAND, AUTN and generous server data). */
const MAX_NONCE_CHARS = 1024;

/** Splits a base64 AKA nonce; throws GbaFormatError('nonce') when it is not base64 or shorter than 32 bytes. */
export function splitAkaNonce(nonce: string): AkaNonce {
  if (nonce.length > MAX_NONCE_CHARS) throw new GbaFormatError('nonce', 'AKA nonce is too long');
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(nonce);
  } catch {
    throw new GbaFormatError('nonce', 'AKA nonce is not base64');
  }
  if (bytes.length < 32) throw new GbaFormatError('nonce', `AKA nonce holds ${bytes.length} bytes, RAND and AUTN need 32`);
  return { rand: bytes.slice(0, 16), autn: bytes.slice(16, 32), serverData: bytes.slice(32) };
}

/** Builds a nonce (network side: the simulated BSF). */
export function buildAkaNonce(n: AkaNonce): string {
  if (n.rand.length !== 16 || n.autn.length !== 16) throw new RangeError('RAND and AUTN must be 16 bytes each');
  const all = new Uint8Array(32 + n.serverData.length);
  all.set(n.rand, 0);
  all.set(n.autn, 16);
  all.set(n.serverData, 32);
  return toBase64(all);
}
