// The library side of the mailbox while the app runs (issue 9): the local library of the line in the
// reader (ICCID + MSISDN), read instantly at launch and offline (the last line used when no card is
// there), kept in sync in the background (sync-scheduler.ts: interval, card insertion, on demand, never
// two at once, back-off, stops when the card goes), with notifications after each sync
// (notifications.ts) and change events for the window.
import { AppConfigError, HttpError, throwIfAborted } from '../../errors.js';
import type { AudioEngine } from '../audio/engine.js';
import { archiveThenDelete, exportFromLibrary, type ArchiveDeleteReport } from '../library/archive.js';
import type { ExportOptions, ExportResult } from '../audio/export.js';
import type { LibraryKey, LibraryPort, LibraryStats, LibraryStorePort, LibraryVoicemail, VoicemailQuery } from '../library/ports.js';
import { syncMailbox, type SyncReport } from '../library/sync.js';
import type { Clock, Logger, OpOptions } from '../ports.js';
import { notifyAfterSync, type NotifiedStatePort, type NotifierPort } from './notifications.js';
import { createSyncScheduler, type SyncSchedulerStatus, type TimerPort } from './sync-scheduler.js';
import type { EngineAudio, Mailbox } from './types.js';

/** What {@link createMailboxLibrary} needs. */
export interface MailboxLibraryDeps {
  mailbox: Pick<Mailbox, 'openLine' | 'watchCardStatus' | 'cardStatus' | 'getSettings'>;
  /** The libraries of the data folder (main/adapters/library). */
  store: LibraryStorePort;
  /** What was notified for a line (persisted next to its library). */
  notifiedFor(library: LibraryPort): NotifiedStatePort;
  notifier: NotifierPort;
  audio: AudioEngine;
  timers: TimerPort;
  clock: Clock;
  logger?: Logger;
  /** First back-off delay after a failed sync (default 30 s). */
  retryBaseMs?: number;
}

/** The library as the window sees it. */
export interface LibraryView {
  /** The line shown (the card's, else the last one synced); null when this data folder has no library yet. */
  line: LibraryKey | null;
  /** True when the line shown is the card's (false: offline, the last line used). */
  live: boolean;
  voicemails: LibraryVoicemail[];
  stats: LibraryStats | null;
}

/** Events for the window. */
export type MailboxLibraryEvent = { kind: 'changed' } | { kind: 'syncStatus'; status: SyncSchedulerStatus };

/** The library side of the mailbox. */
export interface MailboxLibrary {
  view(q?: VoicemailQuery): LibraryView;
  setNotes(id: string, notes: string): void;
  /** Marks read/unread in the library at once (offline too); sent to the server by the next sync, started now when a card is there. */
  markRead(ids: string[], read: boolean): void;
  /** Syncs now (joining a sync in progress). */
  syncNow(): Promise<SyncReport>;
  syncStatus(): SyncSchedulerStatus;
  /** Deletes from the server only voicemails whose local copy is verified; per-item results. */
  archiveThenDelete(ids: string[] | 'all', opts: OpOptions): Promise<ArchiveDeleteReport>;
  /** A voicemail's audio from the library (offline, and for voicemails the server no longer has); null when not stored. */
  audio(id: string, opts: OpOptions): Promise<EngineAudio | null>;
  /**
   * Exports the voicemails of `ids` whose audio the library holds (offline too, and those the server no
   * longer has); `rest` are the ids it does not hold, for the server. Null when there is no library line.
   */
  exportStored(ids: string[], opts: ExportOptions): Promise<{ result: ExportResult; rest: string[] } | null>;
  watch(listener: (e: MailboxLibraryEvent) => void): () => void;
  close(): void;
}

function keyName(k: LibraryKey): string {
  return `${k.iccid}/${k.msisdn}`;
}

/** Builds the library side; background sync starts when the card is ready and stops when it goes. */
export function createMailboxLibrary(deps: MailboxLibraryDeps): MailboxLibrary {
  const { store, mailbox } = deps;
  const open = new Map<string, LibraryPort>();
  const notified = new Map<string, NotifiedStatePort>();
  const listeners = new Set<(e: MailboxLibraryEvent) => void>();
  /** The line of the card in the reader, once its session opened. */
  let cardLine: LibraryKey | null = null;

  function emit(e: MailboxLibraryEvent): void {
    for (const l of listeners) l(e);
  }

  function libraryOf(key: LibraryKey): LibraryPort {
    const name = keyName(key);
    let lib = open.get(name);
    if (!lib) {
      lib = store.open(key);
      open.set(name, lib);
    }
    return lib;
  }

  function notifiedOf(lib: LibraryPort): NotifiedStatePort {
    const name = keyName(lib.key);
    let n = notified.get(name);
    if (!n) {
      n = deps.notifiedFor(lib);
      notified.set(name, n);
    }
    return n;
  }

  /** The line to show without a card: the one synced most recently. */
  function lastLine(): LibraryKey | null {
    let best: { key: LibraryKey; at: number } | null = null;
    for (const key of store.lines()) {
      const at = libraryOf(key).stats().lastSyncAt ?? 0;
      if (!best || at > best.at) best = { key, at };
    }
    return best?.key ?? null;
  }

  const scheduler = createSyncScheduler<SyncReport>({
    timers: deps.timers,
    intervalMs: () => mailbox.getSettings().syncIntervalMinutes * 60_000,
    ...(deps.retryBaseMs !== undefined && { retryBaseMs: deps.retryBaseMs }),
    onStatus: (status) => emit({ kind: 'syncStatus', status }),
    async run(signal, onProgress) {
      const { session, key } = await mailbox.openLine({ signal });
      const changedLine = cardLine === null || keyName(cardLine) !== keyName(key);
      cardLine = key;
      if (changedLine) emit({ kind: 'changed' });
      const library = libraryOf(key);
      const firstSync = library.stats().lastSyncAt === null;
      const report = await syncMailbox({ mstore: session.client, library, clock: deps.clock, ...(deps.logger && { logger: deps.logger }) }, { signal, onProgress });
      throwIfAborted(signal);
      // The quota only feeds the "inbox nearly full" warning: a failure to read it costs nothing else.
      const quota = await session.client.getQuota('voicemail', { signal }).catch(() => null);
      const settings = mailbox.getSettings();
      notifyAfterSync(
        { notifier: deps.notifier, notified: notifiedOf(library), library, settings, now: deps.clock.now() },
        { newItems: report.newItems, firstSync, quota },
      );
      emit({ kind: 'changed' });
      return report;
    },
  });

  // Sync when the card becomes ready (inserted, unlocked, the app started with it), stop when it goes.
  const unwatch = mailbox.watchCardStatus((s) => {
    if (s.state === 'ready') scheduler.start();
    else {
      scheduler.stop();
      if (cardLine !== null) {
        cardLine = null;
        emit({ kind: 'changed' });
      }
    }
  });
  if (mailbox.cardStatus().state === 'ready') scheduler.start();

  function shownLine(): { key: LibraryKey | null; live: boolean } {
    if (cardLine !== null) return { key: cardLine, live: true };
    return { key: lastLine(), live: false };
  }

  function currentLibrary(): LibraryPort {
    const { key } = shownLine();
    if (key === null) throw new AppConfigError('config.invalid', 'There is no voicemail library yet', { hint: 'Insert the SIM and let it check for voicemail once.' });
    return libraryOf(key);
  }

  return {
    view(q) {
      const { key, live } = shownLine();
      if (key === null) return { line: null, live: false, voicemails: [], stats: null };
      const lib = libraryOf(key);
      return { line: key, live, voicemails: lib.listVoicemails(q), stats: lib.stats() };
    },
    setNotes(id, notes) {
      const lib = currentLibrary();
      if (lib.getVoicemail(id) === null) throw new HttpError('http.notFound', 'That voicemail is not in the library', { hint: 'Refresh the list.' });
      lib.setNotes(id, notes);
      emit({ kind: 'changed' });
    },
    markRead(ids, read) {
      const lib = currentLibrary();
      const known = ids.filter((id) => lib.getVoicemail(id) !== null);
      if (known.length === 0) throw new HttpError('http.notFound', 'Those voicemails are not in the library', { hint: 'Refresh the list.' });
      lib.markRead(known, read);
      // The badge follows at once, not only after the next sync.
      deps.notifier.unreadCount(lib.stats().unread);
      emit({ kind: 'changed' });
      // With the card there the change goes to the server right away; without it, at the next sync.
      if (cardLine !== null) void scheduler.syncNow().catch(() => {});
    },
    syncNow: () => scheduler.syncNow(),
    syncStatus: () => scheduler.status(),
    async archiveThenDelete(ids, opts) {
      const { session, key } = await mailbox.openLine(opts);
      const report = await archiveThenDelete({ mstore: session.client, library: libraryOf(key), clock: deps.clock }, ids, opts);
      emit({ kind: 'changed' });
      return report;
    },
    async audio(id, opts) {
      const { key } = shownLine();
      if (key === null) return null;
      const v = libraryOf(key).getVoicemail(id);
      const bytes = v?.sha256 ? libraryOf(key).readPayload(v.sha256) : null;
      if (!bytes) return null;
      // The playback cache is keyed by the server id, as for a download: the same audio either way.
      const a = await deps.audio.playback.prepare(id, async () => bytes, opts);
      return { wav: a.wav, peaks: { min: a.peaks.min, max: a.peaks.max }, durationSec: a.durationMs / 1000 };
    },
    async exportStored(ids, opts) {
      const { key } = shownLine();
      if (key === null) return null;
      const lib = libraryOf(key);
      const held = new Set(ids.filter((id) => (lib.getVoicemail(id)?.sha256 ?? null) !== null));
      const rest = ids.filter((id) => !held.has(id));
      const result = held.size > 0 ? await exportFromLibrary({ library: lib, exporter: deps.audio.exporter }, { ids: [...held] }, opts) : { files: [], failed: [] };
      return { result, rest };
    },
    watch(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      unwatch();
      scheduler.stop();
      for (const lib of open.values()) lib.close();
      open.clear();
      listeners.clear();
    },
  };
}
