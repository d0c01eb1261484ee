// What the mailbox needs from the wiring (main/app/): an open mstore session per card, and the PIN
// dialog's way into the PIN source. Concrete sessions are built by main/app/mstore.ts.
import type { Settings } from '../../../shared/settings.js';
import type { CardSession } from '../card/card-session.js';
import type { DiagnosticsTarget } from '../diagnostics/diagnostics.js';
import type { PinSource } from '../card/pin-source.js';
import type { MstoreClient } from '../mstore/client.js';

/** An open mstore session: the client over card -> GBA -> NAF digest, its card session, and cleanup. */
export interface MailboxSession {
  client: MstoreClient;
  /** The card session (opened on first call, reused, closed by close()). */
  cardSession(signal?: AbortSignal): Promise<CardSession>;
  /** The PC/SC readers this session's card service sees, with card presence (the reader picker). */
  listReaders?(signal?: AbortSignal): Promise<{ name: string; cardPresent: boolean }[]>;
  /**
   * A session with new settings over the same card session (and demo carrier): for settings that do not
   * concern the card, so its verified PIN carries over. This session must then be dropped, not closed.
   */
  reconfigure?(settings: Settings): Promise<MailboxSession>;
  /** The session's parts for the diagnostics steps (main/services/diagnostics). */
  diagnosticsTarget?(): DiagnosticsTarget;
  close(): Promise<void>;
}

/** Opens a session with these settings, on the demo card and carrier (`demo`) or the real card. */
export type SessionOpener = (settings: Settings, demo: boolean) => Promise<MailboxSession>;

/** A PinSource the PIN dialog can feed (the desktop's keychain PIN source is one). */
export interface OfferablePinSource extends PinSource {
  /** Offers the PIN the user typed for the next VERIFY; `remember` stores it once the card accepts it. */
  offer(pin: string, remember: boolean): void;
  /** Drops an offered PIN that was not used; true when it was still there (the card never asked). */
  withdraw(): boolean;
}
