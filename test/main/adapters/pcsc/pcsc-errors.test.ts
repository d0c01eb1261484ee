import { describe, expect, it } from 'vitest';
import { mapPcscError, pcscCode } from '../../../../main/adapters/pcsc/pcsc-reader.js';

describe('PC/SC error mapping', () => {
  it('reads the SCARD code from pcsclite messages', () => {
    expect(pcscCode(new Error('SCardTransmit error: Transaction failed.(0x80100016)'))).toBe(0x80100016);
    expect(pcscCode(new Error('SCardEstablishContext error: Service not available.'))).toBe(0x8010001d);
    expect(pcscCode(new Error('something else'))).toBeNull();
  });
  const table: [string, string][] = [
    ['SCardEstablishContext error: Service not available.(0x8010001D)', 'card.serviceUnavailable'],
    ['SCardTransmit error: Card was removed.(0x80100069)', 'card.removed'],
    ['SCardTransmit error: Transaction failed.(0x80100016)', 'card.removed'],
    ['SCardTransmit error: Card was reset.(0x80100068)', 'card.removed'],
    ['SCardConnect error: No smart card inserted.(0x8010000C)', 'card.absent'],
    ['SCardConnect error: Unknown reader specified.(0x80100009)', 'card.noReader'],
    ['SCardConnect error: Sharing violation.(0x8010000B)', 'card.apdu'],
    ['SCardConnect error: Card protocol mismatch.(0x8010000F)', 'card.unsupported'],
    ['weird', 'card.apdu'],
  ];
  for (const [msg, code] of table) {
    it(`${msg} -> ${code}`, () => {
      const e = mapPcscError(new Error(msg), 'Testing', 'Reader 1');
      expect(e.code).toBe(code);
      expect(e.hint).toBeTruthy();
    });
  }
  it('only a reset is marked for the session to reconnect and retry (detail.reset)', () => {
    expect(mapPcscError(new Error('SCardTransmit error: Card was reset.(0x80100068)'), 'x').detail).toMatchObject({ reset: true, pcsc: '0x80100068' });
    expect(mapPcscError(new Error('SCardTransmit error: Card was removed.(0x80100069)'), 'x').detail?.reset).toBeUndefined();
    expect(mapPcscError(new Error('SCardTransmit error: Transaction failed.(0x80100016)'), 'x').detail?.reset).toBeUndefined();
  });
  it('the service hint says how to start pcscd', () => {
    expect(mapPcscError(new Error('Service not available.'), 'x').hint).toMatch(/pcscd/);
  });
});
