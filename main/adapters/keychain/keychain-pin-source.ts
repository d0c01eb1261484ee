// The desktop's PinSource (main/services/card/pin-source.ts): a PIN the user just typed (one shot),
// else the PIN stored in the OS keychain for this ICCID. A keychain PIN the card rejects is deleted and
// never offered again; a typed PIN is stored only after the card accepted it and only if the user
// ticked "remember".
import type { PinRequest, PinSource } from '../../services/card/pin-source.js';
import type { PinStore } from './keychain-pin-store.js';

/** A PinSource the PIN dialog can feed. */
export interface DesktopPinSource extends PinSource {
  /** Offers the PIN the user typed for the next VERIFY; `remember` stores it once the card accepts it. */
  offer(pin: string, remember: boolean): void;
  /** Drops an offered PIN that was not used; true when it was still there (the card never asked). */
  withdraw(): boolean;
}

/** Builds the desktop PinSource over the keychain store. */
export function createDesktopPinSource(store: PinStore): DesktopPinSource {
  let offered: { pin: string; remember: boolean } | null = null;
  // Where the PIN handed out last came from, so a rejection deletes only a keychain PIN.
  let lastFrom: 'typed' | 'keychain' | null = null;
  let rememberNext = false;

  return {
    offer(pin, remember) {
      offered = { pin, remember };
    },
    withdraw() {
      const unused = offered !== null;
      offered = null;
      return unused;
    },
    async getPin(req: PinRequest) {
      if (offered !== null) {
        const { pin, remember } = offered;
        offered = null;
        lastFrom = 'typed';
        rememberNext = remember;
        return pin;
      }
      const stored = await store.get(req.iccid).catch(() => null);
      lastFrom = stored === null ? null : 'keychain';
      rememberNext = false;
      return stored;
    },
    async pinRejected(req: PinRequest) {
      if (lastFrom === 'keychain') await store.delete(req.iccid).catch(() => false);
      lastFrom = null;
      rememberNext = false;
    },
    async pinAccepted(req, pin) {
      if (lastFrom === 'typed' && rememberNext) await store.set(req.iccid, pin);
      lastFrom = null;
      rememberNext = false;
    },
  };
}
