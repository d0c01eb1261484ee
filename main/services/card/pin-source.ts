// Where the SIM PIN comes from (environment, terminal prompt, OS keychain). The card service asks only
// when the card needs it, never guesses, and never retries a PIN the card rejected: it tells the source
// instead, so a stored PIN is deleted.

/** What a PIN source is told about the card asking. Never contains the PIN. */
export interface PinRequest {
  readerName: string;
  iccid: string;
  /** Tries left before the PIN blocks, from VERIFY without data (no try spent). */
  triesLeft: number;
}

/** A supplier of the SIM PIN (PIN1). Implementations: env/prompt (CLI), keychain (desktop), fixed (tests). */
export interface PinSource {
  /** The PIN for this card, or null when none is available (the service then fails with card.pinRequired). */
  getPin(req: PinRequest, signal?: AbortSignal): Promise<string | null>;
  /** The card rejected the PIN it got from here: forget it (e.g. delete it from the keychain). Never retry it. */
  pinRejected(req: PinRequest): Promise<void>;
  /** The card accepted the PIN (a keychain source may offer to remember it). */
  pinAccepted?(req: Omit<PinRequest, 'triesLeft'>, pin: string): Promise<void>;
}

/** A PinSource with no PIN: fine for cards whose PIN is disabled or already verified. */
export const NO_PIN: PinSource = {
  getPin: async () => null,
  pinRejected: async () => {},
};
