import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../shared/bytes.js';
import { EF_AD, EF_DIR, EF_DOMAIN, EF_GBABP, EF_GBANL, EF_ICCID, EF_IMPI, EF_IMPU, EF_IMSI, EF_IST, IST_SERVICE_GBA } from '../../../../main/protocol/uicc/files.js';
import { msisdnFromImpus, splitImsi, usimFallbackImpi } from '../../../../main/protocol/uicc/identity.js';
import { MalformedError } from '../../../../main/protocol/apdu/malformed.js';

describe('UICC file codecs', () => {
  it('EF_DIR: application template record, empty records are null', () => {
    const rec = fromHex('61184f10a0000000871004ff49ff05890000000050044953494dffffffffffffffffffffffffffffffffffffffffff').slice(0, 38);
    expect(EF_DIR.decodeRecord(rec)).toEqual({ aid: fromHex('a0000000871004ff49ff058900000000'), label: 'ISIM' });
    expect(EF_DIR.encodeRecord({ aid: fromHex('a0000000871004ff49ff058900000000'), label: 'ISIM' }, 38)).toEqual(rec);
    expect(EF_DIR.decodeRecord(new Uint8Array(38).fill(0xff))).toBeNull();
    expect(() => EF_DIR.decodeRecord(fromHex('6f024f00'))).toThrow(MalformedError);
  });
  it('EF_ICCID: swapped BCD with F filler', () => {
    expect(EF_ICCID.decode(fromHex('981062014365870921f3'))).toBe('8901261034567890123');
    expect(toHex(EF_ICCID.encode('8901261034567890123', 10))).toBe('981062014365870921f3');
  });
  it('EF_IMPI / EF_DOMAIN / EF_IMPU: tag 80 strings', () => {
    const impi = '310260123456789@msg.pc.t-mobile.com';
    expect(EF_IMPI.decode(EF_IMPI.encode(impi, 80))).toBe(impi);
    expect(toHex(EF_DOMAIN.encode('a.b', 6))).toBe('8003612e62ff');
    expect(EF_IMPU.decodeRecord(EF_IMPU.encodeRecord('tel:+12065550100', 64))).toBe('tel:+12065550100');
    expect(EF_IMPU.decodeRecord(new Uint8Array(64).fill(0xff))).toBeNull();
    expect(() => EF_IMPI.decode(fromHex('8105616263'))).toThrow(MalformedError);
    expect(() => EF_IMPI.decode(fromHex('8005616263'))).toThrow(MalformedError);
  });
  it('EF_IST: service n is byte (n-1)/8 bit (n-1)%8', () => {
    expect(EF_IST.decode(fromHex('0200'))).toEqual([IST_SERVICE_GBA]);
    expect(EF_IST.decode(fromHex('0b01'))).toEqual([1, 2, 4, 9]);
    expect(toHex(EF_IST.encode([1, 2, 4, 9], 2))).toBe('0b01');
  });
  it('EF_IMSI: length, parity nibble, swapped BCD (odd and even length)', () => {
    expect(EF_IMSI.decode(fromHex('083901620021436587'))).toBe('310260012345678');
    expect(toHex(EF_IMSI.encode('310260012345678', 9))).toBe('083901620021436587');
    expect(EF_IMSI.decode(EF_IMSI.encode('31026001234567', 9))).toBe('31026001234567');
    expect(() => EF_IMSI.decode(fromHex('ff'))).toThrow(MalformedError);
  });
  it('EF_AD: MNC length from byte 4', () => {
    expect(EF_AD.decode(fromHex('00000003'))).toEqual({ mncLength: 3 });
    expect(EF_AD.decode(fromHex('80000002'))).toEqual({ mncLength: 2 });
    expect(() => EF_AD.decode(fromHex('000000'))).toThrow(MalformedError);
  });
  it('EF_GBABP and EF_GBANL round-trip', () => {
    const p = { rand: fromHex('23553cbe9637a89d218ae64dae47bf35'), btid: 'I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example', lifetime: '2030-01-01T00:00:00Z' };
    expect(EF_GBABP.decode(EF_GBABP.encode(p, 160))).toEqual(p);
    expect(EF_GBABP.decode(new Uint8Array(20).fill(0xff))).toEqual({ rand: new Uint8Array(0), btid: '', lifetime: '' });
    const n = { nafId: fromHex('77736701'), btid: 'x@y' };
    expect(EF_GBANL.decodeRecord(EF_GBANL.encodeRecord(n, 96))).toEqual(n);
  });
});

describe('identities', () => {
  it('MSISDN from tel: first, then sip:+', () => {
    expect(msisdnFromImpus(['sip:310260123456789@msg.pc.t-mobile.com', 'sip:+12065550100@msg.pc.t-mobile.com'])).toBe('+12065550100');
    expect(msisdnFromImpus(['sip:+12065550199@x', 'tel:+1-206-555-0100'])).toBe('+12065550100');
    expect(msisdnFromImpus(['sip:+12065550100;user=phone@x'])).toBe('+12065550100');
    expect(msisdnFromImpus(['sip:alice@x', 'tel:2065550100'])).toBeNull();
  });
  it('USIM fallback IMPI (TS 23.003 13.3) pads a 2-digit MNC', () => {
    expect(usimFallbackImpi('310260123456789', 3)).toBe('310260123456789@ims.mnc260.mcc310.3gppnetwork.org');
    expect(usimFallbackImpi('234150999999999', 2)).toBe('234150999999999@ims.mnc015.mcc234.3gppnetwork.org');
    expect(splitImsi('234150999999999', 2)).toEqual({ mcc: '234', mnc: '15', msin: '0999999999' });
  });
});
