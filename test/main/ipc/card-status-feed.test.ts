// card:status pushes and the keychain flag: the card turns ready during card:unlock (one push, before
// the PIN is stored); the feed must push again once it is stored, or the window's "PIN remembered" is
// overwritten by the earlier push (seen as a flaky e2e). Same for pin:forget.
import { describe, expect, it } from 'vitest';
import { createAudioEngine, openMstoreSession } from '../../../main/app.js';
import { createDesktopPinSource } from '../../../main/adapters/keychain/keychain-pin-source.js';
import { createMailbox } from '../../../main/services/mailbox/mailbox.js';
import { createDispatcher } from '../../../main/ipc/dispatch.js';
import { createCardStatusFeed, createImplementations } from '../../../main/ipc/implementations.js';
import { memoryPinStore } from '../../../main/web-harness/run.js';
import { InProcessCardReader } from '../../../main/sim/card/in-process-reader.js';
import { demoProfile } from '../../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../../main/sim/card/simulated-uicc.js';
import type { CardStatusValue } from '../../../shared/ipc/contract.js';
import { defaultSettings } from '../../../shared/settings.js';

async function settled(): Promise<void> {
  // Let the feed's queue (keychain look-ups) drain.
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
}

describe('card status feed', () => {
  it('the last push after unlock-and-remember says pinStored, and after pin:forget says not', async () => {
    const reader = new InProcessCardReader(new SimulatedUicc(demoProfile({ pin: '2468' })));
    const pins = memoryPinStore();
    const pinSource = createDesktopPinSource(pins);
    const engine = createMailbox({
      open: (settings) => openMstoreSession({ settings, demo: false, env: {}, pinSource, readers: async () => reader }),
      audio: createAudioEngine({ env: {} }),
      pinSource,
      settings: defaultSettings(),
      demo: false,
    });
    const feed = createCardStatusFeed(engine, pins);
    const pushed: CardStatusValue[] = [];
    feed.watch((s) => pushed.push(s));
    const d = createDispatcher(createImplementations(engine, pins, { chooseExportDirectory: async () => null, cardStatusChanged: () => feed.changed() }));
    try {
      await d.dispatch('card:status', {}, () => {});
      const unlocked = await d.dispatch('card:unlock', { pin: '2468', remember: true, opId: crypto.randomUUID() }, () => {});
      expect(unlocked).toMatchObject({ ok: true, value: { state: 'ready', pinStored: true } });
      await settled();
      expect(pushed.at(-1)).toMatchObject({ state: 'ready', pinStored: true });

      expect(await d.dispatch('pin:forget', {}, () => {})).toMatchObject({ ok: true });
      await settled();
      expect(pushed.at(-1)).toMatchObject({ state: 'ready', pinStored: false });
    } finally {
      feed.close();
      await engine.close();
    }
  });
});
