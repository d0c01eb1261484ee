import { describe, expect, it } from 'vitest';
import { createDesktopPinSource } from '../../../../main/adapters/keychain/keychain-pin-source.js';
import type { PinStore } from '../../../../main/adapters/keychain/keychain-pin-store.js';

function memoryStore(): PinStore & { m: Map<string, string> } {
  const m = new Map<string, string>();
  return { m, get: async (i) => m.get(i) ?? null, set: async (i, p) => void m.set(i, p), delete: async (i) => m.delete(i) };
}
const REQ = { readerName: 'r', iccid: '8901260000000000001', triesLeft: 3 };

describe('createDesktopPinSource', () => {
  it('gives nothing without a typed or stored PIN', async () => {
    expect(await createDesktopPinSource(memoryStore()).getPin(REQ)).toBeNull();
  });

  it('uses a typed PIN once, then the keychain', async () => {
    const store = memoryStore();
    store.m.set(REQ.iccid, '1111');
    const src = createDesktopPinSource(store);
    src.offer('2222', false);
    expect(await src.getPin(REQ)).toBe('2222');
    expect(await src.getPin(REQ)).toBe('1111');
  });

  it('stores a typed PIN only when the card accepted it and the user asked', async () => {
    const store = memoryStore();
    const src = createDesktopPinSource(store);
    src.offer('2468', false);
    await src.pinAccepted?.(REQ, (await src.getPin(REQ)) ?? '');
    expect(store.m.size).toBe(0);
    src.offer('2468', true);
    const pin = await src.getPin(REQ);
    await src.pinRejected(REQ);
    expect(store.m.size).toBe(0);
    src.offer('2468', true);
    await src.pinAccepted?.(REQ, (await src.getPin(REQ)) ?? '');
    expect(pin).toBe('2468');
    expect(store.m.get(REQ.iccid)).toBe('2468');
  });

  it('deletes a keychain PIN the card rejected, but never on a typed one', async () => {
    const store = memoryStore();
    store.m.set(REQ.iccid, '1111');
    const src = createDesktopPinSource(store);
    src.offer('9999', false);
    await src.getPin(REQ);
    await src.pinRejected(REQ);
    expect(store.m.get(REQ.iccid)).toBe('1111');
    expect(await src.getPin(REQ)).toBe('1111');
    await src.pinRejected(REQ);
    expect(store.m.has(REQ.iccid)).toBe(false);
    expect(await src.getPin(REQ)).toBeNull();
  });

  it('forgets a withdrawn offer', async () => {
    const src = createDesktopPinSource(memoryStore());
    src.offer('1234', true);
    expect(src.withdraw()).toBe(true);
    expect(await src.getPin(REQ)).toBeNull();
    src.offer('1234', true);
    await src.getPin(REQ);
    expect(src.withdraw()).toBe(false);
  });
});
