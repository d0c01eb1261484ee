// window.api for the loopback web harness (development and e2e tests only; never bundled into the app).
// The browser counterpart of preload/index.ts: one method per channel of shared/ipc/channels.ts, POSTing
// to /ipc/<channel>; events arrive over Server-Sent Events. The token travels in the HttpOnly cookie
// the harness set on the entry URL.
import { CHANNELS, methodName } from '../../shared/ipc/channels.js';
import { fromWire, toWire } from '../../shared/ipc/wire.js';

const clientId = crypto.randomUUID();
const progressListeners = new Set<(p: unknown) => void>();
const cardListeners = new Set<(s: unknown) => void>();

const events = new EventSource(`/events?client=${clientId}`);
events.addEventListener('op:progress', (e) => {
  const payload = fromWire((e as MessageEvent<string>).data);
  for (const l of progressListeners) l(payload);
});
events.addEventListener('card:status', (e) => {
  const payload = fromWire((e as MessageEvent<string>).data);
  for (const l of cardListeners) l(payload);
});

const otherListeners = new Map<string, Set<(p: unknown) => void>>();
for (const name of ['library:changed', 'sync:status', 'notify:open']) {
  otherListeners.set(name, new Set());
  events.addEventListener(name, (e) => {
    const payload = fromWire((e as MessageEvent<string>).data);
    for (const l of otherListeners.get(name) ?? []) l(payload);
  });
}
function subscribe(name: string, cb: (p: unknown) => void): () => void {
  otherListeners.get(name)?.add(cb);
  return () => void otherListeners.get(name)?.delete(cb);
}

async function call(channel: string, req: unknown): Promise<unknown> {
  try {
    const res = await fetch(`/ipc/${channel}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Client-Id': clientId }, body: toWire(req) });
    if (!res.ok) return { ok: false, error: { code: 'ipc.invalidRequest', message: `Harness refused the call (${res.status})`, retryable: false } };
    return fromWire(await res.text());
  } catch {
    return { ok: false, error: { code: 'net.offline', message: 'The harness is not reachable', retryable: true } };
  }
}

const api: Record<string, unknown> = {};
for (const channel of CHANNELS) api[methodName(channel)] = (req: unknown) => call(channel, req);
api.onProgress = (opId: string, cb: (p: unknown) => void) => {
  const l = (p: unknown) => {
    if (typeof p === 'object' && p !== null && 'opId' in p && p.opId === opId) cb(p);
  };
  progressListeners.add(l);
  return () => void progressListeners.delete(l);
};
api.onCardStatus = (cb: (s: unknown) => void) => {
  cardListeners.add(cb);
  return () => void cardListeners.delete(cb);
};
api.onLibraryChanged = (cb: () => void) => subscribe('library:changed', () => cb());
api.onSyncStatus = (cb: (s: unknown) => void) => subscribe('sync:status', cb);
api.onNotifyOpen = (cb: (e: unknown) => void) => subscribe('notify:open', cb);
Object.defineProperty(window, 'api', { value: Object.freeze(api), writable: false, configurable: false });
