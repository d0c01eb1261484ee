import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../shared/bytes.js';
import { gbaUMacMask, toggleGbaUMac } from '../../../../main/protocol/gba/gba-u.js';
import { buildAutn, openAutn } from '../../../../main/protocol/milenage.js';
import vectors from '../../../fixtures/vectors/milenage.json' with { type: 'json' };

describe('GBA_U MAC* (TS 33.220 5.3.2)', () => {
  const s = vectors.sets[0];
  if (!s) throw new Error('milenage vectors missing');
  const [k, opc, rand, sqn, amf, ik] = [s.K, s.OPc, s.RAND, s.SQN, s.AMF, s.f4_IK].map(fromHex) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  it('masks with the first 64 bits of SHA-1(IK)', () => {
    expect(toHex(gbaUMacMask(ik))).toBe(createHash('sha1').update(ik).digest('hex').slice(0, 16));
  });
  it('changes only the MAC field, is its own inverse, and a plain AKA check fails on AUTN*', () => {
    const autn = buildAutn(k, opc, rand, sqn, amf);
    const star = toggleGbaUMac(autn, ik);
    expect(toHex(star.slice(0, 8))).toBe(toHex(autn.slice(0, 8)));
    expect(toHex(star.slice(8))).not.toBe(toHex(autn.slice(8)));
    expect(toggleGbaUMac(star, ik)).toEqual(autn);
    expect(openAutn(k, opc, rand, star).kind).toBe('macFailure');
    expect(openAutn(k, opc, rand, toggleGbaUMac(star, ik)).kind).toBe('ok');
    expect(() => toggleGbaUMac(autn.slice(1), ik)).toThrow(RangeError);
  });
});
