import { describe, expect, it } from 'vitest';
import { fromWire, toWire } from '../../../shared/ipc/wire.js';
import { contract } from '../../../shared/ipc/contract.js';

describe('web-harness wire codec', () => {
  it('round-trips bytes at any depth', () => {
    const value = { ok: true, value: { wav: new Uint8Array([0, 1, 254, 255]), nested: [{ b: new Uint8Array(0) }], n: 1, s: 'x', z: null } };
    const back = fromWire(toWire(value));
    expect(back).toEqual(value);
    expect((back as typeof value).value.wav).toBeInstanceOf(Uint8Array);
  });

  it('turns a top-level undefined into null', () => {
    expect(toWire(undefined)).toBe('null');
  });

  it('decodes only exact {"$bytes": string} objects', () => {
    expect(fromWire('{"$bytes":"AAE=","extra":1}')).toEqual({ $bytes: 'AAE=', extra: 1 });
    expect(fromWire('{"$bytes":5}')).toEqual({ $bytes: 5 });
    expect(() => fromWire('{"$bytes":"not base64!"}')).toThrow(RangeError);
    expect(() => fromWire('{')).toThrow(SyntaxError);
  });

  it('a forged bytes tag still has to pass the channel schema', () => {
    const req = fromWire('{"id":{"$bytes":"AAE="},"opId":"7f1c2c3e-8a4b-4c5d-9e6f-0a1b2c3d4e5f"}');
    expect(contract['voicemail:audio'].req.safeParse(req).success).toBe(false);
  });
});
