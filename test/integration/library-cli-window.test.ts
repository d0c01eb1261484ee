// "The CLI and the window show the same library" (issue 9): `vvm-desk sync` (a real process, demo
// carrier) fills a data folder; the desktop backend over that folder, served by the web harness, lists
// the very same voicemails at once, before any card or network; a note and a read change made in the
// window are what `vvm-desk archive list` then prints; a sync from the window and one from the CLI agree.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopBackend, createDesktopIpc, type DesktopBackend } from '../../main/app.js';
import { watchLibraryEvents } from '../../main/ipc/library-implementations.js';
import { recordingNotifier } from '../../main/services/mailbox/notifications.js';
import { memoryPinStore } from '../../main/web-harness/run.js';
import { startWebHarness, type WebHarness } from '../../main/web-harness/server.js';
import type { LibraryListingValue } from '../../shared/ipc/contract.js';
import { fromWire, toWire } from '../../shared/ipc/wire.js';
import { defaultSettings } from '../../shared/settings.js';
import { requireBuilt, runCli } from '../support/cli-process.js';

const OP = '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a';
let work: string;
let env: Record<string, string>;
let backend: DesktopBackend | undefined;
let harness: WebHarness | undefined;
const events: string[] = [];

beforeAll(() => {
  requireBuilt(['main/cli/commands/sync.ts', 'main/cli/commands/archive.ts', 'main/services/library/sync.ts']);
  work = mkdtempSync(join(tmpdir(), 'vvm-cli-window-'));
  // One data folder and one demo carrier state for both front ends; settings from an empty config folder.
  env = { VVM_DEMO_DIR: join(work, 'demo'), VVM_CONFIG_DIR: join(work, 'config'), VVM_DATA_DIR: join(work, 'data') };
});
afterAll(async () => {
  await harness?.close();
  await backend?.close();
  rmSync(work, { recursive: true, force: true });
});

function post<T>(channel: string, req: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  const h = harness as WebHarness;
  return new Promise((resolve, reject) => {
    const r = request(`${h.origin}/ipc/${channel}`, { method: 'POST', headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(fromWire(body) as { ok: true; value: T }));
    });
    r.on('error', reject);
    r.end(toWire(req));
  });
}

async function cliList(): Promise<{ id: string; read: boolean; notes: string; sha256: string | null }[]> {
  const r = await runCli(['--demo', '--data-dir', join(work, 'data'), '--json', 'archive', 'list', '--all'], env, 60_000);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { id: string; read: boolean; notes: string; sha256: string | null }[];
}

describe('the CLI and the window share one library', () => {
  it('vvm-desk sync fills the data folder; the window lists the same voicemails at once, offline; edits in the window show in the CLI', async () => {
    const synced = await runCli(['--demo', '--data-dir', join(work, 'data'), '--json', 'sync'], env, 120_000);
    expect(synced.code, synced.stderr).toBe(0);
    const fromCli = await cliList();
    expect(fromCli.length).toBeGreaterThan(3);

    // The window, over the same data folder. Demo mode, but nothing asked the card anything yet.
    mkdirSync(join(work, 'renderer'), { recursive: true });
    writeFileSync(join(work, 'renderer', 'index.html'), '<!doctype html><html><head></head><body></body></html>');
    writeFileSync(join(work, 'shim.js'), '');
    backend = await createDesktopBackend({ env, settings: defaultSettings(), demo: true, pins: memoryPinStore(), dataDir: join(work, 'data'), notifier: recordingNotifier() });
    const { dispatcher, feed } = createDesktopIpc(backend, { chooseExportDirectory: async () => null });
    const library = backend.library;
    if (!library) throw new Error('a data folder was given: the backend has a library');
    harness = await startWebHarness({
      dispatcher,
      rendererDir: join(work, 'renderer'),
      shimFile: join(work, 'shim.js'),
      watchCardStatus: (push) => feed.watch(push),
      watchEvents: (push) => watchLibraryEvents(library, { changed: () => (events.push('library:changed'), push('library:changed', {})), syncStatus: (s) => push('sync:status', s) }),
    });
    expect(backend.engine.cardStatus().state).not.toBe('ready');

    const listed = await post<LibraryListingValue>('library:list', { search: '' });
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.value.live).toBe(false); // offline: the line synced last
    expect(listed.value.voicemails.map((v) => v.id)).toEqual(fromCli.map((v) => v.id));
    expect(listed.value.voicemails.every((v) => v.stored)).toBe(true);
    expect(listed.value.msisdn).toMatch(/^\+\d+$/);

    // A note and a read change made in the window (offline) are in the CLI's listing.
    const [first] = listed.value.voicemails;
    if (!first) throw new Error('the demo carrier has voicemails');
    expect(await post('library:setNote', { id: first.id, notes: 'forward to accounting' })).toMatchObject({ ok: true });
    expect(await post('library:markRead', { ids: [first.id], read: !first.read })).toMatchObject({ ok: true });
    const afterEdit = await cliList();
    expect(afterEdit.find((v) => v.id === first.id)).toMatchObject({ notes: 'forward to accounting', read: !first.read });

    // The window syncs (demo card): the pending read change reaches the carrier; the CLI sees the same rows.
    const s = await post<{ complete: boolean; newVoicemails: number }>('sync:now', { opId: OP });
    expect(s).toMatchObject({ ok: true, value: { complete: true, newVoicemails: 0 } });
    const status = await post<{ lastSyncAt: number | null; lastError: unknown }>('sync:status', {});
    expect(status).toMatchObject({ ok: true, value: { lastError: null } });
    expect(events).toContain('library:changed');
    const live = await post<LibraryListingValue>('library:list', { search: 'accounting' });
    expect(live).toMatchObject({ ok: true, value: { live: true } });
    expect(live.ok && live.value.voicemails.map((v) => v.id)).toEqual([first.id]);
    const finalCli = await cliList();
    expect(finalCli.map((v) => v.id)).toEqual(fromCli.map((v) => v.id));
    expect(finalCli.find((v) => v.id === first.id)?.read).toBe(!first.read);
  });
});
