import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex, utf8 } from '../../../../shared/bytes.js';
import { encodeCommand, parseResponse, type CommandApdu } from '../../../../main/protocol/apdu/command.js';
import { parseFcp } from '../../../../main/protocol/apdu/fcp.js';
import { EF_GBABP, EF_IMPI, EF_IMPU, EF_IST, ISIM_AID_PREFIX, USIM_AID_PREFIX } from '../../../../main/protocol/uicc/files.js';
import { authenticate3g, authenticateGbaBootstrap, authenticateGbaNaf, parseAuthResponse, parseNafDerivationResponse } from '../../../../main/protocol/uicc/authenticate.js';
import { manageChannelClose, manageChannelOpen, readBinary, readRecord, selectAid, selectFid, updateBinary, verifyPin, verifyStatus } from '../../../../main/protocol/uicc/commands.js';
import { buildAutn, milenage, openAuts } from '../../../../main/protocol/milenage.js';
import { toggleGbaUMac } from '../../../../main/protocol/gba/gba-u.js';
import { deriveKsNaf } from '../../../../main/protocol/gba/kdf.js';
import { SimulatedUicc } from '../../../../main/sim/card/simulated-uicc.js';
import { demoProfile, simSubscriber } from '../../../../main/sim/card/profile.js';
import milenageVectors from '../../../fixtures/vectors/milenage.json' with { type: 'json' };

function tx(card: SimulatedUicc, c: CommandApdu) {
  return parseResponse(card.transmit(encodeCommand(c)));
}

const RAND = fromHex('23553cbe9637a89d218ae64dae47bf35');
const AMF = fromHex('8000');
function sqn(n: number): Uint8Array {
  return fromHex(n.toString(16).padStart(12, '0'));
}

describe('SimulatedUicc: files', () => {
  it('MF, EF_DIR, SELECT by AID and reads the ISIM files with the shared definitions', () => {
    const card = new SimulatedUicc(demoProfile());
    const mf = tx(card, selectFid(0, 0x3f00));
    expect(mf.sw).toBe(0x9000);
    const dir = tx(card, selectFid(0, 0x2f00));
    const fcp = parseFcp(dir.data);
    expect(fcp.descriptor).toMatchObject({ structure: 'linearFixed', recordLength: 38, recordCount: 2 });
    const r1 = tx(card, readRecord(0, 1, 38));
    expect(r1.sw).toBe(0x9000);
    expect(toHex(r1.data.slice(4, 11))).toBe(toHex(ISIM_AID_PREFIX));
    expect(tx(card, readRecord(0, 3, 38)).sw).toBe(0x6a83);
    expect(tx(card, readRecord(0, 1, 10)).sw).toBe(0x6c26);
    const isim = tx(card, selectAid(0, ISIM_AID_PREFIX));
    expect(isim.sw).toBe(0x9000);
    expect(parseFcp(isim.data).pinStatus).toEqual([{ keyRef: 1, enabled: false }]);
    const impiFcp = parseFcp(tx(card, selectFid(0, 0x6f02)).data);
    const impi = tx(card, readBinary(0, 0, impiFcp.size ?? 0));
    expect(EF_IMPI.decode(impi.data)).toBe('310260123456789@msg.pc.t-mobile.com');
    tx(card, selectFid(0, 0x6f04));
    expect(EF_IMPU.decodeRecord(tx(card, readRecord(0, 2, 64)).data)).toBe('tel:+12065550100');
    tx(card, selectFid(0, 0x6f07));
    expect(EF_IST.decode(tx(card, readBinary(0, 0, 4)).data)).toEqual([1]);
    expect(tx(card, readBinary(0, 0, 5)).sw).toBe(0x6c04);
    expect(tx(card, readBinary(0, 10, 1)).sw).toBe(0x6b00);
    expect(tx(card, readRecord(0, 1, 4)).sw).toBe(0x6981);
    expect(tx(card, selectFid(0, 0x6fad)).sw).toBe(0x6a82); // EF_AD is a USIM file: FIDs are ADF-scoped
    expect(tx(card, selectAid(0, USIM_AID_PREFIX)).sw).toBe(0x9000);
    expect(tx(card, selectFid(0, 0x6fad)).sw).toBe(0x9000);
  });
  it('answers malformed and unknown commands with proper status words', () => {
    const card = new SimulatedUicc(demoProfile());
    expect(parseResponse(card.transmit(fromHex('00a4'))).sw).toBe(0x6700);
    expect(parseResponse(card.transmit(fromHex('00a4000403aabb'))).sw).toBe(0x6700);
    expect(tx(card, { cla: 0, ins: 0x12, p1: 0, p2: 0 }).sw).toBe(0x6d00);
    expect(tx(card, { cla: 0xa0, ins: 0xa4, p1: 0, p2: 0, data: fromHex('3f00') }).sw).toBe(0x6e00);
    expect(tx(card, { cla: 0, ins: 0xa4, p1: 0, p2: 0x33, data: fromHex('3f00') }).sw).toBe(0x6a86);
    expect(tx(card, { cla: 0, ins: 0xa4, p1: 0, p2: 4, data: fromHex('3f') }).sw).toBe(0x6700);
    expect(tx(card, readBinary(0, 0, 4)).sw).toBe(0x6986); // no EF selected
    expect(tx(card, selectAid(0, fromHex('a000000063504b4353'))).sw).toBe(0x6a82);
    expect(tx(card, { cla: 0, ins: 0xc0, p1: 0, p2: 0, le: 4 }).sw).toBe(0x6985);
    expect(tx(card, { cla: 0, ins: 0x88, p1: 0, p2: 0x81, data: new Uint8Array(34), le: 256 }).sw).toBe(0x6985); // no ADF
    tx(card, selectAid(0, ISIM_AID_PREFIX));
    expect(tx(card, { cla: 0, ins: 0x88, p1: 0, p2: 0x81, data: fromHex('10aa'), le: 256 }).sw).toBe(0x6a80);
    expect(tx(card, { cla: 0, ins: 0x88, p1: 0, p2: 0x80, data: new Uint8Array(34), le: 256 }).sw).toBe(0x6a86);
    expect(tx(card, { cla: 0, ins: 0x88, p1: 0, p2: 0x84, data: new Uint8Array(34), le: 256 }).sw).toBe(0x9864); // no GBA_U
    tx(card, selectFid(0, 0x6f02));
    expect(tx(card, updateBinary(0, 0, fromHex('00'))).sw).toBe(0x6982);
  });
});

describe('SimulatedUicc: logical channels', () => {
  it('opens independent channels and closes them', () => {
    const card = new SimulatedUicc(demoProfile());
    const open = tx(card, manageChannelOpen());
    expect(open).toMatchObject({ sw: 0x9000, data: Uint8Array.of(1) });
    expect(tx(card, selectAid(1, ISIM_AID_PREFIX)).sw).toBe(0x9000);
    expect(tx(card, selectFid(1, 0x6f02)).sw).toBe(0x9000);
    expect(tx(card, selectFid(0, 0x6f02)).sw).toBe(0x6a82); // channel 0 is still at the MF
    expect(tx(card, readBinary(1, 0, 2)).sw).toBe(0x9000);
    expect(tx(card, selectFid(2, 0x3f00)).sw).toBe(0x6881); // not open
    tx(card, manageChannelOpen());
    tx(card, manageChannelOpen());
    expect(tx(card, manageChannelOpen()).sw).toBe(0x6a81); // 4 channels on this card
    expect(tx(card, manageChannelClose(1, 1)).sw).toBe(0x9000);
    expect(tx(card, readBinary(1, 0, 2)).sw).toBe(0x6881);
    expect(tx(card, { cla: 0x40, ins: 0xa4, p1: 0, p2: 4, data: fromHex('3f00'), le: 256 }).sw).toBe(0x6881);
  });
});

describe('SimulatedUicc: PIN1', () => {
  it('protects files, reports tries without spending them, counts down and blocks', () => {
    const card = new SimulatedUicc(demoProfile({ pin: '1234' }));
    tx(card, selectAid(0, ISIM_AID_PREFIX));
    expect(parseFcp(tx(card, selectFid(0, 0x7fff)).data).pinStatus).toEqual([{ keyRef: 1, enabled: true }]);
    tx(card, selectFid(0, 0x6f02));
    expect(tx(card, readBinary(0, 0, 10)).sw).toBe(0x6982);
    expect(tx(card, verifyStatus(0)).sw).toBe(0x63c3);
    expect(tx(card, verifyStatus(0)).sw).toBe(0x63c3);
    expect(tx(card, verifyPin(0, '0000')).sw).toBe(0x63c2);
    expect(tx(card, verifyPin(0, '1234')).sw).toBe(0x9000);
    expect(card.pinTriesLeft).toBe(3);
    expect(tx(card, verifyStatus(0)).sw).toBe(0x9000);
    expect(tx(card, readBinary(0, 0, 10)).sw).toBe(0x9000);
    card.reset();
    expect(tx(card, verifyStatus(0)).sw).toBe(0x63c3);
    for (const sw of [0x63c2, 0x63c1, 0x6983]) expect(tx(card, verifyPin(0, '9999')).sw).toBe(sw);
    expect(tx(card, verifyPin(0, '1234')).sw).toBe(0x6983);
    expect(tx(card, verifyStatus(0)).sw).toBe(0x6983);
    expect(tx(card, { cla: 0, ins: 0x20, p1: 0, p2: 0x81 }).sw).toBe(0x6a88);
    expect(tx(card, { cla: 0, ins: 0x20, p1: 0, p2: 1, data: fromHex('3132') }).sw).toBe(0x6700);
  });
});

describe('SimulatedUicc: AKA (MILENAGE, TS 33.102 Annex C)', () => {
  const profile = demoProfile();
  const sub = simSubscriber(profile);
  it('accepts a fresh SQN, then resyncs a replayed one with a verifiable AUTS, and fails a forged AUTN', () => {
    const card = new SimulatedUicc(profile);
    tx(card, selectAid(0, ISIM_AID_PREFIX));
    const autn = buildAutn(sub.k, sub.opc, RAND, sqn(0x21), AMF);
    const r = tx(card, authenticate3g(0, RAND, autn));
    const out = parseAuthResponse(r.data, r.sw, '3g');
    const m = milenage(sub.k, sub.opc, RAND, sqn(0x21), AMF);
    expect(out).toEqual({ kind: 'ok', res: m.res, ck: m.ck, ik: m.ik });
    const replay = tx(card, authenticate3g(0, RAND, autn));
    const sync = parseAuthResponse(replay.data, replay.sw, '3g');
    expect(sync.kind).toBe('syncFailure');
    if (sync.kind === 'syncFailure') expect(openAuts(sub.k, sub.opc, RAND, sync.auts)).toEqual(sqn(0x21));
    expect(tx(card, authenticate3g(0, RAND, buildAutn(sub.k, sub.opc, RAND, sqn(0x21 + 2 ** 29), AMF))).data[0]).toBe(0xdc); // beyond the window
    const forged = autn.slice();
    forged[15] = (forged[15] ?? 0) ^ 0x01;
    expect(tx(card, authenticate3g(0, RAND, forged)).sw).toBe(0x9862);
    expect(toHex(card.highestSqn)).toBe('000000000021');
  });
  it('refuses AUTHENTICATE data of any other shape with 6A80 (its own parser, not the client\'s)', () => {
    const card = new SimulatedUicc(demoProfile({ gbaU: true }));
    tx(card, selectAid(0, ISIM_AID_PREFIX));
    const r16 = toHex(RAND);
    const bad = [
      `0088008121 0f${r16.slice(2)} 10${r16}`, // 15-byte RAND
      `0088008123 10${r16} 10${r16} 00`, // a trailing item
      `0088008122 10${r16} 11${r16}`, // a length past the end
      `0088008423 df10${r16} 10${r16}`, // unknown GBA mode tag
      `0088008403 de0000`, // NAF derivation with empty values
    ];
    for (const hex of bad) expect(parseResponse(card.transmit(fromHex(hex.replace(/ /g, '') + '00'))).sw, hex).toBe(0x6a80);
  });

  it('works in the USIM too, and needs the PIN when enabled', () => {
    const card = new SimulatedUicc(demoProfile({ pin: '1234', isim: false }));
    tx(card, selectAid(0, USIM_AID_PREFIX));
    const c = authenticate3g(0, RAND, buildAutn(sub.k, sub.opc, RAND, sqn(0x30), AMF));
    expect(tx(card, c).sw).toBe(0x6982);
    tx(card, verifyPin(0, '1234'));
    expect(tx(card, c).data[0]).toBe(0xdb);
    expect(tx(card, selectAid(0, ISIM_AID_PREFIX)).sw).toBe(0x6a82);
  });
  it('GBA_U: bootstrapping mode checks MAC*, stores RAND, NAF derivation gives KDF(Ks, gba-me, ...)', () => {
    const card = new SimulatedUicc(demoProfile({ gbaU: true }));
    tx(card, selectAid(0, ISIM_AID_PREFIX));
    tx(card, selectFid(0, 0x6f07));
    expect(EF_IST.decode(tx(card, readBinary(0, 0, 4)).data)).toContain(2);
    const nafId = concatBytes(utf8('wsg.t-mobile.com'), fromHex('010001002f'));
    expect(tx(card, authenticateGbaNaf(0, nafId, utf8(sub.impi))).sw).toBe(0x6985); // not bootstrapped yet
    const m = milenage(sub.k, sub.opc, RAND, sqn(0x40), AMF);
    const plain = buildAutn(sub.k, sub.opc, RAND, sqn(0x40), AMF);
    expect(tx(card, authenticateGbaBootstrap(0, RAND, plain)).sw).toBe(0x9862); // unmodified MAC is refused
    const r = tx(card, authenticateGbaBootstrap(0, RAND, toggleGbaUMac(plain, m.ik)));
    expect(parseAuthResponse(r.data, r.sw, 'gbaBootstrap')).toEqual({ kind: 'ok', res: m.res });
    tx(card, selectFid(0, 0x6fd5));
    const bp = tx(card, readBinary(0, 0, 160));
    expect(EF_GBABP.decode(bp.data).rand).toEqual(RAND);
    const upd = EF_GBABP.encode({ rand: RAND, btid: 'btid@bsf', lifetime: '2030-01-01T00:00:00Z' }, 160);
    expect(tx(card, updateBinary(0, 0, upd)).sw).toBe(0x9000);
    expect(EF_GBABP.decode(card.readFile('ISIM', 0x6fd5) ?? new Uint8Array()).btid).toBe('btid@bsf');
    const naf = tx(card, authenticateGbaNaf(0, nafId, utf8(sub.impi)));
    expect(parseNafDerivationResponse(naf.data)).toEqual(deriveKsNaf(concatBytes(m.ck, m.ik), 'gba-me', RAND, sub.impi, nafId));
  });
});

describe('SimulatedUicc: T=0 style', () => {
  it('answers case-4 commands with 61xx and serves GET RESPONSE in pieces; case 2 with 6Cxx', () => {
    const card = new SimulatedUicc(demoProfile(), { protocol: 'T0' });
    expect(card.atr[0]).toBe(0x3b);
    const sel = card.transmit(fromHex('00a4040407a0000000871004'));
    const sw = parseResponse(sel).sw;
    expect(sw >> 8).toBe(0x61);
    const n = sw & 0xff;
    const part = tx(card, { cla: 0, ins: 0xc0, p1: 0, p2: 0, le: 3 });
    expect(part.sw).toBe(0x6100 | (n - 3));
    const rest = tx(card, { cla: 0, ins: 0xc0, p1: 0, p2: 0, le: n - 3 });
    expect(rest.sw).toBe(0x9000);
    expect(parseFcp(concatBytes(part.data, rest.data)).descriptor.structure).toBe('df');
    tx(card, selectFid(0, 0x6f07));
    expect(tx(card, readBinary(0, 0, 256)).sw).toBe(0x6c04);
  });
});

describe('SimulatedUicc: T=1', () => {
  it('a case-4 SELECT with Le gets its FCP at once; without Le it gets 61xx and GET RESPONSE, like a real card', () => {
    const card = new SimulatedUicc(demoProfile(), { protocol: 'T1' });
    const withLe = parseResponse(card.transmit(fromHex('00a4040407a000000087100400')));
    expect(withLe.sw).toBe(0x9000);
    expect(parseFcp(withLe.data).descriptor.structure).toBe('df');
    const noLe = parseResponse(card.transmit(fromHex('00a4040407a0000000871004')));
    expect(noLe.data).toHaveLength(0); // no data with the status: the old lenient answer is gone
    expect(noLe.sw >> 8).toBe(0x61);
    const rest = tx(card, { cla: 0, ins: 0xc0, p1: 0, p2: 0, le: noLe.sw & 0xff });
    expect(rest.sw).toBe(0x9000);
    expect(toHex(rest.data)).toBe(toHex(withLe.data));
    // A case-3 command without response data (SELECT with P2 0C) is plain 9000.
    expect(parseResponse(card.transmit(fromHex('00a4040c07a0000000871004'))).sw).toBe(0x9000);
  });
});

describe('SimulatedUicc: MILENAGE known answers on the card side (TS 35.208 test sets)', () => {
  for (const v of milenageVectors.sets) {
    it(`test set ${v.testSet}: RES/CK/IK for the vector AUTN, then AUTS for a replay`, () => {
      const sqnMinus1 = fromHex((BigInt(`0x${v.SQN}`) - 1n).toString(16).padStart(12, '0'));
      const card = new SimulatedUicc(demoProfile({ k: v.K, opc: v.OPc, sqn: toHex(sqnMinus1) }));
      tx(card, selectAid(0, ISIM_AID_PREFIX));
      const c = authenticate3g(0, fromHex(v.RAND), fromHex(v.derived_AUTN));
      const r = tx(card, c);
      expect(r.sw).toBe(0x9000);
      expect(parseAuthResponse(r.data, r.sw, '3g')).toEqual({ kind: 'ok', res: fromHex(v.f2_RES), ck: fromHex(v.f3_CK), ik: fromHex(v.f4_IK) });
      // SQN_MS is now the vector's SQN: the same challenge again is a replay, answered with that AUTS.
      const again = tx(card, c);
      expect(parseAuthResponse(again.data, again.sw, '3g')).toEqual({ kind: 'syncFailure', auts: fromHex(v.derived_AUTS_with_SQNms_equal_SQN) });
    });
  }
});
