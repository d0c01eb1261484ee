// `node out/main/web-harness/run.js [--demo]`: starts the loopback web harness over the desktop engine
// (main/app.ts createDesktopBackend; demo mode when asked or when no reader has a card) and prints the
// entry URL. Development only. Build the renderer and the shim first: `npm run build:web`.
import { resolve } from 'node:path';
import type { PinStore } from '../adapters/keychain/keychain-pin-store.js';
import { startWebHarness, type WebHarness } from './server.js';
import { createDesktopBackend, createDesktopIpc } from '../app.js';
import { defaultSettings } from '../../shared/settings.js';
import { dataDir as appDataDir } from '../adapters/paths.js';
import { watchLibraryEvents } from '../ipc/library-implementations.js';
import { recordingNotifier, type RecordedNotice } from '../services/mailbox/notifications.js';

/** A PinStore in memory: the harness never writes to the developer's real keychain. */
export function memoryPinStore(): PinStore {
  const m = new Map<string, string>();
  return {
    get: async (iccid) => m.get(iccid) ?? null,
    set: async (iccid, pin) => void m.set(iccid, pin),
    delete: async (iccid) => m.delete(iccid),
  };
}

/**
 * Starts the harness over the desktop engine; paths default to the build output under `out/`. The
 * voicemail library lives in `dataDir` (default: the app's data folder, shared with the CLI); its
 * notifications are recorded (`notifications`), not shown.
 */
export async function startDevHarness(demo: boolean | 'auto', outDir = resolve('out'), dataDir: string | null = appDataDir(process.env)): Promise<WebHarness & { demo: boolean; notifications: RecordedNotice[] }> {
  const notifier = recordingNotifier();
  const backend = await createDesktopBackend({ env: process.env, settings: defaultSettings(), demo, pins: memoryPinStore(), notifier, ...(dataDir !== null && { dataDir }) });
  const { library } = backend;
  const { dispatcher, feed, media } = createDesktopIpc(backend, {
    chooseExportDirectory: async () => resolve(outDir, 'harness-export'),
    onInternal: (channel, e) => console.error(`internal error on ${channel}:`, e),
  });
  const harness = await startWebHarness({
    dispatcher,
    rendererDir: resolve(outDir, 'renderer'),
    shimFile: resolve(outDir, 'web-harness', 'api-shim.js'),
    watchCardStatus: (push) => feed.watch(push),
    ...(library && { watchEvents: (push) => watchLibraryEvents(library, { changed: () => push('library:changed', {}), syncStatus: (s) => push('sync:status', s) }) }),
    audio: (id) => media.get(id),
  });
  return {
    ...harness,
    demo: backend.demo,
    notifications: notifier.recorded,
    async close() {
      await harness.close();
      feed.close();
      await backend.close();
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href) {
  const h = await startDevHarness(process.argv.includes('--demo') ? true : 'auto');
  console.log(`VVM Desk web harness${h.demo ? ' (demo mode)' : ''}: ${h.entryUrl}`);
  process.on('SIGINT', () => void h.close().then(() => process.exit(0)));
}
