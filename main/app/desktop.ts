// Wiring of the desktop: the mailbox behind the window and the development web harness, and the IPC
// side over it (main/app/).
import type { Channel } from '../../shared/ipc/contract.js';
import type { Settings } from '../../shared/settings.js';
import { createKeychainPinStore, type PinStore } from '../adapters/keychain/keychain-pin-store.js';
import { createDesktopPinSource } from '../adapters/keychain/keychain-pin-source.js';
import { createDispatcher, type Dispatcher } from '../ipc/dispatch.js';
import { createCardStatusFeed, createImplementations, type CardStatusFeed, type DesktopEngine } from '../ipc/implementations.js';
import { createMediaCache, type MediaCache } from '../ipc/media-cache.js';
import { createRequestLog } from '../services/diagnostics/request-log.js';
import { createMailbox } from '../services/mailbox/mailbox.js';
import type { CardReaderPort, Logger, ReaderEvent } from '../services/ports.js';
import { createAudioEngine } from './audio.js';
import { NULL_LOGGER, pcscReaders } from './card.js';
import { openMstoreSession } from './mstore.js';
import { openLibraryStore } from '../adapters/library/sqlite-library.js';
import { fileNotifiedState } from '../adapters/fs/notified-state.js';
import { createMailboxLibrary, type MailboxLibrary } from '../services/mailbox/mailbox-library.js';
import type { NotifierPort } from '../services/mailbox/notifications.js';
import { SYSTEM_TIMERS } from '../services/mailbox/sync-scheduler.js';

/** Notifications nobody sees (hosts without an OS notification centre). */
const SILENT_NOTIFIER: NotifierPort = { newVoicemail: () => {}, unreadCount: () => {}, expiring: () => {}, inboxNearlyFull: () => {} };

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
  /**
   * The data folder holding the voicemail libraries (main/adapters/paths.ts dataDir, the CLI's too): with
   * it the window reads the library and syncs it in the background; without it, no library.
   */
  dataDir?: string;
  /** OS notifications (new voicemail, unread badge, expiry, inbox nearly full); default: none shown. */
  notifier?: NotifierPort;
}

/** The desktop's mailbox (`engine`), the PIN store it uses, whether it runs the demo, and cleanup. */
export interface DesktopBackend {
  engine: DesktopEngine;
  pins: PinStore;
  /** Demo mode now (an automatic demo ends when a card is inserted). */
  readonly demo: boolean;
  /** The library side (background sync, notifications), when a data folder was given. */
  library: MailboxLibrary | null;
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

/** Wires the desktop: keychain PIN source, audio engine, one mstore session at a time (main/services/mailbox/mailbox.ts). */
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
  // The Diagnostics view's request log, over every session the mailbox opens.
  const requestLog = createRequestLog({ now: () => Date.now(), monotonic: () => performance.now() });
  const engine = createMailbox({
    watchReaders,
    // The demo card sits in the demo reader: a reader chosen in the settings is for the real card.
    requestLog,
    open: (settings, demoNow) => openMstoreSession({ settings: demoNow ? withoutReader(settings) : settings, demo: demoNow, env: opts.env, pinSource, logger, requestLog, ...(opts.demoLatencyMs !== undefined && { demoLatencyMs: opts.demoLatencyMs }) }),
    audio,
    pinSource,
    settings: opts.settings,
    demo,
    demoUntilCard: opts.demo === 'auto',
    logger,
    ...(opts.saveSettings !== undefined && { saveSettings: opts.saveSettings }),
  });
  const library =
    opts.dataDir === undefined
      ? null
      : createMailboxLibrary({
          mailbox: engine,
          store: openLibraryStore(opts.dataDir),
          notifiedFor: (lib) => fileNotifiedState(lib.dir),
          notifier: opts.notifier ?? SILENT_NOTIFIER,
          audio,
          timers: SYSTEM_TIMERS,
          clock: { now: () => Date.now(), monotonic: () => performance.now() },
          logger,
        });
  return {
    engine,
    pins,
    library,
    get demo() {
      return engine.cardStatus().demo;
    },
    close: async () => {
      library?.close();
      await engine.close();
      await watcher?.close();
    },
  };
}

/** What a host (Electron's main process, or the web harness) gives {@link createDesktopIpc}. */
export interface DesktopIpcOptions {
  /** Asks where to export voicemails; null = the user cancelled. */
  chooseExportDirectory(suggested?: string): Promise<string | null>;
  /** Opens a folder main chose (the last export's) in the file manager; without it "Show in folder" fails. */
  showFolder?(dir: string): Promise<void>;
  /** Shows the log file in the file manager (Diagnostics' "Show the log"); false when it cannot. */
  revealLog?(): Promise<boolean>;
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
export function createDesktopIpc(backend: Pick<DesktopBackend, 'engine' | 'pins'> & Partial<Pick<DesktopBackend, 'library'>>, opts: DesktopIpcOptions): DesktopIpc {
  // The last few decoded WAVs for the media route (the playback service caches the rest).
  const media = createMediaCache();
  const feed = createCardStatusFeed(backend.engine, backend.pins);
  const impls = createImplementations(backend.engine, backend.pins, {
    chooseExportDirectory: (suggested) => opts.chooseExportDirectory(suggested),
    ...(opts.showFolder && { showFolder: opts.showFolder }),
    ...(opts.revealLog && { revealLog: opts.revealLog }),
    rememberAudio: (id, wav) => media.remember(id, wav),
    cardStatusChanged: () => feed.changed(),
  }, backend.library ?? null);
  return { dispatcher: createDispatcher(impls, { onInternal: (channel, e) => opts.onInternal?.(channel, e) }), feed, media };
}
