// The desktop backend's card presence over the real PC/SC stack: pcscd with the vpcd virtual reader and
// the simulated ISIM attached to it (test/support/pcscd.ts holds the machine-wide vpcd lock meanwhile).
// Insert -> the backend's own PC/SC watcher notices and the pushed card:status says ready -> card:info
// through pcscd -> remove -> the pushed status says absent. And the "stuck in demo" case: started in
// automatic demo mode because the reader was empty, a card inserted later ends the demo.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopBackend, type DesktopBackend } from '../../main/app.js';
import { createDispatcher, type Dispatcher } from '../../main/ipc/dispatch.js';
import { createCardStatusFeed, createImplementations } from '../../main/ipc/implementations.js';
import { memoryPinStore } from '../../main/web-harness/run.js';
import { demoProfile } from '../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import type { CardStatusValue } from '../../shared/ipc/contract.js';
import { defaultSettings } from '../../shared/settings.js';
import { startPcscd, VPCD_READERS, type PcscdHarness } from '../support/pcscd.js';

const READER = VPCD_READERS[0];
const op = () => crypto.randomUUID();

let pcsc: PcscdHarness;
let dir: string;

beforeAll(async () => {
  pcsc = await startPcscd();
  // Both slots empty: the tests decide when a card is inserted.
  await pcsc.waitAbsent(0);
  await pcsc.waitAbsent(1);
  dir = mkdtempSync(join(tmpdir(), 'vvm-desktop-pcsc-'));
}, 240_000);
afterAll(async () => {
  await pcsc?.release();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The backend as electron-main builds it, with the renderer's view of card:status pushes. */
async function desktop(demo: boolean | 'auto'): Promise<{ backend: DesktopBackend; d: Dispatcher; pushed: CardStatusValue[]; stop: () => void }> {
  const backend = await createDesktopBackend({ env: { ...process.env, VVM_DEMO_DIR: join(dir, 'demo') }, settings: { ...defaultSettings(), reader: READER }, demo, pins: memoryPinStore() });
  const feed = createCardStatusFeed(backend.engine, backend.pins);
  const d = createDispatcher(createImplementations(backend.engine, backend.pins, { chooseExportDirectory: async () => null, cardStatusChanged: () => feed.changed() }), { onInternal: (_c, e) => console.error(e) });
  const pushed: CardStatusValue[] = [];
  feed.watch((p) => pushed.push(p));
  return { backend, d, pushed, stop: () => feed.close() };
}

async function pushedUntil(pushed: CardStatusValue[], what: string, match: (s: CardStatusValue) => boolean, timeoutMs = 15_000): Promise<CardStatusValue> {
  const start = Date.now();
  for (;;) {
    const hit = pushed.find(match);
    if (hit) return hit;
    if (Date.now() - start > timeoutMs) throw new Error(`no card:status push ${what} within ${timeoutMs} ms; pushed: ${JSON.stringify(pushed)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('desktop card presence through pcscd + vpcd', () => {
  it('insert -> status ready (pushed, no polling) -> card:info over PC/SC -> remove -> status absent', async () => {
    const { backend, d, pushed, stop } = await desktop(false);
    try {
      expect(await d.dispatch('card:status', {}, () => {})).toMatchObject({ ok: true, value: { state: 'absent', demo: false } });
      pushed.length = 0;

      const att = await pcsc.attach(new SimulatedUicc(demoProfile()), 0);
      // Only the backend's PC/SC watcher can have produced this: nobody asked for the status.
      const ready = await pushedUntil(pushed, 'ready', (s) => s.state === 'ready');
      expect(ready).toMatchObject({ state: 'ready', reader: READER, demo: false });

      const info = await d.dispatch('card:info', { opId: op() }, () => {});
      expect(info).toMatchObject({ ok: true, value: { reader: READER, app: 'ISIM', impi: '310260123456789@msg.pc.t-mobile.com', msisdn: '+12065550100' } });
      expect(att.apduCount).toBeGreaterThan(0);

      pushed.length = 0;
      await att.remove();
      await pushedUntil(pushed, 'absent', (s) => s.state === 'absent');
      expect(backend.engine.cardStatus()).toMatchObject({ state: 'absent', iccid: null });
      await pcsc.waitAbsent(0);
      const after = await d.dispatch('card:info', { opId: op() }, () => {});
      expect(after).toMatchObject({ ok: false, error: { code: 'card.absent' } });
    } finally {
      stop();
      await backend.close();
    }
  }, 90_000);

  it('automatic demo (empty reader at start) ends when a card is inserted', async () => {
    const { backend, d, pushed, stop } = await desktop('auto');
    try {
      expect(backend.demo).toBe(true);
      expect(await d.dispatch('card:status', {}, () => {})).toMatchObject({ ok: true, value: { state: 'ready', demo: true } });

      const att = await pcsc.attach(new SimulatedUicc(demoProfile({ iccid: '8901260999999999990' })), 0);
      const real = await pushedUntil(pushed, 'ready on the real card', (s) => s.state === 'ready' && !s.demo);
      expect(real).toMatchObject({ reader: READER, demo: false });
      expect(backend.demo).toBe(false);
      const info = await d.dispatch('card:info', { opId: op() }, () => {});
      expect(info).toMatchObject({ ok: true, value: { reader: READER } });
      expect(backend.engine.cardStatus().iccid).toBe('8901260999999999990');
      await att.remove();
      await pushedUntil(pushed, 'absent after the removal', (s) => s.state === 'absent' && !s.demo);
    } finally {
      stop();
      await backend.close();
    }
  }, 90_000);
});
