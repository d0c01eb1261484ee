// The preload bridge with a mocked Electron (contract tests are the one place Electron is mocked):
// one method per channel and nothing else, payload-only events, working unsubscribe.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS, methodName } from '../../../shared/ipc/channels.js';

type Listener = (event: unknown, payload: unknown) => void;
const exposed: Record<string, unknown> = {};
const invoked: unknown[][] = [];
const listeners = new Map<string, Set<Listener>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void (exposed[key] = value) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      invoked.push(args);
      return Promise.resolve({ ok: true, value: undefined });
    },
    on: (channel: string, l: Listener) => void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel))?.add(l),
    removeListener: (channel: string, l: Listener) => void listeners.get(channel)?.delete(l),
  },
}));

function emit(channel: string, payload: unknown): void {
  for (const l of listeners.get(channel) ?? []) l({ sender: 'the IpcRendererEvent must not leak' }, payload);
}

let api: Record<string, unknown>;
beforeAll(async () => {
  await import('../../../preload/index.js');
  api = exposed.api as Record<string, unknown>;
});

describe('preload', () => {
  it('exposes exactly one method per channel plus the two subscriptions, frozen', () => {
    expect(Object.keys(api).sort()).toEqual([...CHANNELS.map(methodName), 'onCardStatus', 'onLibraryChanged', 'onNotifyOpen', 'onProgress', 'onSyncStatus'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(api).not.toHaveProperty('invoke');
  });

  it.each(CHANNELS)('%s invokes its own channel with the one argument', async (channel) => {
    invoked.length = 0;
    const fn = api[methodName(channel)] as (req: unknown, extra?: unknown) => Promise<unknown>;
    await fn({ a: 1 }, 'ignored');
    expect(invoked).toEqual([[channel, { a: 1 }]]);
  });

  it('passes progress payloads of the subscribed operation only, without the event, until unsubscribed', () => {
    const seen: unknown[] = [];
    const off = (api.onProgress as (id: string, cb: (p: unknown) => void) => () => void)('op-1', (p) => seen.push(p));
    emit('op:progress', { opId: 'op-2', phase: 'x' });
    emit('op:progress', { opId: 'op-1', phase: 'download' });
    off();
    emit('op:progress', { opId: 'op-1', phase: 'late' });
    expect(seen).toEqual([{ opId: 'op-1', phase: 'download' }]);
    expect(listeners.get('op:progress')?.size ?? 0).toBe(0);
  });

  it('passes card status payloads until unsubscribed', () => {
    const seen: unknown[] = [];
    const off = (api.onCardStatus as (cb: (s: unknown) => void) => () => void)((s) => seen.push(s));
    emit('card:status', { state: 'ready' });
    off();
    emit('card:status', { state: 'absent' });
    expect(seen).toEqual([{ state: 'ready' }]);
  });

  it('passes library, sync status and notification-click events (payload only) until unsubscribed', () => {
    const seen: unknown[] = [];
    const offs = [
      (api.onLibraryChanged as (cb: () => void) => () => void)(() => seen.push('changed')),
      (api.onSyncStatus as (cb: (s: unknown) => void) => () => void)((s) => seen.push(s)),
      (api.onNotifyOpen as (cb: (e: unknown) => void) => () => void)((e) => seen.push(e)),
    ];
    emit('library:changed', {});
    emit('sync:status', { state: 'syncing' });
    emit('notify:open', { id: 'VV-Mail/Inbox/1' });
    for (const off of offs) off();
    emit('library:changed', {});
    emit('notify:open', { id: 'VV-Mail/Inbox/2' });
    expect(seen).toEqual(['changed', { state: 'syncing' }, { id: 'VV-Mail/Inbox/1' }]);
  });
});
