import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toBase64, toHex, utf8 } from '../../../../shared/bytes.js';
import { deriveKsNaf, kdfInput } from '../../../../main/protocol/gba/kdf.js';
import vectors from '../../../fixtures/vectors/gba-kdf.json' with { type: 'json' };

describe('GBA KDF (TS 33.220 Annex B)', () => {
  for (const v of vectors.vectors) {
    const ks = concatBytes(fromHex(v.CK), fromHex(v.IK));
    const rand = fromHex(v.RAND);
    const nafId = concatBytes(utf8(v.NAF_FQDN), fromHex(v.Ua_security_protocol_id));
    it('builds S exactly as the vector', () => {
      expect(toHex(kdfInput(0x01, [utf8('gba-me'), rand, utf8(v.IMPI), nafId]))).toBe(v.S_hex);
    });
    it('derives Ks_NAF (gba-me) and Ks_int_NAF (gba-u)', () => {
      const ksNaf = deriveKsNaf(ks, 'gba-me', rand, v.IMPI, nafId);
      expect(toHex(ksNaf)).toBe(v.Ks_NAF_gba_me);
      expect(toBase64(ksNaf)).toBe(v.Ks_NAF_base64);
      expect(toHex(deriveKsNaf(ks, 'gba-u', rand, v.IMPI, nafId))).toBe(v.Ks_int_NAF_gba_u);
    });
  }
  it('rejects wrong key and RAND sizes', () => {
    expect(() => deriveKsNaf(new Uint8Array(16), 'gba-me', new Uint8Array(16), 'a', new Uint8Array(1))).toThrow(RangeError);
    expect(() => deriveKsNaf(new Uint8Array(32), 'gba-me', new Uint8Array(15), 'a', new Uint8Array(1))).toThrow(RangeError);
  });
});
