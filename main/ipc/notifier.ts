// The mailbox's NotifierPort over Electron (main/services/mailbox/notifications.ts): OS notifications for
// a new voicemail (caller, duration; clicking opens it in the window), a voicemail about to expire on the
// server, and an inbox close to its quota; the unread count on the dock/launcher badge. Thin glue: the
// decisions (what, and only once) are the service's; nothing here runs under Node tests (Electron cannot
// be downloaded on CI), the web harness records the same calls instead.
import { app, Notification } from 'electron';
import type { ExpiryNotice, NewVoicemailNotice, NotifierPort, QuotaNotice } from '../services/mailbox/notifications.js';

/** What clicking a notification does. */
export interface ElectronNotifierOptions {
  /** Shows the window and that voicemail in it (the renderer gets `notify:open`). */
  openVoicemail(id: string): void;
  /** Shows the window (a notification about the whole inbox). */
  showWindow(): void;
}

function minutes(sec: number): string {
  return `${Math.floor(sec / 60)}:${String(Math.round(sec) % 60).padStart(2, '0')}`;
}

function caller(from: string | null): string {
  return from ?? 'Unknown caller';
}

/** The NotifierPort of the desktop app. */
export function createElectronNotifier(opts: ElectronNotifierOptions): NotifierPort {
  let lastBadge: number | null = null;
  function show(title: string, body: string, onClick: () => void): void {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title, body });
    n.on('click', onClick);
    n.show();
  }
  return {
    newVoicemail(n: NewVoicemailNotice) {
      show('New voicemail', `${caller(n.from)} · ${minutes(n.durationSec)}`, () => opts.openVoicemail(n.id));
    },
    unreadCount(count: number) {
      if (count === lastBadge) return;
      lastBadge = count;
      // macOS dock and Linux launchers (Unity API); a no-op where the desktop has no badge.
      app.setBadgeCount(count);
    },
    expiring(n: ExpiryNotice) {
      const when = n.daysLeft === 0 ? 'today' : n.daysLeft === 1 ? 'tomorrow' : `in ${n.daysLeft} days`;
      show('Voicemail expires soon', `The carrier deletes the voicemail from ${caller(n.from)} ${when}. VVM Desk keeps its copy.`, () => opts.openVoicemail(n.id));
    },
    inboxNearlyFull(n: QuotaNotice) {
      show('Voicemail inbox nearly full', `${n.used} of ${n.max} messages. Archive and delete some so new voicemails fit.`, () => opts.showWindow());
    },
  };
}
