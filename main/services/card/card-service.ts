// The card as the rest of the engine sees it: pick a reader, connect, open a CardSession, always close.
import { CardError, throwIfAborted } from '../../errors.js';
import type { CardReaderPort, Logger, ReaderInfo } from '../ports.js';
import { CardSession, type CardInfo } from './card-session.js';
import type { PinSource } from './pin-source.js';

/** Options of {@link CardService}. */
export interface CardServiceOptions {
  /** Reader name or case-insensitive substring; default: the first reader with a card. */
  reader?: string;
  pinSource: PinSource;
  logger?: Logger;
}

/**
 * Picks the reader: an exact name, else the single reader whose name contains `wanted`
 * (case-insensitive); without `wanted`, the first reader with a card.
 */
export function pickReader(readers: ReaderInfo[], wanted: string | undefined): ReaderInfo {
  const names = readers.map((r) => r.name);
  if (readers.length === 0) throw new CardError('card.noReader', 'No smart-card reader found', { hint: 'Connect a PC/SC reader (and check that pcscd sees it: pcsc_scan).' });
  if (wanted !== undefined) {
    const exact = readers.find((r) => r.name === wanted);
    const matches = exact ? [exact] : readers.filter((r) => r.name.toLowerCase().includes(wanted.toLowerCase()));
    const [first] = matches;
    if (!first) throw new CardError('card.noReader', `No reader matches "${wanted}"`, { hint: `Readers: ${names.join('; ')}`, detail: { readers: names } });
    if (matches.length > 1) throw new CardError('card.noReader', `"${wanted}" matches several readers`, { hint: `Be more specific. Readers: ${names.join('; ')}`, detail: { readers: matches.map((r) => r.name) } });
    if (!first.cardPresent) throw new CardError('card.absent', `No card in "${first.name}"`, { hint: 'Insert the SIM (in a SIM-to-smart-card adapter if needed).' });
    return first;
  }
  const withCard = readers.find((r) => r.cardPresent);
  if (!withCard) throw new CardError('card.absent', 'No card in any reader', { hint: `Insert the SIM. Readers: ${names.join('; ')}`, detail: { readers: names } });
  return withCard;
}

/** Card access for the CLI and the desktop: one session per operation. */
export class CardService {
  constructor(
    private readonly readers: CardReaderPort,
    private readonly opts: CardServiceOptions,
  ) {}

  listReaders(signal?: AbortSignal): Promise<ReaderInfo[]> {
    return this.readers.listReaders(signal);
  }

  /** Opens a session on the chosen reader's card; the caller must close it. */
  async openSession(signal?: AbortSignal): Promise<CardSession> {
    const reader = pickReader(await this.readers.listReaders(signal), this.opts.reader);
    throwIfAborted(signal);
    const port = await this.readers.connect(reader.name, signal);
    return CardSession.open(port, { pinSource: this.opts.pinSource, ...(signal && { signal }), ...(this.opts.logger && { logger: this.opts.logger }) });
  }

  /** Runs `fn` with an open session and closes it whatever happens. */
  async withSession<T>(fn: (s: CardSession) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const s = await this.openSession(signal);
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  }

  /** Reads the card summary (`vvm-desk card info`). */
  info(signal?: AbortSignal): Promise<CardInfo> {
    return this.withSession(async (s) => s.info(), signal);
  }

  /** Releases the reader port (PC/SC context) so the process can exit. */
  close(): Promise<void> {
    return this.readers.close();
  }
}
