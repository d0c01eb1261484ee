import { describe, expect, it } from 'vitest';
import { createKeychainPinStore, verifyWithStoredPin, type KeytarLike } from '../../../../main/adapters/keychain/keychain-pin-store.js';
import { CardError, NetError } from '../../../../main/errors.js';

function memoryKeytar(): KeytarLike & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getPassword: async (s, a) => entries.get(`${s}/${a}`) ?? null,
    setPassword: async (s, a, p) => void entries.set(`${s}/${a}`, p),
    deletePassword: async (s, a) => entries.delete(`${s}/${a}`),
  };
}

const ICCID = '8901260123456789012';

describe('createKeychainPinStore', () => {
  it('keys entries by ICCID under the app service', async () => {
    const kt = memoryKeytar();
    const store = createKeychainPinStore(kt);
    await store.set(ICCID, '1234');
    expect([...kt.entries.keys()]).toEqual([`vvm-desk/sim-pin:${ICCID}`]);
    expect(await store.get(ICCID)).toBe('1234');
  });

  it('refuses malformed ICCIDs and PINs', async () => {
    const store = createKeychainPinStore(memoryKeytar());
    expect(() => store.get('12')).toThrow(expect.objectContaining({ code: 'config.invalid' }));
    expect(() => store.set(ICCID, '12')).toThrow(expect.objectContaining({ code: 'config.invalid' }));
  });

  it('maps keyring failures to keychain.unavailable without the PIN in the error', async () => {
    const broken: KeytarLike = {
      getPassword: async () => {
        throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
      },
      setPassword: async () => {
        throw new Error('locked collection');
      },
      deletePassword: async () => false,
    };
    const store = createKeychainPinStore(broken);
    await expect(store.get(ICCID)).rejects.toMatchObject({ code: 'keychain.unavailable' });
    const e: unknown = await store.set(ICCID, '9753').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'keychain.unavailable' });
    expect(JSON.stringify({ m: (e as Error).message, d: (e as { detail: unknown }).detail })).not.toContain('9753');
  });
});

describe('verifyWithStoredPin', () => {
  it('returns none without a stored PIN and never calls verify', async () => {
    let calls = 0;
    expect(await verifyWithStoredPin(createKeychainPinStore(memoryKeytar()), ICCID, async () => void calls++)).toBe('none');
    expect(calls).toBe(0);
  });

  it('verifies with the stored PIN and keeps it', async () => {
    const store = createKeychainPinStore(memoryKeytar());
    await store.set(ICCID, '4321');
    const seen: string[] = [];
    expect(await verifyWithStoredPin(store, ICCID, async (p) => void seen.push(p))).toBe('verified');
    expect(seen).toEqual(['4321']);
    expect(await store.get(ICCID)).toBe('4321');
  });

  it.each(['card.pinWrong', 'card.pinBlocked'] as const)('deletes the stored PIN on %s', async (code) => {
    const store = createKeychainPinStore(memoryKeytar());
    await store.set(ICCID, '4321');
    await expect(verifyWithStoredPin(store, ICCID, async () => Promise.reject(new CardError(code, 'no')))).rejects.toMatchObject({ code });
    expect(await store.get(ICCID)).toBeNull();
  });

  it('keeps the stored PIN when the failure is not about the PIN', async () => {
    const store = createKeychainPinStore(memoryKeytar());
    await store.set(ICCID, '4321');
    await expect(verifyWithStoredPin(store, ICCID, async () => Promise.reject(new NetError('net.timeout', 'slow')))).rejects.toMatchObject({ code: 'net.timeout' });
    expect(await store.get(ICCID)).toBe('4321');
  });
});
