// The sandboxed preload: exposes `window.api`, one method per channel of shared/ipc/channels.ts (no
// generic invoke), plus event subscriptions that pass the payload only, never the IpcRendererEvent.
// No business logic here. Bundled to a single CommonJS file by vite.preload.config.ts, because a
// sandboxed preload cannot load modules.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, methodName } from '../shared/ipc/channels.js';

const api: Record<string, unknown> = {};
for (const channel of CHANNELS) {
  // One argument, passed through as is; main validates it.
  api[methodName(channel)] = (req: unknown) => ipcRenderer.invoke(channel, req);
}

function isProgressFor(payload: unknown, opId: string): boolean {
  return typeof payload === 'object' && payload !== null && 'opId' in payload && payload.opId === opId;
}

api.onProgress = (opId: string, cb: (p: unknown) => void): (() => void) => {
  const listener = (_e: IpcRendererEvent, payload: unknown) => {
    if (isProgressFor(payload, opId)) cb(payload);
  };
  ipcRenderer.on('op:progress', listener);
  return () => void ipcRenderer.removeListener('op:progress', listener);
};

api.onCardStatus = (cb: (s: unknown) => void): (() => void) => {
  const listener = (_e: IpcRendererEvent, payload: unknown) => cb(payload);
  ipcRenderer.on('card:status', listener);
  return () => void ipcRenderer.removeListener('card:status', listener);
};

/** A push event without per-operation filtering: the payload only. */
function subscribe(name: string, cb: (payload: unknown) => void): () => void {
  const listener = (_e: IpcRendererEvent, payload: unknown) => cb(payload);
  ipcRenderer.on(name, listener);
  return () => void ipcRenderer.removeListener(name, listener);
}

api.onLibraryChanged = (cb: () => void): (() => void) => subscribe('library:changed', () => cb());
api.onSyncStatus = (cb: (s: unknown) => void): (() => void) => subscribe('sync:status', cb);
api.onNotifyOpen = (cb: (e: unknown) => void): (() => void) => subscribe('notify:open', cb);

contextBridge.exposeInMainWorld('api', Object.freeze(api));
