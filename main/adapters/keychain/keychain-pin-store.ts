// The SIM PIN in the OS keychain (libsecret / Keychain / Credential Manager through keytar), one entry
// per card, keyed by ICCID. Stored only when the user ticks "remember"; a stored PIN the card refuses is
// deleted at once and never tried again (a retry would burn one of the three attempts, TS 31.101 9.5.1).
// Nothing here logs or reports the PIN.
import { AppConfigError, CardError } from '../../errors.js';

/**
 * Where the SIM PIN is kept between sessions. The card service asks for the PIN of a card (by ICCID)
 * before VERIFY PIN; the IPC layer stores and forgets it on the user's request.
 */
export interface PinStore {
  /** The stored PIN of this card, or null. */
  get(iccid: string): Promise<string | null>;
  set(iccid: string, pin: string): Promise<void>;
  /** Deletes the entry; true when there was one. */
  delete(iccid: string): Promise<boolean>;
}

/** The three keytar calls this adapter uses (keytar itself, or a fake in unit tests). */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Keychain service name of every entry this app writes. */
export const KEYCHAIN_SERVICE = 'vvm-desk';

const ICCID = /^[0-9]{18,20}F?$/i;

function account(iccid: string): string {
  // ICCID: up to 20 BCD digits (ITU-T E.118), sometimes with a trailing F filler from EF_ICCID.
  if (!ICCID.test(iccid)) throw new AppConfigError('config.invalid', 'Not a valid ICCID', { hint: 'The card reported an unusual ICCID; the PIN cannot be stored for it.' });
  return `sim-pin:${iccid.toUpperCase()}`;
}

function unavailable(e: unknown): AppConfigError {
  // keytar's messages ("Cannot autolaunch D-Bus without X11 $DISPLAY", "locked collection") hold no secret.
  const reason = e instanceof Error ? e.message : String(e);
  return new AppConfigError('keychain.unavailable', 'The system keychain is not available', {
    hint: 'Unlock or start the keyring (GNOME Keyring / KWallet on Linux), or enter the PIN each time.',
    detail: { reason: reason.slice(0, 200) },
    retryable: true,
    cause: e,
  });
}

async function loadKeytar(): Promise<KeytarLike> {
  try {
    const mod: { default?: KeytarLike } & Partial<KeytarLike> = await import('keytar');
    const k = mod.default ?? mod;
    if (typeof k.getPassword !== 'function' || typeof k.setPassword !== 'function' || typeof k.deletePassword !== 'function') throw new Error('keytar has an unexpected shape');
    return { getPassword: k.getPassword, setPassword: k.setPassword, deletePassword: k.deletePassword };
  } catch (e) {
    throw unavailable(e);
  }
}

/** A {@link PinStore} over keytar. `keytar` is injectable; by default the native module is loaded lazily. */
export function createKeychainPinStore(keytar?: KeytarLike, service = KEYCHAIN_SERVICE): PinStore {
  let loaded: Promise<KeytarLike> | undefined = keytar ? Promise.resolve(keytar) : undefined;
  const k = () => (loaded ??= loadKeytar());
  async function guard<T>(op: (kt: KeytarLike) => Promise<T>): Promise<T> {
    const kt = await k();
    try {
      return await op(kt);
    } catch (e) {
      if (e instanceof AppConfigError) throw e;
      throw unavailable(e);
    }
  }
  return {
    get: (iccid) => {
      const acc = account(iccid);
      return guard((kt) => kt.getPassword(service, acc));
    },
    set: (iccid, pin) => {
      const acc = account(iccid);
      if (!/^\d{4,8}$/.test(pin)) throw new AppConfigError('config.invalid', 'A SIM PIN is 4 to 8 digits', { hint: 'Check the PIN and try again.' });
      return guard((kt) => kt.setPassword(service, acc, pin));
    },
    delete: (iccid) => {
      const acc = account(iccid);
      return guard((kt) => kt.deletePassword(service, acc));
    },
  };
}

/** What {@link verifyWithStoredPin} did. */
export type StoredPinOutcome = 'none' | 'verified';

/**
 * Verifies the card with its stored PIN, if there is one. If the card refuses it (wrong or blocked),
 * the entry is deleted before the error is rethrown, so it is never presented to the card again.
 * A keychain that is unavailable counts as "no stored PIN": the user is asked instead.
 */
export async function verifyWithStoredPin(store: PinStore, iccid: string, verify: (pin: string) => Promise<void>): Promise<StoredPinOutcome> {
  let pin: string | null;
  try {
    pin = await store.get(iccid);
  } catch (e) {
    if (e instanceof AppConfigError && e.code === 'keychain.unavailable') return 'none';
    throw e;
  }
  if (pin === null) return 'none';
  try {
    await verify(pin);
    return 'verified';
  } catch (e) {
    if (e instanceof CardError && (e.code === 'card.pinWrong' || e.code === 'card.pinBlocked')) {
      await store.delete(iccid).catch(() => false);
    }
    throw e;
  }
}
