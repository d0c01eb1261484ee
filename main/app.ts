// The one place that builds the object graph (house style: app.ts wires adapters into services).
// Other parts of the engine (card, GBA, mstore) are added here by their owners.
import { AutoAmrCodec, LazyFfmpeg, LazyTranscoder } from './adapters/amr-codec/auto.js';
import { DirBlobCache } from './adapters/fs/blob-cache.js';
import { LocalFileSink } from './adapters/fs/atomic-write.js';
import { toAppError } from './errors.js';
import { FFMPEG_FEATURES, type AudioEngine } from './services/audio/engine.js';
import { ExportService } from './services/audio/export.js';
import { GreetingService } from './services/audio/greeting.js';
import { PlaybackService } from './services/audio/playback.js';
import { randomBytes } from 'node:crypto';
import type { Settings } from '../shared/settings.js';
import { createNodeHttp } from './adapters/http/node-http.js';
import { demoDir, loadDemoState, saveDemoState } from './adapters/demo/demo-relay-state.js';
import { AppConfigError } from './errors.js';
import { buildNafId } from './protocol/gba/naf-id.js';
import { CardService } from './services/card/card-service.js';
import type { CardSession } from './services/card/card-session.js';
import type { PinSource } from './services/card/pin-source.js';
import { createGbaBootstrapper, type GbaBootstrapper } from './services/gba/bootstrap.js';
import { createNafAuthenticator } from './services/gba/naf-authenticator.js';
import { MstoreClient } from './services/mstore/client.js';
import type { CardReaderPort, Clock, HttpPort, Logger, Random, ReaderEvent } from './services/ports.js';
import { InProcessCardReader } from './sim/card/in-process-reader.js';
import { demoProfile, simSubscriber } from './sim/card/profile.js';
import { SimulatedUicc } from './sim/card/simulated-uicc.js';
import { startBsf, type SimBsf } from './sim/carrier/bsf.js';
import { nafKeyLookup } from './sim/carrier/key-store.js';
import { startRelay, type RelayHandle } from './sim/carrier/relay.js';
import { createKeychainPinStore, type PinStore } from './adapters/keychain/keychain-pin-store.js';
import { createDesktopPinSource } from './adapters/keychain/keychain-pin-source.js';
import type { Channel } from '../shared/ipc/contract.js';
import { createDesktopEngine } from './ipc/desktop-engine.js';
import { createDispatcher, type Dispatcher } from './ipc/dispatch.js';
import { createCardStatusFeed, createImplementations, type CardStatusFeed, type DesktopEngine } from './ipc/implementations.js';
import { createMediaCache, type MediaCache } from './ipc/media-cache.js';

// ---- audio ----

/** Options of {@link createAudioEngine}. */
export interface AudioEngineOptions {
  /** Environment for FFMPEG_PATH, PATH and VVM_AMR_CODEC (auto | js | ffmpeg). */
  env: Record<string, string | undefined>;
  /** Directory for decoded voicemails and peaks; no disk cache when absent. */
  cacheDir?: string;
  /** Overrides VVM_AMR_CODEC. */
  amrCodec?: 'auto' | 'js' | 'ffmpeg';
  /** ffmpeg-static's binary; default: looked up in node_modules. null = pretend it is absent (tests). */
  staticBinary?: string | null;
}

function codecChoice(v: string | undefined): 'auto' | 'js' | 'ffmpeg' {
  return v === 'js' || v === 'ffmpeg' ? v : 'auto';
}

/** Wires the audio services: ffmpeg found lazily, AMR codec chosen on first use, atomic file sink. */
export function createAudioEngine(opts: AudioEngineOptions): AudioEngine {
  const ffmpeg = new LazyFfmpeg({ env: opts.env, ...(opts.staticBinary !== undefined && { staticBinary: opts.staticBinary }), concurrency: 2 });
  const amr = new AutoAmrCodec(ffmpeg, opts.amrCodec ?? codecChoice(opts.env.VVM_AMR_CODEC));
  const transcoder = new LazyTranscoder(ffmpeg);
  const playback = new PlaybackService({ amr, transcoder, ...(opts.cacheDir !== undefined && { cache: new DirBlobCache(opts.cacheDir) }) });
  return {
    amr,
    transcoder,
    playback,
    greeting: new GreetingService({ amr, transcoder }),
    exporter: new ExportService({ playback, transcoder, sink: new LocalFileSink() }),
    async report(signal) {
      const codec = await amr.resolve(signal);
      try {
        const { caps } = await ffmpeg.get(signal);
        return {
          amrCodec: codec.name,
          ffmpeg: {
            path: caps.path,
            source: caps.source,
            version: caps.version,
            libopencoreAmrnb: caps.encoders.has('libopencore_amrnb') && caps.decoders.has('libopencore_amrnb'),
            unavailable: Object.entries(FFMPEG_FEATURES)
              .filter(([, need]) => !(need.startsWith('enc:') ? caps.encoders.has(need.slice(4)) : caps.filters.has(need.slice(7))))
              .map(([feature]) => feature),
          },
        };
      } catch (e) {
        return { amrCodec: codec.name, ffmpeg: { missing: toAppError(e).message } };
      }
    },
  };
}

// ---- card ----

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
async function pcscReaders(logger: Logger): Promise<CardReaderPort> {
  return new (await import('./adapters/pcsc/pcsc-reader.js')).PcscReaderPort({ logger });
}

/** The card service over `readers`, on the reader chosen in the settings (if any). */
function cardService(readers: CardReaderPort, settings: Settings, pinSource: PinSource, logger: Logger): CardService {
  return new CardService(readers, { pinSource, logger, ...(settings.reader !== undefined && { reader: settings.reader }) });
}

// ---- mstore: card -> GBA -> NAF digest -> the voicemail store (and demo mode's simulated carrier) ----

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
}

/** A running demo carrier (simulated BSF + relay sharing one key store). */
export interface DemoCarrier {
  bsf: SimBsf;
  relay: RelayHandle;
  card: SimulatedUicc;
  close(): Promise<void>;
}

/** An open mstore session: one card session (opened on first use), the client, and cleanup. */
export interface MstoreSession {
  client: MstoreClient;
  card: CardService;
  settings: Settings;
  demo: DemoCarrier | null;
  /** The card session (opened on first call, reused, closed by close()). */
  cardSession(signal?: AbortSignal): Promise<CardSession>;
  bootstrapper(signal?: AbortSignal): Promise<GbaBootstrapper>;
  http: HttpPort;
  close(): Promise<void>;
}

const NULL_LOGGER: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const SYSTEM_CLOCK: Clock = { now: () => Date.now(), monotonic: () => performance.now() };
const SYSTEM_RANDOM: Random = { bytes: (n) => new Uint8Array(randomBytes(n)) };

/** Starts demo mode's carrier: the simulated BSF and relay on loopback, relay state persisted in `dir`. */
export async function startDemoCarrier(dir: string, settings: Settings, latencyMs = 0): Promise<DemoCarrier> {
  const profile = demoProfile();
  const card = new SimulatedUicc(profile);
  const bsf = await startBsf({ subscribers: [simSubscriber(profile)], latencyMs });
  try {
    const relay = await startRelay({
      scenario: loadDemoState(dir),
      nafKey: nafKeyLookup(bsf.keyStore, buildNafId(settings.nafFqdn, settings.uaProtocolId)),
      nafFqdn: settings.nafFqdn,
      latencyMs,
      onChange: (s) => saveDemoState(dir, s),
    });
    return { bsf, relay, card, close: async () => void (await Promise.all([relay.close(), bsf.close()])) };
  } catch (e) {
    await bsf.close();
    throw e;
  }
}

/** Wires card, GBA and the mstore client for one CLI command (or one desktop operation). */
export async function openMstoreSession(opts: MstoreSessionOptions): Promise<MstoreSession> {
  const logger = opts.logger ?? NULL_LOGGER;
  let settings = opts.settings;
  let demo: DemoCarrier | null = null;
  let readers: CardReaderPort;
  if (opts.demo) {
    demo = await startDemoCarrier(demoDir(opts.env), settings, opts.demoLatencyMs ?? 0);
    settings = { ...settings, server: demo.relay.url, bsf: demo.bsf.url };
    readers = new InProcessCardReader(demo.card);
  } else {
    readers = opts.readers ? await opts.readers() : await pcscReaders(logger);
  }
  const card = cardService(readers, settings, opts.pinSource, logger);
  const http = createNodeHttp({ caPem: settings.caPem, connectTimeoutMs: settings.connectTimeoutMs, readTimeoutMs: settings.readTimeoutMs, maxResponseBytes: settings.maxResponseBytes });
  let session: Promise<CardSession> | null = null;
  const cardSession = (signal?: AbortSignal) => (session ??= card.openSession(signal));
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
  return {
    client,
    card,
    settings,
    demo,
    cardSession,
    bootstrapper,
    http,
    close: async () => {
      if (session) await (await session.catch(() => null))?.close();
      await card.close();
      await demo?.close();
    },
  };
}

// ---- desktop: the engine behind the window (and the development web harness) ----

/** Options of {@link createDesktopBackend}. */
export interface DesktopBackendOptions {
  env: Record<string, string | undefined>;
  settings: Settings;
  /** true: simulated SIM and carrier; 'auto': demo only when no reader has a card. */
  demo: boolean | 'auto';
  /** Where the SIM PIN is remembered; default: the OS keychain through keytar. */
  pins?: PinStore;
  /** Disk cache of decoded voicemails (WAV + peaks). */
  cacheDir?: string;
  logger?: Logger;
  demoLatencyMs?: number;
  /** Persists settings changed in the window (main/adapters/settings/settings-file.ts). */
  saveSettings?: (s: Settings) => Promise<void>;
}

/** The desktop's engine, the PIN store it uses, whether it runs the demo, and cleanup. */
export interface DesktopBackend {
  engine: DesktopEngine;
  pins: PinStore;
  /** Demo mode now (an automatic demo ends when a card is inserted). */
  readonly demo: boolean;
  close(): Promise<void>;
}

async function anyCardPresent(logger: Logger): Promise<boolean> {
  try {
    const readers = await pcscReaders(logger);
    try {
      return (await readers.listReaders()).some((r) => r.cardPresent);
    } finally {
      await readers.close();
    }
  } catch {
    return false; // no pcscd, no native module, no reader: demo mode
  }
}

/** How often the presence watcher tries again while the smart-card service is not running. */
const PRESENCE_RETRY_MS = 5000;

/**
 * Watches card presence; while the smart-card service is down (pcscd not started yet: `watch` throws
 * card.serviceUnavailable) it tries again every `retryMs`, so a service started after the app (and then
 * a card inserted, even during an automatic demo) is still noticed. Returns the unsubscribe function.
 */
export function watchWithRetry(port: Pick<CardReaderPort, 'watch'>, listener: (e: ReaderEvent) => void, retryMs: number): () => void {
  let unwatch: (() => void) | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  const attempt = (): boolean => {
    try {
      unwatch = port.watch(listener);
      return true;
    } catch {
      return false;
    }
  };
  if (!attempt()) {
    timer = setInterval(() => {
      if (attempt() && timer) {
        clearInterval(timer);
        timer = null;
      }
    }, retryMs);
    timer.unref?.();
  }
  return () => {
    if (timer) clearInterval(timer);
    timer = null;
    unwatch?.();
  };
}

function withoutReader(s: Settings): Settings {
  const { reader: _reader, ...rest } = s;
  return rest;
}

/** Wires the desktop: keychain PIN source, audio engine, one mstore session at a time (main/ipc/desktop-engine.ts). */
export async function createDesktopBackend(opts: DesktopBackendOptions): Promise<DesktopBackend> {
  const logger = opts.logger ?? NULL_LOGGER;
  const pins = opts.pins ?? createKeychainPinStore();
  const pinSource = createDesktopPinSource(pins);
  const demo = opts.demo === 'auto' ? !(await anyCardPresent(logger)) : opts.demo;
  const audio = createAudioEngine({ env: opts.env, ...(opts.cacheDir !== undefined && { cacheDir: opts.cacheDir }) });
  // Card presence for the window: a PC/SC context of its own, so closing a session does not end it. An
  // automatic demo (no card at start) watches too: the first card inserted ends it.
  const watcher = opts.demo === true ? null : await pcscReaders(logger).catch(() => null);
  const watchReaders = (l: (e: ReaderEvent) => void): (() => void) => (watcher ? watchWithRetry(watcher, l, PRESENCE_RETRY_MS) : () => {});
  const engine = createDesktopEngine({
    watchReaders,
    // The demo card sits in the demo reader: a reader chosen in the settings is for the real card.
    open: (settings, demoNow) => openMstoreSession({ settings: demoNow ? withoutReader(settings) : settings, demo: demoNow, env: opts.env, pinSource, logger, ...(opts.demoLatencyMs !== undefined && { demoLatencyMs: opts.demoLatencyMs }) }),
    audio,
    pinSource,
    settings: opts.settings,
    demo,
    demoUntilCard: opts.demo === 'auto',
    logger,
    ...(opts.saveSettings !== undefined && { saveSettings: opts.saveSettings }),
  });
  return {
    engine,
    pins,
    get demo() {
      return engine.cardStatus().demo;
    },
    close: async () => {
      await engine.close();
      await watcher?.close();
    },
  };
}

/** What a host (Electron's main process, or the web harness) gives {@link createDesktopIpc}. */
export interface DesktopIpcOptions {
  /** Asks where to export voicemails; null = the user cancelled. */
  chooseExportDirectory(): Promise<string | null>;
  /** Logs an unexpected error with its stack (main only; never reaches the renderer). */
  onInternal?(channel: Channel, e: unknown): void;
}

/** The IPC side of the desktop: the dispatcher over the channel implementations, the card status feed, the media route's cache. */
export interface DesktopIpc {
  dispatcher: Dispatcher;
  feed: CardStatusFeed;
  media: MediaCache;
}

/** Wires the channel implementations over the backend, the same for Electron and the web harness. */
export function createDesktopIpc(backend: Pick<DesktopBackend, 'engine' | 'pins'>, opts: DesktopIpcOptions): DesktopIpc {
  // The last few decoded WAVs for the media route (the playback service caches the rest).
  const media = createMediaCache();
  const feed = createCardStatusFeed(backend.engine, backend.pins);
  const impls = createImplementations(backend.engine, backend.pins, {
    chooseExportDirectory: () => opts.chooseExportDirectory(),
    rememberAudio: (id, wav) => media.remember(id, wav),
    cardStatusChanged: () => feed.changed(),
  });
  return { dispatcher: createDispatcher(impls, { onInternal: (channel, e) => opts.onInternal?.(channel, e) }), feed, media };
}
