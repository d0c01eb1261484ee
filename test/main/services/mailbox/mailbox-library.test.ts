// The mailbox's library side end to end in process: the mailbox over a simulated card in a reader the
// test can pull, the simulated carrier (BSF + strict relay) on loopback, a real SQLite library, a
// recording notifier and a fake clock for the scheduler. Sync on insertion, exactly one notification per
// new voicemail, the library offline when the card goes (and no sync then), sync again on re-insertion.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAudioEngine, openMstoreSession, startDemoCarrier, type DemoCarrier } from '../../../../main/app.js';
import { createDesktopPinSource } from '../../../../main/adapters/keychain/keychain-pin-source.js';
import { openLibraryStore } from '../../../../main/adapters/library/sqlite-library.js';
import { createMailbox } from '../../../../main/services/mailbox/mailbox.js';
import { createMailboxLibrary, type MailboxLibrary } from '../../../../main/services/mailbox/mailbox-library.js';
import { memoryNotifiedState, recordingNotifier } from '../../../../main/services/mailbox/notifications.js';
import type { TimerPort } from '../../../../main/services/mailbox/sync-scheduler.js';
import { memoryPinStore } from '../../../../main/web-harness/run.js';
import { InProcessCardReader } from '../../../../main/sim/card/in-process-reader.js';
import { syntheticAmr } from '../mstore/harness.js';
import { defaultSettings } from '../../../../shared/settings.js';
import { until } from '../../../support/until.js';

let work: string;
let carrier: DemoCarrier;
beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'vvm-mailbox-lib-'));
  carrier = await startDemoCarrier(join(work, 'demo'), defaultSettings());
});
afterEach(async () => {
  await carrier.close();
  rmSync(work, { recursive: true, force: true });
});

/** Scheduler timers that fire only when the test advances them. */
function manualTimers() {
  let now = Date.now();
  const pending = new Map<number, { at: number; fn: () => void }>();
  let seq = 0;
  const timers: TimerPort = {
    now: () => now,
    set: (fn, ms) => (pending.set(++seq, { at: now + ms, fn }), seq),
    clear: (h) => void pending.delete(h as number),
  };
  return {
    timers,
    pending: () => pending.size,
    fireAll() {
      const due = [...pending.entries()];
      pending.clear();
      for (const [, p] of due) {
        now = Math.max(now, p.at);
        p.fn();
      }
    },
  };
}

function setup() {
  const reader = new InProcessCardReader(carrier.card);
  const pinSource = createDesktopPinSource(memoryPinStore());
  const settings = { ...defaultSettings(), server: carrier.relay.url, bsf: carrier.bsf.url };
  const audio = createAudioEngine({ env: {} });
  const mailbox = createMailbox({
    open: (s) => openMstoreSession({ settings: s, demo: false, env: {}, pinSource, readers: async () => ({ listReaders: (sig) => reader.listReaders(sig), connect: (n, sig) => reader.connect(n, sig), watch: () => () => {}, close: async () => {} }) }),
    watchReaders: (l) => reader.watch(l),
    audio,
    pinSource,
    settings,
    demo: false,
  });
  const notifier = recordingNotifier();
  const clock = manualTimers();
  const library: MailboxLibrary = createMailboxLibrary({
    mailbox,
    store: openLibraryStore(join(work, 'data')),
    notifiedFor: () => notified,
    notifier,
    audio,
    timers: clock.timers,
    clock: { now: () => Date.now(), monotonic: () => performance.now() },
  });
  const notified = memoryNotifiedState();
  // Syncs started, from the pushed status (the fake clock does not move, so lastSyncAt alone cannot tell).
  let started = 0;
  let last = 'stopped';
  library.watch((e) => {
    if (e.kind !== 'syncStatus') return;
    if (e.status.state === 'syncing' && last !== 'syncing') started++;
    last = e.status.state;
  });
  return { reader, mailbox, library, notifier, clock, started: () => started };
}

describe('mailbox library', () => {
  it('syncs when the card is ready, notifies once per new voicemail, reads offline when the card goes, syncs again on insertion', async () => {
    const { reader, mailbox, library, notifier, clock, started } = setup();
    try {
      expect(library.view()).toMatchObject({ line: null, voicemails: [] });
      await mailbox.probe({}); // the card is ready: background sync starts with a sync right away
      await until('the first sync', () => library.syncStatus().lastSyncAt !== null, 10_000);
      const first = library.view();
      expect(first.live).toBe(true);
      expect(first.line?.msisdn).toMatch(/^\+\d+$/);
      const serverIds = carrier.relay.snapshot().voicemails.map((v) => v.id).sort();
      expect(first.voicemails.map((v) => v.id).sort()).toEqual(serverIds);
      expect(first.voicemails.every((v) => v.sha256 !== null)).toBe(true);
      // The first import is not announced voicemail by voicemail; the unread count is.
      expect(notifier.recorded.filter((r) => r.kind === 'newVoicemail')).toEqual([]);
      expect(notifier.recorded.filter((r) => r.kind === 'unreadCount').at(-1)).toEqual({ kind: 'unreadCount', count: first.stats?.unread });
      // The next check is scheduled at the interval.
      expect(library.syncStatus()).toMatchObject({ state: 'idle', failures: 0 });
      expect(clock.pending()).toBe(1);

      const id = carrier.relay.addVoicemail({ from: '12065550123', date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), audioBase64: Buffer.from(syntheticAmr(250, 5)).toString('base64') });
      clock.fireAll(); // the interval elapsed
      await until('the scheduled sync to store the new voicemail', () => library.view().voicemails.some((v) => v.id === id && v.sha256 !== null) && library.syncStatus().state === 'idle', 10_000);
      await library.syncNow(); // on demand: nothing new
      const news = notifier.recorded.filter((r) => r.kind === 'newVoicemail');
      expect(news).toEqual([{ kind: 'newVoicemail', notice: { id, from: '+12065550123', durationSec: 5, date: expect.any(String) } }]);

      // The card goes: background sync stops, the library stays readable (offline, last line used).
      reader.remove();
      await until('the scheduler to stop', () => library.syncStatus().state === 'stopped', 10_000);
      expect(clock.pending()).toBe(0);
      const offline = library.view();
      expect(offline.live).toBe(false);
      expect(offline.line).toEqual(first.line);
      expect(offline.voicemails.map((v) => v.id)).toContain(id);
      // Notes and read state change offline; the audio plays from the library.
      library.setNotes(id, 'call back about the invoice');
      library.markRead([id], true);
      // The badge follows a local change at once.
      expect(notifier.recorded.filter((r) => r.kind === 'unreadCount').at(-1)).toEqual({ kind: 'unreadCount', count: library.view().stats?.unread });
      // The new voicemail arrived unread and is read now: as many unread as before it came.
      expect(library.view().stats?.unread).toBe(first.stats?.unread);
      expect(library.view({ search: 'invoice' }).voicemails.map((v) => v.id)).toEqual([id]);
      const audio = await library.audio(id, {});
      expect(audio?.durationSec).toBeCloseTo(5, 1);
      const before = started();

      // Inserted again: a sync on insertion sends the offline read state to the server.
      reader.insert(carrier.card);
      await until('the sync on insertion', () => started() > before && library.syncStatus().state === 'idle', 10_000);
      expect(carrier.relay.snapshot().voicemails.find((v) => v.id === id)?.read).toBe(true);
      expect(library.view().voicemails.find((v) => v.id === id)?.readPending).toBeNull();
      expect(notifier.recorded.filter((r) => r.kind === 'newVoicemail')).toHaveLength(1);
    } finally {
      library.close();
      await mailbox.close();
    }
  });

  it('archive, then delete: only voicemails with a verified local copy leave the server; the library keeps them and exports them offline', async () => {
    const { reader, mailbox, library } = setup();
    try {
      await mailbox.probe({});
      await until('the first sync', () => library.syncStatus().lastSyncAt !== null, 10_000);
      const [a, b] = library.view().voicemails;
      if (!a || !b) throw new Error('the demo carrier has voicemails');
      const report = await library.archiveThenDelete([a.id, b.id, 'VV-Mail/Inbox/not-there'], {});
      expect(report.results.filter((r) => r.ok).map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
      expect(report.results.find((r) => r.id === 'VV-Mail/Inbox/not-there')?.ok).toBe(false);
      const server = carrier.relay.snapshot().voicemails.map((v) => v.id);
      expect(server).not.toContain(a.id);
      expect(server).not.toContain(b.id);
      const kept = library.view().voicemails.filter((v) => v.id === a.id || v.id === b.id);
      expect(kept).toHaveLength(2);
      expect(kept.every((v) => v.goneFromServerAt !== null && v.sha256 !== null)).toBe(true);

      // Exported from the library copy, with the card gone (offline), though the server no longer has them;
      // an id the library does not hold is handed back for the server.
      reader.remove();
      await until('the scheduler to stop', () => library.syncStatus().state === 'stopped', 10_000);
      const out = join(work, 'export');
      const exported = await library.exportStored([a.id, b.id, 'VV-Mail/Inbox/not-there'], { format: 'wav', outDir: out, onExists: 'suffix' });
      expect(exported?.rest).toEqual(['VV-Mail/Inbox/not-there']);
      expect(exported?.result.failed).toEqual([]);
      expect(exported?.result.files.map((f) => f.id).sort()).toEqual([a.id, b.id].sort());
      for (const f of exported?.result.files ?? []) expect(readFileSync(join(out, f.file)).subarray(0, 4).toString('latin1')).toBe('RIFF');
    } finally {
      library.close();
      await mailbox.close();
    }
  });
});
