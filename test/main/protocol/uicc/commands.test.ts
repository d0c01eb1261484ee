import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../shared/bytes.js';
import { encodeCommand } from '../../../../main/protocol/apdu/command.js';
import { MalformedError } from '../../../../main/protocol/apdu/malformed.js';
import { manageChannelOpen, parseManageChannelOpen, parseVerifySw, readBinary, readRecord, selectAid, selectFid, verifyPin, verifyStatus } from '../../../../main/protocol/uicc/commands.js';
import { authenticate3g, authenticateGbaBootstrap, authenticateGbaNaf, encodeAuthSuccess, encodeAuthSyncFailure, parseAuthRequest, parseAuthResponse, parseNafDerivationResponse } from '../../../../main/protocol/uicc/authenticate.js';

const RAND = fromHex('23553cbe9637a89d218ae64dae47bf35');
const AUTN = fromHex('55f328b43577b9b94a9ffac354dfafb3');

describe('UICC command builders', () => {
  it('encode as in TS 102 221 / the card notes', () => {
    expect(toHex(encodeCommand(selectFid(0, 0x3f00)))).toBe('00a40004023f0000');
    expect(toHex(encodeCommand(selectAid(1, fromHex('a0000000871004'))))).toBe('01a4040407a000000087100400');
    expect(toHex(encodeCommand(readBinary(0x41, 0x123, 16)))).toBe('41b0012310');
    expect(toHex(encodeCommand(readRecord(0, 2, 38)))).toBe('00b2020426');
    expect(toHex(encodeCommand(manageChannelOpen()))).toBe('0070000001');
    expect(toHex(encodeCommand(verifyStatus(1)))).toBe('01200001');
    expect(toHex(encodeCommand(verifyPin(0, '1234')))).toBe('002000010831323334ffffffff');
    expect(parseManageChannelOpen(fromHex('03'))).toBe(3);
    expect(() => parseManageChannelOpen(fromHex('00'))).toThrow(MalformedError);
  });
  it('VERIFY PIN pads to 8 bytes with FF and refuses non-PINs', () => {
    expect(toHex(verifyPin(0, '12345678').data ?? new Uint8Array())).toBe('3132333435363738');
    expect(toHex(verifyPin(0, '1234').data ?? new Uint8Array())).toBe('31323334ffffffff');
    for (const bad of ['123', '123456789', '12a4', '']) expect(() => verifyPin(0, bad)).toThrow(MalformedError);
  });
  it('classifies VERIFY status words', () => {
    expect(parseVerifySw(0x9000)).toEqual({ kind: 'verified' });
    expect(parseVerifySw(0x63c1)).toEqual({ kind: 'wrong', triesLeft: 1 });
    expect(parseVerifySw(0x6983)).toEqual({ kind: 'blocked' });
    expect(parseVerifySw(0x6a88)).toEqual({ kind: 'other', sw: 0x6a88 });
  });
});

describe('AUTHENTICATE (TS 31.102 / 31.103 7.1.2)', () => {
  it('3G context command matches the documented bytes', () => {
    expect(toHex(encodeCommand(authenticate3g(0, RAND, AUTN)))).toBe('008800812210' + '23553cbe9637a89d218ae64dae47bf35' + '10' + '55f328b43577b9b94a9ffac354dfafb3' + '00');
    expect(() => authenticate3g(0, RAND.slice(1), AUTN)).toThrow(MalformedError);
  });
  it('card side parses what the reader side builds', () => {
    expect(parseAuthRequest(0x81, authenticate3g(0, RAND, AUTN).data ?? new Uint8Array())).toEqual({ mode: '3g', rand: RAND, autn: AUTN });
    const b = authenticateGbaBootstrap(0, RAND, AUTN);
    expect(b.p2).toBe(0x84);
    expect(b.data?.[0]).toBe(0xdd);
    expect(parseAuthRequest(0x84, b.data ?? new Uint8Array())).toEqual({ mode: 'gbaBootstrap', rand: RAND, autn: AUTN });
    const n = authenticateGbaNaf(0, fromHex('6e6166010001002f'), new TextEncoder().encode('impi@x'));
    expect(n.data?.[0]).toBe(0xde);
    expect(parseAuthRequest(0x84, n.data ?? new Uint8Array())).toMatchObject({ mode: 'gbaNaf', nafId: fromHex('6e6166010001002f') });
    expect(() => parseAuthRequest(0x82, new Uint8Array(34))).toThrow(MalformedError);
    expect(() => parseAuthRequest(0x81, fromHex('10aa'))).toThrow(MalformedError);
    expect(() => parseAuthRequest(0x84, fromHex('df0101'))).toThrow(MalformedError);
  });
  it('parses success, sync failure, MAC failure and rejects malformed responses', () => {
    const res = fromHex('a54211d5e3ba50bf');
    const ck = new Uint8Array(16).fill(1);
    const ik = new Uint8Array(16).fill(2);
    expect(parseAuthResponse(encodeAuthSuccess(res, ck, ik), 0x9000, '3g')).toEqual({ kind: 'ok', res, ck, ik });
    expect(parseAuthResponse(encodeAuthSuccess(res, ck, ik, new Uint8Array(8)), 0x9000, '3g')).toMatchObject({ kind: 'ok', kc: new Uint8Array(8) });
    expect(parseAuthResponse(encodeAuthSuccess(res), 0x9000, 'gbaBootstrap')).toEqual({ kind: 'ok', res });
    const auts = new Uint8Array(14).fill(9);
    expect(parseAuthResponse(encodeAuthSyncFailure(auts), 0x9000, '3g')).toEqual({ kind: 'syncFailure', auts });
    expect(parseAuthResponse(new Uint8Array(0), 0x9862, '3g')).toEqual({ kind: 'macFailure' });
    expect(parseAuthResponse(new Uint8Array(0), 0x9864, '3g')).toEqual({ kind: 'contextUnsupported' });
    expect(() => parseAuthResponse(encodeAuthSuccess(res), 0x9000, '3g')).toThrow(MalformedError);
    expect(() => parseAuthResponse(encodeAuthSyncFailure(new Uint8Array(13)), 0x9000, '3g')).toThrow(MalformedError);
    expect(() => parseAuthResponse(fromHex('db08a542'), 0x9000, '3g')).toThrow(MalformedError);
    expect(() => parseAuthResponse(new Uint8Array(0), 0x6985, '3g')).toThrow(MalformedError);
    expect(parseNafDerivationResponse(encodeAuthSuccess(new Uint8Array(32).fill(5)))).toEqual(new Uint8Array(32).fill(5));
    expect(() => parseNafDerivationResponse(encodeAuthSuccess(new Uint8Array(16)))).toThrow(MalformedError);
  });
});
