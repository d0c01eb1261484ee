// Wiring of the card service over PC/SC or the in-process simulated card (main/app/).
import type { Settings } from '../../shared/settings.js';
import { CardService } from '../services/card/card-service.js';
import type { PinSource } from '../services/card/pin-source.js';
import type { CardReaderPort, Logger } from '../services/ports.js';
import { InProcessCardReader } from '../sim/card/in-process-reader.js';
import { demoProfile } from '../sim/card/profile.js';
import { SimulatedUicc } from '../sim/card/simulated-uicc.js';

/** Options of {@link createCardEngine}. */
export interface CardEngineOptions {
  settings: Settings;
  /** In-process simulated card ("VVM Desk demo reader") instead of PC/SC. */
  demo: boolean;
  pinSource: PinSource;
  logger?: Logger;
}

/** The card part of the engine: the reader port (PC/SC or demo) and the card service over it. */
export interface CardEngine {
  card: CardService;
  close(): Promise<void>;
}

/** Wires the card service over PC/SC (loaded only when used) or over the in-process simulated card. */
export async function createCardEngine(opts: CardEngineOptions): Promise<CardEngine> {
  const logger = opts.logger ?? NULL_LOGGER;
  const readers = opts.demo ? new InProcessCardReader(new SimulatedUicc(demoProfile())) : await pcscReaders(logger);
  const card = cardService(readers, opts.settings, opts.pinSource, logger);
  return { card, close: () => card.close() };
}

/** The PC/SC readers, loaded only when a real card is used (demo mode runs without the native module). */
export async function pcscReaders(logger: Logger): Promise<CardReaderPort> {
  return new (await import('../adapters/pcsc/pcsc-reader.js')).PcscReaderPort({ logger });
}

/** The card service over `readers`, on the reader chosen in the settings (if any). */
export function cardService(readers: CardReaderPort, settings: Settings, pinSource: PinSource, logger: Logger): CardService {
  return new CardService(readers, { pinSource, logger, ...(settings.reader !== undefined && { reader: settings.reader }) });
}

/** A logger that drops everything (the default when none is given). */
export const NULL_LOGGER: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
