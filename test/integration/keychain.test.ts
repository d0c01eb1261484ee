// The SIM PIN store against the real OS keyring: keytar -> libsecret -> gnome-keyring on a private
// D-Bus session bus started by test/support/keyring.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateKeyring, type PrivateKeyring } from '../support/keyring.js';
import { createKeychainPinStore, verifyWithStoredPin } from '../../main/adapters/keychain/keychain-pin-store.js';
import { CardError } from '../../main/errors.js';

const ICCID_A = '8901260123456789012';
const ICCID_B = '89012601234567890123';

describe('keychain PIN store (real keyring)', () => {
  let keyring: PrivateKeyring;
  beforeAll(async () => {
    keyring = await startPrivateKeyring();
    keyring.apply();
  });
  afterAll(async () => {
    await keyring?.stop();
  });

  it('stores, reads and deletes a PIN per ICCID', async () => {
    const store = createKeychainPinStore(undefined, `vvm-desk-test-${process.pid}`);
    expect(await store.get(ICCID_A)).toBeNull();
    await store.set(ICCID_A, '2468');
    await store.set(ICCID_B, '13579');
    expect(await store.get(ICCID_A)).toBe('2468');
    expect(await store.get(ICCID_B)).toBe('13579');
    expect(await store.delete(ICCID_A)).toBe(true);
    expect(await store.get(ICCID_A)).toBeNull();
    expect(await store.get(ICCID_B)).toBe('13579');
    expect(await store.delete(ICCID_A)).toBe(false);
    await store.delete(ICCID_B);
  });

  it('deletes a stored PIN the card refuses, so it is never presented again', async () => {
    const store = createKeychainPinStore(undefined, `vvm-desk-test-${process.pid}`);
    await store.set(ICCID_A, '1111');
    const tried: string[] = [];
    const refuse = async (pin: string) => {
      tried.push(pin);
      throw new CardError('card.pinWrong', 'Wrong PIN', { detail: { triesLeft: 2 } });
    };
    await expect(verifyWithStoredPin(store, ICCID_A, refuse)).rejects.toMatchObject({ code: 'card.pinWrong' });
    expect(await store.get(ICCID_A)).toBeNull();
    expect(await verifyWithStoredPin(store, ICCID_A, refuse)).toBe('none');
    expect(tried).toEqual(['1111']);
  });
});
