import { act, renderHook, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LibraryListingValue, SyncStatusValue } from '../../../shared/ipc/contract.js';
import { useLibrary } from '../../../renderer/hooks/useLibrary.js';
import { installFakeApi, type FakeApi } from '../fake-api.js';

let fake: FakeApi;
/** The library pushes: the fake api answers calls, these stand in for main's events. */
const subscribers = { changed: new Set<() => void>(), sync: new Set<(s: SyncStatusValue) => void>(), open: new Set<(e: { id: string }) => void>() };

function listing(ids: string[], live = true): LibraryListingValue {
  return {
    msisdn: '+12065550100',
    live,
    voicemails: ids.map((id, i) => ({ id, from: '12065550123', date: '2026-11-01T12:00:00Z', expires: null, duration: 10 + i, size: 100, filename: `${i}.amr`, keep: false, read: false, readPending: false, stored: true, goneFromServerAt: null, firstSeen: 1, notes: '', labels: [] })),
    stats: { voicemails: ids.length, unread: ids.length, stored: ids.length, goneFromServer: 0, pendingReadChanges: 0, lastSyncAt: null },
  };
}

beforeEach(() => {
  fake = installFakeApi();
  for (const s of Object.values(subscribers)) s.clear();
  const api = fake.api as unknown as Record<string, unknown>;
  api.onLibraryChanged = (cb: () => void) => (subscribers.changed.add(cb), () => subscribers.changed.delete(cb));
  api.onSyncStatus = (cb: (s: SyncStatusValue) => void) => (subscribers.sync.add(cb), () => subscribers.sync.delete(cb));
  api.onNotifyOpen = (cb: (e: { id: string }) => void) => (subscribers.open.add(cb), () => subscribers.open.delete(cb));
});

const IDLE: SyncStatusValue = { state: 'idle', lastSyncAt: 5, lastError: null, nextAt: 10, progress: null };

describe('useLibrary', () => {
  it('lists the library at once, and again on library:changed; follows the sync status pushes', async () => {
    let ids = ['VV-Mail/Inbox/a'];
    fake.answer('libraryList', async () => ({ ok: true, value: listing(ids) }));
    fake.answer('syncStatus', async () => ({ ok: true, value: IDLE }));
    const { result } = renderHook(() => useLibrary());
    await waitFor(() => expect(result.current.listing?.voicemails.map((v) => v.id)).toEqual(['VV-Mail/Inbox/a']));
    await waitFor(() => expect(result.current.sync).toEqual(IDLE));
    ids = ['VV-Mail/Inbox/b', 'VV-Mail/Inbox/a'];
    act(() => subscribers.changed.forEach((l) => l()));
    await waitFor(() => expect(result.current.listing?.voicemails.map((v) => v.id)).toEqual(['VV-Mail/Inbox/b', 'VV-Mail/Inbox/a']));
    const syncing: SyncStatusValue = { ...IDLE, state: 'syncing', progress: { phase: 'download', done: 1, total: 3 } };
    act(() => subscribers.sync.forEach((l) => l(syncing)));
    expect(result.current.sync).toEqual(syncing);
  });

  it('passes the search to library:list and shows only the latest answer', async () => {
    const pending: ((v: unknown) => void)[] = [];
    fake.answer('libraryList', (req) => new Promise((r) => pending.push(() => r({ ok: true, value: listing([`VV-Mail/Inbox/${(req as { search: string }).search || 'all'}`]) }))));
    const { result, rerender } = renderHook(({ q }) => useLibrary(q), { initialProps: { q: '' } });
    rerender({ q: 'smith' });
    await waitFor(() => expect(pending).toHaveLength(2));
    await act(async () => {
      pending[1]?.(undefined); // the newer answer first
      pending[0]?.(undefined); // then the stale one, which must not win
    });
    await waitFor(() => expect(result.current.listing?.voicemails.map((v) => v.id)).toEqual(['VV-Mail/Inbox/smith']));
    expect(fake.calls.filter((c) => c.method === 'libraryList').map((c) => c.req)).toEqual([{ search: '' }, { search: 'smith' }]);
  });

  it('keeps the last listing and reports the error when listing fails; a notification click calls onOpen', async () => {
    let fail = false;
    fake.answer('libraryList', async () => (fail ? { ok: false, error: { code: 'fs.failed', message: 'disk', retryable: true } } : { ok: true, value: listing(['VV-Mail/Inbox/a'], false) }));
    const opened: string[] = [];
    const { result } = renderHook(() => useLibrary('', (id) => opened.push(id)));
    await waitFor(() => expect(result.current.listing?.live).toBe(false));
    fail = true;
    await act(() => result.current.refresh());
    expect(result.current.error?.code).toBe('fs.failed');
    expect(result.current.listing?.voicemails).toHaveLength(1);
    act(() => subscribers.open.forEach((l) => l({ id: 'VV-Mail/Inbox/a' })));
    expect(opened).toEqual(['VV-Mail/Inbox/a']);
  });

  it('actions call their channels with fresh op ids where the contract wants one', async () => {
    fake.answer('libraryList', async () => ({ ok: true, value: listing([]) }));
    const { result } = renderHook(() => useLibrary());
    await act(async () => {
      await result.current.setNote('VV-Mail/Inbox/a', 'call back');
      await result.current.markRead(['VV-Mail/Inbox/a'], true);
      await result.current.syncNow();
      await result.current.archiveThenDelete('all');
    });
    const byMethod = (m: string) => fake.calls.filter((c) => c.method === m).map((c) => c.req);
    expect(byMethod('librarySetNote')).toEqual([{ id: 'VV-Mail/Inbox/a', notes: 'call back' }]);
    expect(byMethod('libraryMarkRead')).toEqual([{ ids: ['VV-Mail/Inbox/a'], read: true }]);
    expect(byMethod('syncNow')).toEqual([{ opId: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
    expect(byMethod('libraryArchiveDelete')).toEqual([{ ids: 'all', opId: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
  });

  it('unsubscribes from every push on unmount', async () => {
    fake.answer('libraryList', async () => ({ ok: true, value: listing([]) }));
    const { unmount } = renderHook(() => useLibrary());
    await waitFor(() => expect(subscribers.changed.size).toBe(1));
    unmount();
    expect([subscribers.changed.size, subscribers.sync.size, subscribers.open.size]).toEqual([0, 0, 0]);
  });
});
