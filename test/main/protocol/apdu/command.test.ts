import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../shared/bytes.js';
import { channelFromCla, claForChannel, decodeCommand, encodeCommand, parseResponse } from '../../../../main/protocol/apdu/command.js';
import { MalformedError } from '../../../../main/protocol/apdu/malformed.js';
import { classifySw, describeSw } from '../../../../main/protocol/apdu/status.js';
import { nextExchangeStep, startExchange } from '../../../../main/protocol/apdu/exchange.js';

describe('command APDU encoding (ISO/IEC 7816-4 5.1)', () => {
  const cases = [
    { name: 'case 1', c: { cla: 0, ins: 0x70, p1: 0x80, p2: 1 }, hex: '00708001' },
    { name: 'case 2, Le 256 as 00', c: { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }, hex: '00b0000000' },
    { name: 'case 2, Le 10', c: { cla: 1, ins: 0xb0, p1: 0, p2: 4, le: 10 }, hex: '01b000040a' },
    { name: 'case 3', c: { cla: 0, ins: 0xd6, p1: 0, p2: 0, data: fromHex('0102') }, hex: '00d60000020102' },
    { name: 'case 4', c: { cla: 0, ins: 0xa4, p1: 0, p2: 4, data: fromHex('3f00'), le: 256 }, hex: '00a40004023f0000' },
  ];
  for (const t of cases) {
    it(`${t.name} encodes and decodes back`, () => {
      const b = encodeCommand(t.c);
      expect(toHex(b)).toBe(t.hex);
      expect(decodeCommand(b)).toEqual(t.c);
    });
  }
  it('rejects out-of-range fields and inconsistent lengths', () => {
    expect(() => encodeCommand({ cla: 256, ins: 0, p1: 0, p2: 0 })).toThrow(MalformedError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 257 })).toThrow(MalformedError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(256) })).toThrow(MalformedError);
    expect(() => decodeCommand(fromHex('00a400'))).toThrow(MalformedError);
    expect(() => decodeCommand(fromHex('00a4000403aabb'))).toThrow(MalformedError); // Lc 3, 2 bytes
    expect(() => decodeCommand(fromHex('00a4000400aabb'))).toThrow(MalformedError); // extended length
  });
  it('splits a response into data and SW', () => {
    expect(parseResponse(fromHex('aabb9000'))).toEqual({ data: fromHex('aabb'), sw1: 0x90, sw2: 0, sw: 0x9000 });
    expect(() => parseResponse(fromHex('90'))).toThrow(MalformedError);
  });
});

describe('logical channel CLA (TS 102 221 10.1.1)', () => {
  it('encodes channels 0-3 and 4-19 and decodes them back', () => {
    expect([0, 1, 2, 3, 4, 5, 19].map((c) => claForChannel(c))).toEqual([0x00, 0x01, 0x02, 0x03, 0x40, 0x41, 0x4f]);
    expect(claForChannel(2, 0x80)).toBe(0x82);
    expect(claForChannel(6, 0x80)).toBe(0xc2);
    for (let ch = 0; ch <= 19; ch++) expect(channelFromCla(claForChannel(ch))).toBe(ch);
    expect(() => claForChannel(20)).toThrow(MalformedError);
  });
});

describe('status words', () => {
  it('classifies the words the card layer acts on', () => {
    expect(classifySw(0x9000)).toEqual({ kind: 'ok' });
    expect(classifySw(0x9110)).toEqual({ kind: 'ok' });
    expect(classifySw(0x6120)).toEqual({ kind: 'moreData', available: 0x20 });
    expect(classifySw(0x6100)).toEqual({ kind: 'moreData', available: 256 });
    expect(classifySw(0x6c05)).toEqual({ kind: 'wrongLe', exact: 5 });
    expect(classifySw(0x63c2)).toEqual({ kind: 'verifyFailed', triesLeft: 2 });
    expect(classifySw(0x6983)).toEqual({ kind: 'pinBlocked' });
    expect(classifySw(0x6982)).toEqual({ kind: 'securityNotSatisfied' });
    expect(classifySw(0x9862)).toEqual({ kind: 'authMacFailure' });
    expect(classifySw(0x9864)).toEqual({ kind: 'authContextUnsupported' });
    expect(classifySw(0x6a82)).toEqual({ kind: 'fileNotFound' });
    expect(classifySw(0x6d00)).toMatchObject({ kind: 'error', sw: 0x6d00 });
    expect(describeSw(0x6d00)).toBe('6D00 instruction code not supported');
  });
});

describe('T=0 exchange rules', () => {
  const select = { cla: 0x01, ins: 0xa4, p1: 4, p2: 4, data: fromHex('a0000000871004'), le: 256 };
  it('drops Le of a case-4 command on T=0 only', () => {
    expect(toHex(startExchange(select, 'T0').apdu)).toBe('01a4040407a0000000871004');
    expect(toHex(startExchange(select, 'T1').apdu)).toBe('01a4040407a000000087100400');
  });
  it('61xx -> GET RESPONSE on the same channel, collecting data', () => {
    let { state } = startExchange(select, 'T0');
    const s1 = nextExchangeStep(state, fromHex('6104'), 'T0');
    expect(s1.kind).toBe('send');
    if (s1.kind !== 'send') return;
    expect(toHex(s1.apdu)).toBe('01c0000004');
    state = s1.state;
    const s2 = nextExchangeStep(state, fromHex('aabbccdd6102'), 'T0');
    expect(s2.kind === 'send' && toHex(s2.apdu)).toBe('01c0000002');
    if (s2.kind !== 'send') return;
    const s3 = nextExchangeStep(s2.state, fromHex('eeff9000'), 'T0');
    expect(s3).toEqual({ kind: 'done', data: fromHex('aabbccddeeff'), sw: 0x9000 });
  });
  it('6Cxx -> resend with the exact Le', () => {
    const read = { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 };
    const { state } = startExchange(read, 'T0');
    const s = nextExchangeStep(state, fromHex('6c0a'), 'T0');
    expect(s.kind === 'send' && toHex(s.apdu)).toBe('00b000000a');
  });
  it('bounds the number of rounds', () => {
    let state = startExchange(select, 'T0').state;
    expect(() => {
      for (let i = 0; i < 100; i++) {
        const s = nextExchangeStep(state, fromHex('6101'), 'T0');
        if (s.kind === 'send') state = s.state;
      }
    }).toThrow(MalformedError);
  });
});

describe('T=0 exchange: 6Cxx after GET RESPONSE', () => {
  it('resends the GET RESPONSE (not the original command) with the exact Le', () => {
    const c = { cla: 0x02, ins: 0x88, p1: 0, p2: 0x81, data: new Uint8Array(34), le: 256 };
    const s0 = startExchange(c, 'T0');
    const s1 = nextExchangeStep(s0.state, fromHex('6100'), 'T0');
    expect(s1.kind === 'send' && toHex(s1.apdu)).toBe('02c0000000');
    if (s1.kind !== 'send') return;
    const s2 = nextExchangeStep(s1.state, fromHex('6c35'), 'T0');
    expect(s2.kind === 'send' && toHex(s2.apdu)).toBe('02c0000035');
    if (s2.kind !== 'send') return;
    const s3 = nextExchangeStep(s2.state, new Uint8Array([...new Uint8Array(0x35).fill(7), 0x90, 0x00]), 'T0');
    expect(s3.kind === 'done' && s3.data.length).toBe(0x35);
  });
});
