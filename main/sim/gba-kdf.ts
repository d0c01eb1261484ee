// The network side's (and the simulated card's) GBA key derivation, written from TS 33.220 B.2/B.3 and
// Annex H independently of the client's main/protocol/gba/kdf.ts, so that a slip in the client's KDF or
// NAF_Id layout shows up as a refused digest instead of passing silently.
import { createHmac } from 'node:crypto';

/** NAF_Id = FQDN of the NAF || Ua security protocol identifier (TS 33.220 Annex H), network side. */
export function networkNafId(nafFqdn: string, uaProtocolId: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from(nafFqdn.toLowerCase(), 'utf8'), Buffer.from(uaProtocolId)]));
}

/**
 * Ks_NAF = KDF(Ks, "gba-me", RAND, IMPI, NAF_Id) per TS 33.220 B.2/B.3, written again here: HMAC-SHA-256
 * over S = FC(0x01) || P0 || L0 || ... with 2-byte big-endian lengths. The client's own KDF is checked
 * against known-answer vectors; this one keeps the network side from inheriting a slip in it.
 */
export function networkKsNaf(ks: Uint8Array, rand: Uint8Array, impi: string, nafId: Uint8Array): Uint8Array {
  const parts: Buffer[] = [Buffer.of(0x01)];
  for (const p of [Buffer.from('gba-me', 'utf8'), Buffer.from(rand), Buffer.from(impi, 'utf8'), Buffer.from(nafId)]) {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(p.length);
    parts.push(p, len);
  }
  return new Uint8Array(createHmac('sha256', Buffer.from(ks)).update(Buffer.concat(parts)).digest());
}
