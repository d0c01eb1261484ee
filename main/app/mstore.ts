// Wiring of card -> GBA -> NAF digest -> the mstore client, on the real card or in demo mode (main/app/).
import { randomBytes } from 'node:crypto';
import type { Settings } from '../../shared/settings.js';
import { createNodeHttp } from '../adapters/http/node-http.js';
import { demoDir } from '../adapters/demo/demo-relay-state.js';
import { AppConfigError } from '../errors.js';
import type { CardService } from '../services/card/card-service.js';
import type { CardSession } from '../services/card/card-session.js';
import type { PinSource } from '../services/card/pin-source.js';
import { createGbaBootstrapper, type GbaBootstrapper } from '../services/gba/bootstrap.js';
import { createNafAuthenticator } from '../services/gba/naf-authenticator.js';
import type { DiagnosticsTarget } from '../services/diagnostics/diagnostics.js';
import type { RequestLog } from '../services/diagnostics/request-log.js';
import type { MailboxSession } from '../services/mailbox/ports.js';
import { MstoreClient } from '../services/mstore/client.js';
import type { CardReaderPort, Clock, HttpPort, Logger, Random } from '../services/ports.js';
import { InProcessCardReader } from '../sim/card/in-process-reader.js';
import { NULL_LOGGER, cardService, pcscReaders } from './card.js';
import { startDemoCarrier, type DemoCarrier } from './demo.js';

/** Options of {@link openMstoreSession}. */
export interface MstoreSessionOptions {
  settings: Settings;
  /** In-process simulated card + simulated BSF + simulated relay on loopback. */
  demo: boolean;
  /** Environment: VVM_DEMO_DIR (demo state folder), HOME/XDG paths. */
  env: Record<string, string | undefined>;
  pinSource: PinSource;
  /** The PC/SC readers (real mode); demo mode ignores it. */
  readers?: () => Promise<CardReaderPort>;
  logger?: Logger;
  /** Demo mode: latency added by the simulated carrier (ms). */
  demoLatencyMs?: number;
  /** Records every request of the session (method, URL without query, status; never headers or bodies). */
  requestLog?: RequestLog;
  /** The card (and demo carrier) of an open session to keep: only settings that do not concern the card changed. */
  reuse?: SharedCard;
}

/** What a reconfigured session takes over from the one before it. */
interface SharedCard {
  card: CardService;
  demo: DemoCarrier | null;
  cardSession(signal?: AbortSignal): Promise<CardSession>;
  close(): Promise<void>;
}

/** An open mstore session: one card session (opened on first use), the client, and cleanup. */
export interface MstoreSession extends MailboxSession {
  client: MstoreClient;
  card: CardService;
  settings: Settings;
  demo: DemoCarrier | null;
  /** The card session (opened on first call, reused, closed by close()). */
  cardSession(signal?: AbortSignal): Promise<CardSession>;
  bootstrapper(signal?: AbortSignal): Promise<GbaBootstrapper>;
  http: HttpPort;
  /** The session's parts as the diagnostics steps need them. */
  diagnosticsTarget(): DiagnosticsTarget;
  close(): Promise<void>;
}

const SYSTEM_CLOCK: Clock = { now: () => Date.now(), monotonic: () => performance.now() };
const SYSTEM_RANDOM: Random = { bytes: (n) => new Uint8Array(randomBytes(n)) };

/** Wires card, GBA and the mstore client for one CLI command (or one desktop operation). */
export async function openMstoreSession(opts: MstoreSessionOptions): Promise<MstoreSession> {
  const logger = opts.logger ?? NULL_LOGGER;
  let settings = opts.settings;
  let demo: DemoCarrier | null = null;
  let card: CardService;
  if (opts.reuse) {
    demo = opts.reuse.demo;
    if (demo) settings = { ...settings, server: demo.relay.url, bsf: demo.bsf.url };
    card = opts.reuse.card;
  } else {
    let readers: CardReaderPort;
    if (opts.demo) {
      demo = await startDemoCarrier(demoDir(opts.env), settings, opts.demoLatencyMs ?? 0);
      settings = { ...settings, server: demo.relay.url, bsf: demo.bsf.url };
      readers = new InProcessCardReader(demo.card);
    } else {
      readers = opts.readers ? await opts.readers() : await pcscReaders(logger);
    }
    card = cardService(readers, settings, opts.pinSource, logger);
  }
  const direct = createNodeHttp({ caPem: settings.caPem, connectTimeoutMs: settings.connectTimeoutMs, readTimeoutMs: settings.readTimeoutMs, maxResponseBytes: settings.maxResponseBytes });
  const http = opts.requestLog ? opts.requestLog.wrap(direct) : direct;
  let session: Promise<CardSession> | null = null;
  const reused = opts.reuse;
  const cardSession = reused ? (signal?: AbortSignal) => reused.cardSession(signal) : (signal?: AbortSignal) => (session ??= card.openSession(signal));
  const bootstrapper = async (signal?: AbortSignal) => createGbaBootstrapper({ card: await cardSession(signal), http, clock: SYSTEM_CLOCK, random: SYSTEM_RANDOM, logger, settings });
  let boot: Promise<GbaBootstrapper> | null = null;
  const lazyBootstrapper: GbaBootstrapper = { bootstrap: async (o) => (await (boot ??= bootstrapper(o?.signal))).bootstrap(o) };
  const auth = createNafAuthenticator({ bootstrapper: lazyBootstrapper, http, clock: SYSTEM_CLOCK, random: SYSTEM_RANDOM, logger, settings });
  const msisdn = async (): Promise<string> => {
    if (settings.msisdn !== undefined) return settings.msisdn;
    const s = await cardSession();
    if (s.identity.msisdn === null) throw new AppConfigError('config.invalid', 'The card has no phone number (no tel: IMPU)', { hint: 'Give the phone number explicitly (+1XXXXXXXXXX).', action: 'setPhoneNumber' });
    return s.identity.msisdn;
  };
  const client = new MstoreClient({ http: auth, server: settings.server, msisdn, clock: SYSTEM_CLOCK, random: SYSTEM_RANDOM, logger });
  // What a reconfigured session takes over: the card session and its closing (the card, the demo carrier).
  const shared: SharedCard = {
    card,
    demo,
    cardSession,
    close: reused
      ? () => reused.close()
      : async () => {
          if (session) await (await session.catch(() => null))?.close();
          await card.close();
          await demo?.close();
        },
  };
  return {
    client,
    card,
    settings,
    demo,
    cardSession,
    bootstrapper,
    http,
    listReaders: (signal) => card.listReaders(signal),
    diagnosticsTarget: () => ({ settings, demo: demo !== null, listReaders: (signal) => card.listReaders(signal), cardSession, bootstrapper, http, client }),
    reconfigure: (next) => openMstoreSession({ ...opts, settings: next, reuse: shared }),
    close: () => shared.close(),
  };
}
