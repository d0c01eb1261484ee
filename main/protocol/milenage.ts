// MILENAGE, 3GPP TS 35.206 section 4 (functions f1, f1*, f2, f3, f4, f5, f5*), and the AKA vectors built
// from it per TS 33.102 6.3: AUTN = (SQN xor AK) || AMF || MAC-A, AUTS = (SQN_MS xor AK*) || MAC-S.
// Used by both the simulated ISIM (card side) and the simulated BSF (network side).
import { createCipheriv } from 'node:crypto';
import { concatBytes, xorBytes } from '../../shared/bytes.js';

function aes128(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return new Uint8Array(c.update(block));
}

/** Cyclic left rotation of a 128-bit value by a whole number of bytes (TS 35.206 4.1, r1..r5). */
function rot(x: Uint8Array, bytes: number): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = x[(i + bytes) % 16] ?? 0;
  return out;
}

/** c_i constants of TS 35.206 4.1: zero except the last byte. */
function constant(last: number): Uint8Array {
  const c = new Uint8Array(16);
  c[15] = last;
  return c;
}

function check(name: string, v: Uint8Array, len: number): void {
  if (v.length !== len) throw new RangeError(`milenage: ${name} must be ${len} bytes`);
}

/** OPc = E_K(OP) xor OP (TS 35.206 4.1). */
export function computeOpc(k: Uint8Array, op: Uint8Array): Uint8Array {
  check('K', k, 16);
  check('OP', op, 16);
  return xorBytes(aes128(k, op), op);
}

/** All MILENAGE outputs for one (K, OPc, RAND, SQN, AMF). */
export interface MilenageOutput {
  macA: Uint8Array; // f1, 8 bytes
  macS: Uint8Array; // f1*, 8 bytes
  res: Uint8Array; // f2, 8 bytes
  ck: Uint8Array; // f3, 16 bytes
  ik: Uint8Array; // f4, 16 bytes
  ak: Uint8Array; // f5, 6 bytes
  akStar: Uint8Array; // f5*, 6 bytes
}

/** Computes f1..f5* (TS 35.206 4.1). SQN is 6 bytes, AMF 2 bytes. */
export function milenage(k: Uint8Array, opc: Uint8Array, rand: Uint8Array, sqn: Uint8Array, amf: Uint8Array): MilenageOutput {
  check('K', k, 16);
  check('OPc', opc, 16);
  check('RAND', rand, 16);
  check('SQN', sqn, 6);
  check('AMF', amf, 2);
  const temp = aes128(k, xorBytes(rand, opc));
  const in1 = concatBytes(sqn, amf, sqn, amf);
  // OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc; r1 = 64 bits, c1 = 0
  const out1 = xorBytes(aes128(k, xorBytes(temp, rot(xorBytes(in1, opc), 8))), opc);
  const outN = (rBytes: number, c: number) => xorBytes(aes128(k, xorBytes(rot(xorBytes(temp, opc), rBytes), constant(c))), opc);
  const out2 = outN(0, 1); // r2 = 0, c2 = 1
  const out3 = outN(4, 2); // r3 = 32, c3 = 2
  const out4 = outN(8, 4); // r4 = 64, c4 = 4
  const out5 = outN(12, 8); // r5 = 96, c5 = 8
  return {
    macA: out1.slice(0, 8),
    macS: out1.slice(8, 16),
    res: out2.slice(8, 16),
    ak: out2.slice(0, 6),
    ck: out3,
    ik: out4,
    akStar: out5.slice(0, 6),
  };
}

/** AUTN = (SQN xor AK) || AMF || MAC-A (TS 33.102 6.3.2). */
export function buildAutn(k: Uint8Array, opc: Uint8Array, rand: Uint8Array, sqn: Uint8Array, amf: Uint8Array): Uint8Array {
  const m = milenage(k, opc, rand, sqn, amf);
  return concatBytes(xorBytes(sqn, m.ak), amf, m.macA);
}

/** AUTS = (SQN_MS xor AK*) || MAC-S, with MAC-S = f1*(SQN_MS, RAND, AMF = 0000) (TS 33.102 6.3.3). */
export function buildAuts(k: Uint8Array, opc: Uint8Array, rand: Uint8Array, sqnMs: Uint8Array): Uint8Array {
  const m = milenage(k, opc, rand, sqnMs, new Uint8Array(2));
  return concatBytes(xorBytes(sqnMs, m.akStar), m.macS);
}

/** The result of checking AUTN on the card side (TS 33.102 6.3.3). */
export type AutnCheck =
  | { kind: 'ok'; sqn: Uint8Array; res: Uint8Array; ck: Uint8Array; ik: Uint8Array }
  | { kind: 'macFailure' }
  | { kind: 'syncFailure'; sqn: Uint8Array };

/** Recovers SQN from AUTN and verifies MAC-A; the caller applies its SQN freshness rule. */
export function openAutn(k: Uint8Array, opc: Uint8Array, rand: Uint8Array, autn: Uint8Array): AutnCheck & { kind: 'ok' | 'macFailure' } {
  check('AUTN', autn, 16);
  const ak = milenage(k, opc, rand, new Uint8Array(6), new Uint8Array(2)).ak; // f5 does not depend on SQN/AMF
  const sqn = xorBytes(autn.slice(0, 6), ak);
  const amf = autn.slice(6, 8);
  const m = milenage(k, opc, rand, sqn, amf);
  const mac = autn.slice(8, 16);
  let diff = 0;
  for (let i = 0; i < 8; i++) diff |= (mac[i] ?? 0) ^ (m.macA[i] ?? 0);
  if (diff !== 0) return { kind: 'macFailure' };
  return { kind: 'ok', sqn, res: m.res, ck: m.ck, ik: m.ik };
}

/** Network side of resync: recovers SQN_MS from AUTS and verifies MAC-S (TS 33.102 6.3.5). */
export function openAuts(k: Uint8Array, opc: Uint8Array, rand: Uint8Array, auts: Uint8Array): Uint8Array | null {
  check('AUTS', auts, 14);
  const akStar = milenage(k, opc, rand, new Uint8Array(6), new Uint8Array(2)).akStar;
  const sqnMs = xorBytes(auts.slice(0, 6), akStar);
  const m = milenage(k, opc, rand, sqnMs, new Uint8Array(2));
  let diff = 0;
  for (let i = 0; i < 8; i++) diff |= (auts[6 + i] ?? 0) ^ (m.macS[i] ?? 0);
  return diff === 0 ? sqnMs : null;
}
