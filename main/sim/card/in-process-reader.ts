// The in-process transport of the simulated card: a CardReaderPort with one reader, "VVM Desk demo
// reader", holding a SimulatedUicc. Demo mode uses it on machines without pcscd; unit tests too.
import { CardError, throwIfAborted } from '../../errors.js';
import type { CardPort, CardReaderPort, ReaderEvent, ReaderInfo } from '../../services/ports.js';
import type { SimulatedUicc } from './simulated-uicc.js';

/** Reader name of the in-process simulated card. */
export const DEMO_READER_NAME = 'VVM Desk demo reader';

/** A CardReaderPort whose only reader holds `card` (or is empty after {@link InProcessCardReader.remove}). */
export class InProcessCardReader implements CardReaderPort {
  private card: SimulatedUicc | null;
  private readonly listeners = new Set<(e: ReaderEvent) => void>();
  private session = 0;
  /** Bumped by {@link InProcessCardReader.resetCard}: connections made before it see the reset once. */
  private resets = 0;

  constructor(card: SimulatedUicc) {
    this.card = card;
  }

  async listReaders(signal?: AbortSignal): Promise<ReaderInfo[]> {
    throwIfAborted(signal);
    return [{ name: DEMO_READER_NAME, cardPresent: this.card !== null }];
  }

  async connect(readerName: string, signal?: AbortSignal): Promise<CardPort> {
    throwIfAborted(signal);
    if (readerName !== DEMO_READER_NAME) throw new CardError('card.noReader', `No reader named "${readerName}"`, { hint: `The demo reader is "${DEMO_READER_NAME}".` });
    const card = this.card;
    if (!card) throw new CardError('card.absent', 'No card in the demo reader', { hint: 'Insert the simulated card again (restart demo mode).' });
    // A new connection resets the card, as a PC/SC connect after power-up does.
    card.reset();
    const session = ++this.session;
    let closed = false;
    let seenResets = this.resets;
    const transmit = async (apdu: Uint8Array, sig?: AbortSignal): Promise<Uint8Array> => {
      throwIfAborted(sig);
      if (closed) throw new CardError('card.removed', 'The card connection is closed', { hint: 'Connect to the card again.' });
      if (this.card !== card || this.session !== session) throw new CardError('card.removed', 'The card was removed', { hint: 'Insert the card and try again.' });
      // As pcsc-lite answers SCARD_W_RESET_CARD until the handle reconnects.
      if (seenResets !== this.resets) throw new CardError('card.removed', 'The card was reset by another program', { hint: 'Try again.', detail: { reset: true }, retryable: true });
      return card.transmit(apdu);
    };
    return {
      protocol: card.protocol,
      readerName: DEMO_READER_NAME,
      transmit,
      reconnect: async (sig?: AbortSignal) => {
        throwIfAborted(sig);
        if (this.card !== card || this.session !== session) throw new CardError('card.removed', 'The card was removed', { hint: 'Insert the card and try again.' });
        seenResets = this.resets;
      },
      close: async () => {
        closed = true;
      },
    };
  }

  watch(listener: (e: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Another program resets the card (warm reset): it forgets channels and PIN verification. */
  resetCard(): void {
    this.card?.reset();
    this.resets++;
  }

  /** Pulls the card out (tests, demo). */
  remove(): void {
    if (!this.card) return;
    this.card = null;
    for (const l of this.listeners) l({ kind: 'cardRemoved', reader: DEMO_READER_NAME });
  }

  /** Puts a card in. */
  insert(card: SimulatedUicc): void {
    this.card = card;
    for (const l of this.listeners) l({ kind: 'cardInserted', reader: DEMO_READER_NAME });
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
