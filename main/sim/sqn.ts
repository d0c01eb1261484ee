// SQN as a number, for the simulated card and the simulated BSF/HSS: SQN is 48 bits, sent big-endian in
// 6 bytes (TS 33.102 6.3.2, Annex C). Both sides compare and step it as a bigint.

/** The 6-byte SQN as a bigint (big-endian). */
export function sqnToBigInt(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** A bigint as the 6-byte SQN (big-endian; bits above 48 are dropped). */
export function bigIntToSqn(v: bigint): Uint8Array {
  const out = new Uint8Array(6);
  for (let i = 5; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
