// Background library sync of the desktop through the real card stack (issue 9): pcscd + vpcd with the
// simulated ISIM attached (test/support/pcscd.ts holds the vpcd lock), the simulated BSF and strict relay
// on loopback. Inserting the card syncs the library; a new voicemail on the server gives exactly one
// notification on the next check; pulling the card stops background sync and leaves the library readable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopBackend, createDesktopIpc, startDemoCarrier, type DemoCarrier } from '../../main/app.js';
import { recordingNotifier } from '../../main/services/mailbox/notifications.js';
import { memoryPinStore } from '../../main/web-harness/run.js';
import type { LibraryListingValue } from '../../shared/ipc/contract.js';
import { defaultSettings } from '../../shared/settings.js';
import { startPcscd, VPCD_READERS, type PcscdHarness } from '../support/pcscd.js';
import { syntheticAmr } from '../main/services/mstore/harness.js';
import { until } from '../support/until.js';

const READER = VPCD_READERS[0];
let pcsc: PcscdHarness;
let dir: string;
let carrier: DemoCarrier;

beforeAll(async () => {
  pcsc = await startPcscd();
  await pcsc.waitAbsent(0);
  await pcsc.waitAbsent(1);
  dir = mkdtempSync(join(tmpdir(), 'vvm-bg-sync-'));
  carrier = await startDemoCarrier(join(dir, 'carrier'), defaultSettings());
}, 240_000);
afterAll(async () => {
  await carrier?.close();
  await pcsc?.release();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('desktop background sync through pcscd + vpcd', () => {
  it('syncs on insertion, notifies exactly once for a new voicemail, stops when the card is pulled', async () => {
    const notifier = recordingNotifier();
    const backend = await createDesktopBackend({
      env: { ...process.env, VVM_DEMO_DIR: join(dir, 'demo') },
      settings: { ...defaultSettings(), reader: READER, server: carrier.relay.url, bsf: carrier.bsf.url },
      demo: false,
      pins: memoryPinStore(),
      dataDir: join(dir, 'data'),
      notifier,
    });
    const { dispatcher: d, feed } = createDesktopIpc(backend, { chooseExportDirectory: async () => null });
    const library = backend.library;
    try {
      if (!library) throw new Error('a data folder was given: the backend has a library');
      expect(library.syncStatus().state).toBe('stopped');

      const att = await pcsc.attach(carrier.card, 0);
      // Nobody asked: the PC/SC watcher saw the card, the mailbox opened it, the scheduler synced.
      await until('the sync on insertion', () => library.syncStatus().lastSyncAt !== null && library.syncStatus().state === 'idle', 30_000, 50);
      const first = await d.dispatch('library:list', { search: '' }, () => {});
      if (!first.ok) throw new Error(first.error.message);
      const listed = first.value as LibraryListingValue;
      expect(listed.live).toBe(true);
      expect(listed.voicemails.map((v) => v.id).sort()).toEqual(carrier.relay.snapshot().voicemails.map((v) => v.id).sort());
      expect(listed.voicemails.every((v) => v.stored)).toBe(true);
      expect(notifier.recorded.filter((r) => r.kind === 'newVoicemail')).toEqual([]);

      const id = carrier.relay.addVoicemail({ from: '12065550199', date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), audioBase64: Buffer.from(syntheticAmr(200, 7)).toString('base64') });
      const now = await d.dispatch('sync:now', { opId: crypto.randomUUID() }, () => {});
      expect(now).toMatchObject({ ok: true, value: { newVoicemails: 1, complete: true } });
      expect(await d.dispatch('sync:now', { opId: crypto.randomUUID() }, () => {})).toMatchObject({ ok: true, value: { newVoicemails: 0 } });
      const news = notifier.recorded.filter((r) => r.kind === 'newVoicemail');
      expect(news).toEqual([{ kind: 'newVoicemail', notice: expect.objectContaining({ id, from: '+12065550199', durationSec: 4 }) }]);
      expect(att.apduCount).toBeGreaterThan(0);

      await att.remove();
      await until('background sync to stop', () => library.syncStatus().state === 'stopped', 30_000, 50);
      await pcsc.waitAbsent(0);
      const offline = await d.dispatch('library:list', { search: '' }, () => {});
      expect(offline).toMatchObject({ ok: true, value: { live: false } });
      expect(offline.ok && (offline.value as LibraryListingValue).voicemails.some((v) => v.id === id && v.stored)).toBe(true);
      // Played from the library without the card.
      expect(await d.dispatch('voicemail:audio', { id, opId: crypto.randomUUID() }, () => {})).toMatchObject({ ok: true, value: { durationSec: 4 } });
    } finally {
      feed.close();
      await backend.close();
    }
  }, 120_000);
});
