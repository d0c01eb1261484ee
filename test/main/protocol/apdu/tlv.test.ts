import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../shared/bytes.js';
import { encodeLv, encodeTlv, parseLvs, parseOneTlv, parseTlvs } from '../../../../main/protocol/apdu/tlv.js';
import { buildFcp, parseFcp } from '../../../../main/protocol/apdu/fcp.js';
import { MalformedError } from '../../../../main/protocol/apdu/malformed.js';

describe('BER-TLV', () => {
  it('parses short, 81 and 82 lengths and multi-byte tags, skipping FF padding', () => {
    const long = new Uint8Array(200).fill(7);
    const b = fromHex('8001aa' + '5f2d026566' + '62' + '81c8' + toHex(long) + 'ffff');
    const t = parseTlvs(b);
    expect(t.map((x) => x.tag)).toEqual([0x80, 0x5f2d, 0x62]);
    expect(t[2]?.constructed).toBe(true);
    expect(t[2]?.value.length).toBe(200);
    expect(parseTlvs(encodeTlv(0x80, new Uint8Array(300)))[0]?.value.length).toBe(300);
  });
  it('round-trips encodeTlv', () => {
    for (const len of [0, 1, 127, 128, 255, 256, 1000]) {
      const v = new Uint8Array(len).fill(3);
      const t = parseOneTlv(encodeTlv(0xdf21, v));
      expect(t.tag).toBe(0xdf21);
      expect(t.value).toEqual(v);
    }
  });
  it('rejects truncation and unsupported lengths', () => {
    for (const hex of ['8005aabb', '5f', '5f2d', '80', '8181', '8283ff', '80830000000000', '9f8f8f8f0100']) {
      expect(() => parseTlvs(fromHex(hex)), hex).toThrow(MalformedError);
    }
  });
  it('LV items round-trip and reject truncation', () => {
    const b = new Uint8Array([...encodeLv(fromHex('0102')), ...encodeLv(new Uint8Array(0)), ...encodeLv(fromHex('ff'))]);
    expect(parseLvs(b).map(toHex)).toEqual(['0102', '', 'ff']);
    expect(() => parseLvs(fromHex('0301'))).toThrow(MalformedError);
  });
});

describe('FCP (TS 102 221 11.1.1.3)', () => {
  it('parses a real-world style linear fixed EF FCP', () => {
    // 62 { 82 05 42 21 00 26 02, 83 02 2F00, A5.., 8A 01 05, 80 02 00 4C }
    const fcp = parseFcp(fromHex('621c820542210026028302 2f00a503800171 8a01058b036f0603 8002004c'.replace(/ /g, '')));
    expect(fcp.descriptor).toEqual({ structure: 'linearFixed', shareable: true, recordLength: 38, recordCount: 2 });
    expect(fcp.fid).toBe(0x2f00);
    expect(fcp.size).toBe(0x4c);
  });
  it('builds what it parses, including the PIN status template', () => {
    const built = buildFcp({ descriptor: { structure: 'df', shareable: true }, fid: 0x7fff, aid: fromHex('a0000000871004ff'), pinStatus: [{ keyRef: 1, enabled: true }, { keyRef: 0x81, enabled: false }] });
    const fcp = parseFcp(built);
    expect(fcp.descriptor.structure).toBe('df');
    expect(fcp.aid).toEqual(fromHex('a0000000871004ff'));
    expect(fcp.pinStatus).toEqual([{ keyRef: 1, enabled: true }, { keyRef: 0x81, enabled: false }]);
    const t = parseFcp(buildFcp({ descriptor: { structure: 'transparent', shareable: false }, fid: 0x2fe2, size: 10 }));
    expect(t).toMatchObject({ descriptor: { structure: 'transparent', shareable: false }, fid: 0x2fe2, size: 10 });
  });
  it('rejects a non-FCP template or a missing file descriptor', () => {
    expect(() => parseFcp(fromHex('6f03830100'))).toThrow(MalformedError);
    expect(() => parseFcp(fromHex('6204 83022f00'.replace(/ /g, '')))).toThrow(MalformedError);
    expect(() => parseFcp(fromHex('6203820142'))).toThrow(MalformedError);
  });
});
