// A fake window.api for component tests: every method records its request and answers from a table.
import type { Api, CardStatusValue, Channel, OpProgressValue, SyncStatusValue } from '../../shared/ipc/contract.js';
import { CHANNELS, methodName } from '../../shared/ipc/channels.js';

export interface FakeApi {
  api: Api;
  calls: { method: string; req: unknown }[];
  answer(method: string, fn: (req: unknown) => Promise<unknown>): void;
  emitProgress(p: OpProgressValue): void;
  /** Pushes a card:status event to every onCardStatus subscriber. */
  emitCardStatus(s: CardStatusValue): void;
  /** Pushes library:changed, sync:status and notify:open to their subscribers. */
  emitLibraryChanged(): void;
  emitSyncStatus(s: SyncStatusValue): void;
  emitNotifyOpen(id: string): void;
}

export function installFakeApi(): FakeApi {
  const calls: { method: string; req: unknown }[] = [];
  const answers = new Map<string, (req: unknown) => Promise<unknown>>();
  const progress = new Set<(p: OpProgressValue) => void>();
  const api: Record<string, unknown> = {};
  for (const c of CHANNELS as readonly Channel[]) {
    const m = methodName(c);
    api[m] = (req: unknown) => {
      calls.push({ method: m, req });
      return (answers.get(m) ?? (async () => ({ ok: true, value: undefined })))(req);
    };
  }
  api.onProgress = (opId: string, cb: (p: OpProgressValue) => void) => {
    const l = (p: OpProgressValue) => p.opId === opId && cb(p);
    progress.add(l);
    return () => progress.delete(l);
  };
  const cardStatus = new Set<(s: CardStatusValue) => void>();
  api.onCardStatus = (cb: (s: CardStatusValue) => void) => {
    cardStatus.add(cb);
    return () => cardStatus.delete(cb);
  };
  const libraryChanged = new Set<() => void>();
  const syncStatus = new Set<(s: SyncStatusValue) => void>();
  const notifyOpen = new Set<(e: { id: string }) => void>();
  api.onLibraryChanged = (cb: () => void) => {
    libraryChanged.add(cb);
    return () => libraryChanged.delete(cb);
  };
  api.onSyncStatus = (cb: (s: SyncStatusValue) => void) => {
    syncStatus.add(cb);
    return () => syncStatus.delete(cb);
  };
  api.onNotifyOpen = (cb: (e: { id: string }) => void) => {
    notifyOpen.add(cb);
    return () => notifyOpen.delete(cb);
  };
  Object.defineProperty(window, 'api', { value: api, configurable: true });
  return {
    api: api as unknown as Api,
    calls,
    answer: (m, fn) => void answers.set(m, fn),
    emitProgress: (p) => progress.forEach((l) => l(p)),
    emitCardStatus: (s) => cardStatus.forEach((l) => l(s)),
    emitLibraryChanged: () => libraryChanged.forEach((l) => l()),
    emitSyncStatus: (s) => syncStatus.forEach((l) => l(s)),
    emitNotifyOpen: (id) => notifyOpen.forEach((l) => l({ id })),
  };
}
