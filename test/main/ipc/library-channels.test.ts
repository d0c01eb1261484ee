// The library channels' mapping (main/ipc/library-implementations.ts): what the renderer gets of a
// library row (no server paths, no hashes), the sync status, and a host without a library refusing
// with a typed error. The whole flow over a real library is test/integration/library-cli-window.test.ts.
import { describe, expect, it } from 'vitest';
import { LibraryVoicemail, SyncStatus } from '../../../shared/ipc/contract.js';
import { libraryImplementations, libraryVoicemailValue, syncStatusValue } from '../../../main/ipc/library-implementations.js';
import type { LibraryVoicemail as Row } from '../../../main/services/library/ports.js';
import type { OpContext } from '../../../main/ipc/dispatch.js';
import type { MailboxLibrary, MailboxLibraryEvent } from '../../../main/services/mailbox/mailbox-library.js';
import type { SyncReport } from '../../../main/services/library/sync.js';
import type { Progress } from '../../../main/services/ports.js';

const ROW: Row = {
  id: 'VV-Mail/Inbox/1', from: '12065550123', date: '2026-11-01T12:00:00Z', expires: '2026-12-01T12:00:00Z', duration: 12, size: 2000, filename: 'a.amr',
  contentType: 'audio/amr', keep: true, read: false, serverRead: true, readPending: false, payloadPath: 'https://wsg.example/phone20/mStoreRelay/payload/1',
  sha256: 'ab'.repeat(32), firstSeen: 1, lastSeenOnServer: 2, goneFromServerAt: 3, notes: 'n', labels: ['work'],
};

describe('library channels', () => {
  it('a library row reaches the renderer without its server path or hash, and passes the response schema', () => {
    const v = libraryVoicemailValue(ROW);
    expect(LibraryVoicemail.strict().parse(v)).toEqual(v);
    expect(JSON.stringify(v)).not.toContain('payload');
    expect(JSON.stringify(v)).not.toContain('abab');
    expect(v).toMatchObject({ stored: true, readPending: true, goneFromServerAt: 3, keep: true, read: false });
    expect(libraryVoicemailValue({ ...ROW, sha256: null, readPending: null })).toMatchObject({ stored: false, readPending: false });
  });

  it('the sync status passes its schema, progress trimmed to phase and counts', () => {
    const s = syncStatusValue({ state: 'syncing', lastSyncAt: 5, lastError: null, nextAt: null, failures: 2, progress: { phase: 'download', done: 1, total: 4, transferredBytes: 99 } });
    expect(SyncStatus.strict().parse(s)).toEqual({ state: 'syncing', lastSyncAt: 5, lastError: null, nextAt: null, progress: { phase: 'download', done: 1, total: 4 } });
  });

  it('a host without a library answers every library channel with a typed error', async () => {
    const impls = libraryImplementations(null);
    const ctx = { signal: new AbortController().signal, onProgress: () => {} } as unknown as OpContext;
    await expect(impls['library:list']({ search: '' }, ctx)).rejects.toMatchObject({ name: 'AppConfigError', code: 'config.invalid' });
    await expect(impls['sync:now']({ opId: '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a' }, ctx)).rejects.toMatchObject({ code: 'config.invalid' });
    await expect(impls['sync:status']({}, ctx)).rejects.toMatchObject({ code: 'config.invalid' });
  });

  it('sync:now reports the sync progress on the caller\'s op id while it runs, and stops listening after', async () => {
    const listeners = new Set<(e: MailboxLibraryEvent) => void>();
    const status = (progress: Progress | null) => ({ state: 'syncing' as const, lastSyncAt: null, lastError: null, nextAt: null, failures: 0, progress });
    const report: SyncReport = { newItems: [], newGreetings: [], downloaded: 2, bytes: 10, updatedFlags: [], pushedFlags: [], goneFromServer: ['x'], returned: [], failures: [], complete: true, startedAt: 0, finishedAt: 1 };
    const fakeLibrary = {
      watch: (l: (e: MailboxLibraryEvent) => void) => (listeners.add(l), () => void listeners.delete(l)),
      async syncNow() {
        for (const p of [{ phase: 'list' }, { phase: 'download', done: 1, total: 2, transferredBytes: 5 }]) for (const l of listeners) l({ kind: 'syncStatus', status: status(p) });
        return report;
      },
    } as unknown as MailboxLibrary;
    const seen: Progress[] = [];
    const ctx = { signal: new AbortController().signal, onProgress: (p: Progress) => seen.push(p) } as unknown as OpContext;
    const r = await libraryImplementations(fakeLibrary)['sync:now']({ opId: '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a' }, ctx);
    expect(r).toEqual({ newVoicemails: 0, downloaded: 2, goneFromServer: 1, failed: 0, complete: true });
    expect(seen).toEqual([{ phase: 'list' }, { phase: 'download', done: 1, total: 2 }]);
    expect(listeners.size).toBe(0);
  });
});
