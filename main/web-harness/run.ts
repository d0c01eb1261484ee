// `node out/main/web-harness/run.js`: starts the loopback web harness over the stand-in demo engine and
// prints the entry URL (development only). Build the renderer and the shim first: `npm run build:web`.
import { resolve } from 'node:path';
import { createDispatcher } from '../ipc/dispatch.js';
import { createImplementations, publicCardStatus } from '../ipc/implementations.js';
import type { PinStore } from '../adapters/keychain/keychain-pin-store.js';
import { startWebHarness, type WebHarness } from './server.js';
import { createStandInEngine } from './stand-in-engine.js';

/** A PinStore in memory: the harness never writes to the developer's real keychain. */
export function memoryPinStore(): PinStore {
  const m = new Map<string, string>();
  return {
    get: async (iccid) => m.get(iccid) ?? null,
    set: async (iccid, pin) => void m.set(iccid, pin),
    delete: async (iccid) => m.delete(iccid),
  };
}

/** Starts the harness with the stand-in engine; paths default to the build output under `out/`. */
export async function startDemoHarness(outDir = resolve('out')): Promise<WebHarness> {
  const engine = createStandInEngine();
  const pins = memoryPinStore();
  const dispatcher = createDispatcher(createImplementations(engine, pins, { chooseExportDirectory: async () => resolve(outDir, 'harness-export') }), {
    onInternal: (channel, e) => console.error(`internal error on ${channel}:`, e),
  });
  return startWebHarness({
    dispatcher,
    rendererDir: resolve(outDir, 'renderer'),
    shimFile: resolve(outDir, 'web-harness', 'api-shim.js'),
    watchCardStatus: (push) => engine.watchCardStatus((s) => void publicCardStatus(engine, pins, s).then(push)),
  });
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href) {
  const h = await startDemoHarness();
  console.log(`VVM Desk web harness (stand-in demo engine): ${h.entryUrl}`);
  process.on('SIGINT', () => void h.close().then(() => process.exit(0)));
}
