// "Stuck in demo": the desktop started in demo mode because no card was found; a SIM inserted later
// must end the demo (card:status pushes the change) without a restart. The demo session is the real
// demo mode (simulated SIM + carrier on loopback); the "real" card is a simulated UICC with PIN1 enabled
// behind a reader whose presence events the engine watches.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAudioEngine, openMstoreSession } from '../../../../main/app.js';
import { createDesktopPinSource } from '../../../../main/adapters/keychain/keychain-pin-source.js';
import { createMailbox } from '../../../../main/services/mailbox/mailbox.js';
import type { EngineCardStatus } from '../../../../main/services/mailbox/types.js';
import { memoryPinStore } from '../../../../main/web-harness/run.js';
import type { CardReaderPort } from '../../../../main/services/ports.js';
import { InProcessCardReader } from '../../../../main/sim/card/in-process-reader.js';
import { demoProfile } from '../../../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../../../main/sim/card/simulated-uicc.js';
import { defaultSettings } from '../../../../shared/settings.js';
import { until } from '../../../support/until.js';

let demoDir: string;
beforeEach(() => {
  demoDir = mkdtempSync(join(tmpdir(), 'vvm-demo-switch-'));
});
afterEach(() => rmSync(demoDir, { recursive: true, force: true }));

/** A smart card that is no SIM (a bank card, a security key): every command is "file not found". */
const NOT_A_SIM: CardReaderPort = {
  listReaders: async () => [{ name: 'Security key', cardPresent: true }],
  connect: async () => ({ protocol: 'T1', readerName: 'Security key', transmit: async () => Uint8Array.of(0x6a, 0x82), close: async () => {} }),
  watch: () => () => {},
  close: async () => {},
};

function setup(demoUntilCard: boolean, inserted: 'sim' | 'other' = 'sim') {
  const realCard = new SimulatedUicc(demoProfile({ pin: '2468', iccid: '8901260999999999990' }));
  const reader = new InProcessCardReader(realCard);
  reader.remove(); // no card at start: that is why the app is in demo mode
  const pinSource = createDesktopPinSource(memoryPinStore());
  const opened: boolean[] = [];
  const engine = createMailbox({
    open: (settings, demo) => {
      opened.push(demo);
      return openMstoreSession({
        settings,
        demo,
        env: { VVM_DEMO_DIR: demoDir },
        pinSource,
        readers: async () => (inserted === 'other' ? NOT_A_SIM : { listReaders: (sig) => reader.listReaders(sig), connect: (n, sig) => reader.connect(n, sig), watch: () => () => {}, close: async () => {} }),
      });
    },
    watchReaders: (l) => reader.watch(l),
    audio: createAudioEngine({ env: {} }),
    pinSource,
    settings: defaultSettings(),
    demo: true,
    demoUntilCard,
  });
  const pushed: EngineCardStatus[] = [];
  engine.watchCardStatus((s) => pushed.push(s));
  return { engine, reader, realCard, opened, pushed };
}

describe('mailbox: automatic demo ends when a card is inserted', () => {
  it('switches from the demo card to the inserted card, and the pushed status says so', async () => {
    const { engine, reader, realCard, opened, pushed } = setup(true);
    try {
      await engine.probe({});
      expect(engine.cardStatus()).toMatchObject({ state: 'ready', demo: true });
      const demoIccid = engine.cardStatus().iccid;

      reader.insert(realCard);
      // The real card has PIN1 enabled and no PIN is known: the window is asked for it.
      await until('the real card to report locked', () => engine.cardStatus().state === 'locked', 5000);
      expect(engine.cardStatus()).toMatchObject({ state: 'locked', demo: false, triesLeft: 3 });
      // The demo session, the look at the inserted card, the session on it.
      expect(opened).toEqual([true, false, false]);
      expect(pushed.at(-1)).toMatchObject({ state: 'locked', demo: false });

      await engine.unlock('2468', {});
      expect(engine.cardStatus()).toMatchObject({ state: 'ready', demo: false, iccid: '8901260999999999990' });
      expect(engine.cardStatus().iccid).not.toBe(demoIccid);
      // From now on the real card's presence counts: pulling it reports absent, still not demo.
      reader.remove();
      expect(engine.cardStatus()).toMatchObject({ state: 'absent', demo: false, iccid: null });
    } finally {
      await engine.close();
    }
  });

  it('a card that is no SIM leaves the demo running', async () => {
    const { engine, reader, realCard, opened } = setup(true, 'other');
    try {
      await engine.probe({});
      reader.insert(realCard); // the event; the reader port the engine opens holds the other card
      await until('the inserted card to be looked at', () => opened.length === 2, 5000);
      await new Promise((r) => setTimeout(r, 50));
      expect(engine.cardStatus()).toMatchObject({ state: 'ready', demo: true });
      expect(opened).toEqual([true, false]);
      expect((await engine.listVoicemails({})).length).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });

  it('a demo the user asked for (--demo) stays a demo when a card is inserted', async () => {
    const { engine, reader, realCard, opened } = setup(false);
    try {
      await engine.probe({});
      reader.insert(realCard);
      await engine.probe({});
      expect(engine.cardStatus()).toMatchObject({ state: 'ready', demo: true });
      expect(opened).toEqual([true]);
    } finally {
      await engine.close();
    }
  });
});
