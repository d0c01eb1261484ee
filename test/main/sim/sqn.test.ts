import { describe, expect, it } from 'vitest';
import { toHex } from '../../../shared/bytes.js';
import { bigIntToSqn, sqnToBigInt } from '../../../main/sim/sqn.js';

describe('SQN <-> bigint (TS 33.102: 48 bits, big-endian)', () => {
  it('is big-endian and round-trips', () => {
    expect(toHex(bigIntToSqn(0x20n))).toBe('000000000020');
    expect(toHex(bigIntToSqn(0x0102030405n))).toBe('000102030405');
    expect(sqnToBigInt(Uint8Array.of(0xff, 0, 0, 0, 0, 1))).toBe(0xff0000000001n);
    expect(sqnToBigInt(bigIntToSqn((1n << 48n) - 1n))).toBe((1n << 48n) - 1n);
  });
  it('drops bits above 48', () => {
    expect(toHex(bigIntToSqn((1n << 48n) + 5n))).toBe('000000000005');
  });
});
