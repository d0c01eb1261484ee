// The library channels (issue 9): the window reads the local library (instant at launch and offline),
// edits notes and read state locally, syncs on demand, and frees the server inbox ("archive, then
// delete"). No Electron here: the web harness runs these too. Pushes: `library:changed`, `sync:status`.
import type { LibraryListingValue, LibraryVoicemailValue, SyncStatusValue } from '../../shared/ipc/contract.js';
import { AppConfigError } from '../errors.js';
import type { LibraryVoicemail } from '../services/library/ports.js';
import type { MailboxLibrary, MailboxLibraryEvent } from '../services/mailbox/mailbox-library.js';
import type { SyncSchedulerStatus } from '../services/mailbox/sync-scheduler.js';
import type { Progress } from '../services/ports.js';
import type { Implementations } from './dispatch.js';

type LibraryChannel = 'library:list' | 'library:setNote' | 'library:markRead' | 'library:archiveDelete' | 'sync:now' | 'sync:status';

/** A library voicemail as the renderer sees it: no server paths, no hashes. */
export function libraryVoicemailValue(v: LibraryVoicemail): LibraryVoicemailValue {
  return {
    id: v.id,
    from: v.from,
    date: v.date,
    expires: v.expires,
    duration: v.duration,
    size: v.size,
    filename: v.filename,
    keep: v.keep,
    read: v.read,
    readPending: v.readPending !== null,
    stored: v.sha256 !== null,
    goneFromServerAt: v.goneFromServerAt,
    firstSeen: v.firstSeen,
    notes: v.notes,
    labels: v.labels,
  };
}

/** The sync status as the renderer sees it. */
export function syncStatusValue(s: SyncSchedulerStatus): SyncStatusValue {
  return {
    state: s.state,
    lastSyncAt: s.lastSyncAt,
    lastError: s.lastError,
    nextAt: s.nextAt,
    progress: s.progress === null ? null : syncProgressValue(s.progress),
  };
}

/** A sync's progress as the renderer sees it: the phase and the item counts (no byte counts). */
function syncProgressValue(p: Progress): { phase: string; done?: number; total?: number } {
  return { phase: p.phase, ...(p.done !== undefined && { done: p.done }), ...(p.total !== undefined && { total: p.total }) };
}

function noLibrary(): AppConfigError {
  return new AppConfigError('config.invalid', 'This window keeps no voicemail library');
}

/** The library channels over the mailbox's library side (or refusing, in a host without one). */
export function libraryImplementations(library: MailboxLibrary | null): Pick<Implementations, LibraryChannel> {
  function need(): MailboxLibrary {
    if (!library) throw noLibrary();
    return library;
  }
  return {
    'library:list': async (req): Promise<LibraryListingValue> => {
      const v = need().view(req.search.trim() === '' ? {} : { search: req.search });
      return {
        msisdn: v.line?.msisdn ?? null,
        live: v.live,
        voicemails: v.voicemails.map(libraryVoicemailValue),
        stats: v.stats && { voicemails: v.stats.voicemails, unread: v.stats.unread, stored: v.stats.stored, goneFromServer: v.stats.goneFromServer, pendingReadChanges: v.stats.pendingReadChanges, lastSyncAt: v.stats.lastSyncAt },
      };
    },
    'library:setNote': async (req) => need().setNotes(req.id, req.notes),
    'library:markRead': async (req) => need().markRead(req.ids, req.read),
    'library:archiveDelete': (req, ctx) => need().archiveThenDelete(req.ids, ctx),
    'sync:now': async (_req, ctx) => {
      const lib = need();
      // The caller sees the sync's progress on its op id (the check it started, or the one it joined).
      const off = lib.watch((e) => {
        const p = e.kind === 'syncStatus' ? e.status.progress : null;
        if (p) ctx.onProgress(syncProgressValue(p));
      });
      try {
        const r = await lib.syncNow();
        return { newVoicemails: r.newItems.length, downloaded: r.downloaded, goneFromServer: r.goneFromServer.length, failed: r.failures.length, complete: r.complete };
      } finally {
        off();
      }
    },
    'sync:status': async () => syncStatusValue(need().syncStatus()),
  };
}

/** Pushes of the library side for a host: `library:changed` and `sync:status`. Returns the unsubscribe function. */
export function watchLibraryEvents(library: MailboxLibrary, push: { changed(): void; syncStatus(s: SyncStatusValue): void }): () => void {
  return library.watch((e: MailboxLibraryEvent) => {
    if (e.kind === 'changed') push.changed();
    else push.syncStatus(syncStatusValue(e.status));
  });
}
