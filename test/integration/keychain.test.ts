// The SIM PIN store against the real OS keyring: keytar -> libsecret -> gnome-keyring on a private
// D-Bus session bus started by test/support/keyring.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateKeyring, type PrivateKeyring } from '../support/keyring.js';
import { createKeychainPinStore, verifyWithStoredPin } from '../../main/adapters/keychain/keychain-pin-store.js';
import { CardError } from '../../main/errors.js';
import { createDesktopPinSource } from '../../main/adapters/keychain/keychain-pin-source.js';
import { createAudioEngine, openMstoreSession } from '../../main/app.js';
import { createMailbox } from '../../main/services/mailbox/mailbox.js';
import { createDispatcher } from '../../main/ipc/dispatch.js';
import { createImplementations } from '../../main/ipc/implementations.js';
import { InProcessCardReader } from '../../main/sim/card/in-process-reader.js';
import { demoProfile } from '../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import { defaultSettings } from '../../shared/settings.js';

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

  it('the desktop remembers a SIM PIN in the keyring and unlocks with it in the next session', async () => {
    const store = createKeychainPinStore(undefined, `vvm-desk-test-${process.pid}`);
    const card = new SimulatedUicc(demoProfile({ pin: '8642' }));
    const desktop = () => {
      const pinSource = createDesktopPinSource(store);
      const engine = createMailbox({
        open: (settings) => openMstoreSession({ settings, demo: false, env: {}, pinSource, readers: async () => new InProcessCardReader(card) }),
        audio: createAudioEngine({ env: {} }),
        pinSource,
        settings: defaultSettings(),
        demo: false,
      });
      return { engine, d: createDispatcher(createImplementations(engine, store, { chooseExportDirectory: async () => null })) };
    };
    const opId = () => crypto.randomUUID();

    const first = desktop();
    expect(await first.d.dispatch('card:status', {}, () => {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await first.d.dispatch('card:unlock', { pin: '8642', remember: true, opId: opId() }, () => {})).toMatchObject({ ok: true, value: { state: 'ready', pinStored: true } });
    const iccid = first.engine.cardStatus().iccid ?? '';
    await first.engine.close();
    expect(await store.get(iccid)).toBe('8642');

    // "Restart": a new engine finds the card unlocked by the keyring PIN, no dialog.
    const second = desktop();
    expect(await second.d.dispatch('card:status', {}, () => {})).toMatchObject({ ok: true, value: { state: 'ready', pinStored: true } });
    expect(await second.d.dispatch('pin:forget', {}, () => {})).toMatchObject({ ok: true });
    expect(await store.get(iccid)).toBeNull();
    await second.engine.close();
  });
});
