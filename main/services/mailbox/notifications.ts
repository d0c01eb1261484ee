// What the user is told after a sync (issue 9): one notification per new voicemail (caller, duration),
// the unread count (badge / tray), a warning some days before the server deletes a voicemail that is not
// marked kept ($MarkNotToDelete; the local copy stays regardless), and "inbox nearly full" when the quota
// is within a few messages of its limit. Each notification fires once: what was told is remembered per
// line (NotifiedStatePort, stored next to the library), so a restart does not repeat it.
import type { FolderQuota } from '../../../shared/domain/mstore.js';
import type { LibraryPort, LibraryVoicemail } from '../library/ports.js';

/** A new voicemail, as a notification shows it. */
export interface NewVoicemailNotice {
  id: string;
  /** Caller in E.164 (or as the server gave it); null when withheld. */
  from: string | null;
  durationSec: number;
  /** ISO instant it was left. */
  date: string;
}

/** A voicemail the server will delete soon. */
export interface ExpiryNotice {
  id: string;
  from: string | null;
  /** ISO instant of the server's deletion. */
  expires: string;
  /** Whole days left (0 = today). */
  daysLeft: number;
}

/** The inbox is close to its message quota. */
export interface QuotaNotice {
  used: number;
  max: number;
}

/**
 * Shows notifications (the OS notification centre in the desktop app; a recording fake in tests).
 * Implementations word the text themselves; clicking a voicemail's notification opens it in the window.
 */
export interface NotifierPort {
  newVoicemail(n: NewVoicemailNotice): void;
  /** The unread count for the badge / tray; called after every sync (implementations skip repeats). */
  unreadCount(n: number): void;
  expiring(n: ExpiryNotice): void;
  inboxNearlyFull(n: QuotaNotice): void;
}

/** What was already notified, per line; persisted so a restart never repeats a notification. */
export interface NotifiedStatePort {
  has(key: string): boolean;
  add(key: string): void;
  delete(key: string): void;
}

/** Thresholds (from the settings). */
export interface NotificationSettings {
  /** Warn this many days before expiry; 0 = never. */
  expiryWarningDays: number;
  /** Warn when this many messages or fewer are left; 0 = never. */
  inboxFullWarningMessages: number;
}

/** What one sync brought, as the notifications need it. */
export interface SyncOutcome {
  /** Voicemails listed for the first time by this sync. */
  newItems: LibraryVoicemail[];
  /** The library had never completed a sync before this one (its voicemails are not "new" to the user). */
  firstSync: boolean;
  /** The voicemail folder's quota, when it was read. */
  quota: FolderQuota | null;
}

const DAY_MS = 86_400_000;

/** The caller as notifications show it: E.164 when the server's digits look like one, null when withheld. */
export function callerOf(from: string): string | null {
  if (from === '') return null;
  return /^\d{11,15}$/.test(from) ? `+${from}` : from;
}

/** Sends the notifications one sync calls for, each at most once per line. */
export function notifyAfterSync(
  deps: { notifier: NotifierPort; notified: NotifiedStatePort; library: LibraryPort; settings: NotificationSettings; now: number },
  outcome: SyncOutcome,
): void {
  const { notifier, notified, library, settings, now } = deps;
  for (const v of outcome.newItems) {
    const key = `new:${v.id}`;
    if (notified.has(key)) continue;
    // The first sync imports what the inbox already held: remembered, not announced one by one.
    if (!outcome.firstSync) notifier.newVoicemail({ id: v.id, from: callerOf(v.from), durationSec: v.duration, date: v.date });
    notified.add(key);
  }

  notifier.unreadCount(library.stats().unread);

  if (settings.expiryWarningDays > 0) {
    for (const v of library.listVoicemails({ goneFromServer: false })) {
      if (v.keep || v.expires === null) continue;
      const at = Date.parse(v.expires);
      if (!Number.isFinite(at) || at <= now || at - now > settings.expiryWarningDays * DAY_MS) continue;
      // Keyed by the expiry too: a voicemail whose expiry the server moved later is warned about again.
      const key = `expiry:${v.id}:${v.expires}`;
      if (notified.has(key)) continue;
      notifier.expiring({ id: v.id, from: callerOf(v.from), expires: v.expires, daysLeft: Math.floor((at - now) / DAY_MS) });
      notified.add(key);
    }
  }

  const q = outcome.quota;
  if (settings.inboxFullWarningMessages > 0 && q && q.VMMessagesQuota !== null && q.VMOccupiedMessages !== null) {
    const key = `quota:${q.VMMessagesQuota}`;
    if (q.VMMessagesQuota - q.VMOccupiedMessages <= settings.inboxFullWarningMessages) {
      if (!notified.has(key)) {
        notifier.inboxNearlyFull({ used: q.VMOccupiedMessages, max: q.VMMessagesQuota });
        notified.add(key);
      }
    } else {
      // Room again: the next time the inbox fills up is worth a warning again.
      notified.delete(key);
    }
  }
}

/** A NotifiedStatePort in memory (tests; lines whose state cannot be stored). */
export function memoryNotifiedState(): NotifiedStatePort & { keys(): string[] } {
  const keys = new Set<string>();
  return {
    has: (k) => keys.has(k),
    add: (k) => void keys.add(k),
    delete: (k) => void keys.delete(k),
    keys: () => [...keys],
  };
}

/** One recorded notification. */
export type RecordedNotice =
  | { kind: 'newVoicemail'; notice: NewVoicemailNotice }
  | { kind: 'unreadCount'; count: number }
  | { kind: 'expiring'; notice: ExpiryNotice }
  | { kind: 'inboxNearlyFull'; notice: QuotaNotice };

/** A NotifierPort that records what it was asked to show (tests, and the web harness). */
export function recordingNotifier(): NotifierPort & { readonly recorded: RecordedNotice[] } {
  const recorded: RecordedNotice[] = [];
  return {
    recorded,
    newVoicemail: (notice) => void recorded.push({ kind: 'newVoicemail', notice }),
    unreadCount: (count) => void recorded.push({ kind: 'unreadCount', count }),
    expiring: (notice) => void recorded.push({ kind: 'expiring', notice }),
    inboxNearlyFull: (notice) => void recorded.push({ kind: 'inboxNearlyFull', notice }),
  };
}
