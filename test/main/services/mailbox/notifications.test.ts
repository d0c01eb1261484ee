// Notifications after a sync, over a real library (SQLite) synced from the strict simulated relay on
// loopback: exactly one notification per new voicemail (none for the first import), the unread count,
// one expiry warning per voicemail not marked kept, one "inbox nearly full" per fill-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FolderQuota } from '../../../../shared/domain/mstore.js';
import { openLibraryStore } from '../../../../main/adapters/library/sqlite-library.js';
import type { LibraryPort } from '../../../../main/services/library/ports.js';
import { syncMailbox } from '../../../../main/services/library/sync.js';
import { memoryNotifiedState, notifyAfterSync, recordingNotifier, type NotificationSettings } from '../../../../main/services/mailbox/notifications.js';
import { clock, harness, syntheticAmr, voicemails, type Harness } from '../mstore/harness.js';

const KEY = { iccid: '8901260123456789012', msisdn: '+12065550100' };
const DAY = 86_400_000;
let h: Harness;
let dir: string;
let lib: LibraryPort;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vvm-notify-'));
  lib = openLibraryStore(dir).open(KEY);
});
afterEach(async () => {
  lib.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const SETTINGS: NotificationSettings = { expiryWarningDays: 3, inboxFullWarningMessages: 3 };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function quota(used: number, max: number): FolderQuota {
  return {
    OccupiedStorage: null, TotalStorage: null, FaxOccupiedMessages: null, FaxMessagesQuota: null, VMOccupiedMessages: used, VMMessagesQuota: max,
    GreetingsOccupied: null, GreetingsQuota: null, NormalGreetingOccupied: null, NormalGreetingQuota: null, VoiceSignatureOccupied: null, VoiceSignatureQuota: null,
  };
}

/** One sync and the notifications it calls for, as the mailbox runs them. */
async function syncAndNotify(deps: { notifier: ReturnType<typeof recordingNotifier>; notified: ReturnType<typeof memoryNotifiedState> }, q: FolderQuota | null = null, settings = SETTINGS) {
  const firstSync = lib.stats().lastSyncAt === null;
  const report = await syncMailbox({ mstore: h.client, library: lib, clock });
  notifyAfterSync({ ...deps, library: lib, settings, now: Date.now() }, { newItems: report.newItems, firstSync, quota: q });
  return report;
}

describe('notifications after a sync', () => {
  it('the first import announces nothing; a new voicemail gives exactly one notification, with caller and duration', async () => {
    h = await harness({ voicemails: voicemails(4) });
    const deps = { notifier: recordingNotifier(), notified: memoryNotifiedState() };
    await syncAndNotify(deps);
    expect(deps.notifier.recorded.filter((r) => r.kind === 'newVoicemail')).toEqual([]);
    const id = h.relay.addVoicemail({ from: '12065559876', date: iso(Date.now() - 60_000), audioBase64: Buffer.from(syntheticAmr(150, 3)).toString('base64') });
    await syncAndNotify(deps);
    await syncAndNotify(deps);
    const news = deps.notifier.recorded.filter((r) => r.kind === 'newVoicemail');
    expect(news).toHaveLength(1);
    expect(news[0]).toMatchObject({ notice: { id, from: '+12065559876', durationSec: 3 } });
  });

  it('what was notified is remembered: the same state after a restart repeats nothing, a lost state would', async () => {
    const now = Date.now();
    h = await harness({ voicemails: [{ from: '12065550001', date: iso(now - 20 * DAY), expires: iso(now + DAY), audioBase64: Buffer.from(syntheticAmr(50)).toString('base64') }] });
    const notified = memoryNotifiedState();
    const before = recordingNotifier();
    await syncAndNotify({ notifier: before, notified });
    expect(before.recorded.filter((r) => r.kind === 'expiring')).toHaveLength(1);
    // A restarted app: a fresh notifier over the remembered state hears nothing again.
    const restarted = recordingNotifier();
    await syncAndNotify({ notifier: restarted, notified });
    expect(restarted.recorded.filter((r) => r.kind === 'expiring')).toEqual([]);
    // Without the state the same sync would warn again: the state is what keeps it to once.
    const forgetful = recordingNotifier();
    await syncAndNotify({ notifier: forgetful, notified: memoryNotifiedState() });
    expect(forgetful.recorded.filter((r) => r.kind === 'expiring')).toHaveLength(1);
  });

  it('reports the unread count after every sync', async () => {
    h = await harness({ voicemails: voicemails(6) });
    const deps = { notifier: recordingNotifier(), notified: memoryNotifiedState() };
    await syncAndNotify(deps);
    const unread = lib.listVoicemails().filter((v) => !v.read).length;
    expect(unread).toBeGreaterThan(0);
    expect(deps.notifier.recorded.filter((r) => r.kind === 'unreadCount')).toEqual([{ kind: 'unreadCount', count: unread }]);
  });

  it('warns once before the server deletes a voicemail not marked kept; kept, far-off and past ones are not warned about', async () => {
    const now = Date.now();
    const amr = Buffer.from(syntheticAmr(50)).toString('base64');
    h = await harness({
      voicemails: [
        { from: '12065550001', date: iso(now - 20 * DAY), expires: iso(now + 2 * DAY), audioBase64: amr },
        { from: '12065550002', date: iso(now - 20 * DAY), expires: iso(now + 2 * DAY), keep: true, audioBase64: amr },
        { from: '12065550003', date: iso(now - 5 * DAY), expires: iso(now + 20 * DAY), audioBase64: amr },
      ],
    });
    const deps = { notifier: recordingNotifier(), notified: memoryNotifiedState() };
    await syncAndNotify(deps);
    await syncAndNotify(deps);
    const warned = deps.notifier.recorded.flatMap((r) => (r.kind === 'expiring' ? [r.notice] : []));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ from: '+12065550001', daysLeft: 1 });
    // Off when the setting is 0.
    const off = { notifier: recordingNotifier(), notified: memoryNotifiedState() };
    await syncAndNotify(off, null, { ...SETTINGS, expiryWarningDays: 0 });
    expect(off.notifier.recorded.filter((r) => r.kind === 'expiring')).toEqual([]);
  });

  it('"inbox nearly full" once per fill-up: again only after there was room in between', async () => {
    h = await harness({ voicemails: voicemails(1) });
    const deps = { notifier: recordingNotifier(), notified: memoryNotifiedState() };
    const full = () => deps.notifier.recorded.filter((r) => r.kind === 'inboxNearlyFull');
    await syncAndNotify(deps, quota(30, 45));
    expect(full()).toEqual([]);
    await syncAndNotify(deps, quota(42, 45));
    await syncAndNotify(deps, quota(44, 45));
    expect(full()).toEqual([{ kind: 'inboxNearlyFull', notice: { used: 42, max: 45 } }]);
    await syncAndNotify(deps, quota(20, 45));
    await syncAndNotify(deps, quota(43, 45));
    expect(full()).toHaveLength(2);
  });
});
