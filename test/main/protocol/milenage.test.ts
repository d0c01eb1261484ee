import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../shared/bytes.js';
import { buildAutn, buildAuts, computeOpc, milenage, openAutn, openAuts } from '../../../main/protocol/milenage.js';
import vectors from '../../fixtures/vectors/milenage.json' with { type: 'json' };

describe('MILENAGE (TS 35.207/35.208 test sets)', () => {
  for (const s of vectors.sets) {
    const k = fromHex(s.K);
    const opc = fromHex(s.OPc);
    const rand = fromHex(s.RAND);
    const sqn = fromHex(s.SQN);
    const amf = fromHex(s.AMF);
    it(`test set ${s.testSet}: OPc, f1..f5*`, () => {
      expect(toHex(computeOpc(k, fromHex(s.OP)))).toBe(s.OPc);
      const m = milenage(k, opc, rand, sqn, amf);
      expect(toHex(m.macA)).toBe(s.f1_MAC_A);
      expect(toHex(m.macS)).toBe(s.f1star_MAC_S);
      expect(toHex(m.res)).toBe(s.f2_RES);
      expect(toHex(m.ck)).toBe(s.f3_CK);
      expect(toHex(m.ik)).toBe(s.f4_IK);
      expect(toHex(m.ak)).toBe(s.f5_AK);
      expect(toHex(m.akStar)).toBe(s.f5star_AKstar);
    });
    it(`test set ${s.testSet}: AUTN and AUTS, and opening them again`, () => {
      const autn = buildAutn(k, opc, rand, sqn, amf);
      expect(toHex(autn)).toBe(s.derived_AUTN);
      const auts = buildAuts(k, opc, rand, sqn);
      expect(toHex(auts)).toBe(s.derived_AUTS_with_SQNms_equal_SQN);
      const opened = openAutn(k, opc, rand, autn);
      expect(opened.kind).toBe('ok');
      if (opened.kind === 'ok') {
        expect(toHex(opened.sqn)).toBe(s.SQN);
        expect(toHex(opened.res)).toBe(s.f2_RES);
      }
      expect(toHex(openAuts(k, opc, rand, auts) ?? new Uint8Array())).toBe(s.SQN);
    });
    it(`test set ${s.testSet}: a forged AUTN or AUTS fails its MAC`, () => {
      const autn = buildAutn(k, opc, rand, sqn, amf);
      autn[15] = (autn[15] ?? 0) ^ 1;
      expect(openAutn(k, opc, rand, autn).kind).toBe('macFailure');
      const auts = buildAuts(k, opc, rand, sqn);
      auts[13] = (auts[13] ?? 0) ^ 1;
      expect(openAuts(k, opc, rand, auts)).toBeNull();
    });
  }
});
