// Settings that only shape exports and reminders (LOCAL_ONLY_SETTINGS) are saved without touching the open
// card/GBA/server session: remembering the export folder after every export must not rebuild anything.
import { describe, expect, it } from 'vitest';
import { createAudioEngine, openMstoreSession } from '../../../../main/app.js';
import { createDesktopPinSource } from '../../../../main/adapters/keychain/keychain-pin-source.js';
import { createMailbox } from '../../../../main/services/mailbox/mailbox.js';
import { memoryPinStore } from '../../../../main/web-harness/run.js';
import { InProcessCardReader } from '../../../../main/sim/card/in-process-reader.js';
import { demoProfile } from '../../../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../../../main/sim/card/simulated-uicc.js';
import { defaultSettings, type Settings } from '../../../../shared/settings.js';

describe('local-only settings', () => {
  it('keep the open session; a setting that concerns the session rebuilds it', async () => {
    const reader = new InProcessCardReader(new SimulatedUicc(demoProfile({ pin: null })));
    const pinSource = createDesktopPinSource(memoryPinStore());
    let opened = 0;
    let reconfigured = 0;
    const saved: Settings[] = [];
    const mailbox = createMailbox({
      open: async (settings) => {
        opened++;
        const s = await openMstoreSession({ settings, demo: false, env: {}, pinSource, readers: async () => ({ listReaders: (sig) => reader.listReaders(sig), connect: (n, sig) => reader.connect(n, sig), watch: () => () => {}, close: async () => {} }) });
        const reconfigure = s.reconfigure?.bind(s);
        return reconfigure ? Object.assign(s, { reconfigure: (n: Settings) => (reconfigured++, reconfigure(n)) }) : s;
      },
      watchReaders: (l) => reader.watch(l),
      audio: createAudioEngine({ env: {} }),
      pinSource,
      settings: defaultSettings(),
      saveSettings: async (s) => void saved.push(s),
      demo: false,
    });
    try {
      await mailbox.cardInfo({});
      expect(opened).toBe(1);
      const withFolder = { ...mailbox.getSettings(), exportFolder: '/home/me/Voicemail', exportManifest: 'csv' as const, syncIntervalMinutes: 15 };
      await mailbox.setSettings(withFolder);
      expect(saved.at(-1)).toEqual(withFolder);
      expect({ opened, reconfigured }).toEqual({ opened: 1, reconfigured: 0 });
      await mailbox.cardInfo({});
      expect(opened).toBe(1);
      // The IMEI goes to the BSF: the session is rebuilt (on the same card session).
      await mailbox.setSettings({ ...withFolder, imei: '356938035643809' });
      expect(reconfigured).toBe(1);
    } finally {
      await mailbox.close();
    }
  });
});
