// The SIM PIN path of the desktop end to end in-process: the PIN dialog's channel (card:unlock), the
// real card service against the simulated UICC with PIN1 enabled, and the keychain policy (stored only
// when asked and accepted; a stored PIN the card refuses is deleted, never retried).
import { describe, expect, it } from 'vitest';
import { createAudioEngine, openMstoreSession } from '../../../main/app.js';
import { createDesktopPinSource } from '../../../main/adapters/keychain/keychain-pin-source.js';
import { createMailbox } from '../../../main/services/mailbox/mailbox.js';
import { createDispatcher } from '../../../main/ipc/dispatch.js';
import { createImplementations } from '../../../main/ipc/implementations.js';
import { memoryPinStore } from '../../../main/web-harness/run.js';
import type { PinStore } from '../../../main/adapters/keychain/keychain-pin-store.js';
import { AppConfigError } from '../../../main/errors.js';
import { DEMO_READER_NAME, InProcessCardReader } from '../../../main/sim/card/in-process-reader.js';
import { demoProfile } from '../../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../../main/sim/card/simulated-uicc.js';
import { defaultSettings } from '../../../shared/settings.js';

const op = () => crypto.randomUUID();

function setup(pin: string | null, pins: PinStore = memoryPinStore()) {
  const card = new SimulatedUicc(demoProfile({ pin }));
  const reader = new InProcessCardReader(card);
  const pinSource = createDesktopPinSource(pins);
  const engine = createMailbox({
    // Each session gets its own handle on the reader (closing it must not end the presence watch),
    // as the desktop backend gives the watcher its own PC/SC context.
    open: (settings) =>
      openMstoreSession({ settings, demo: false, env: {}, pinSource, readers: async () => ({ listReaders: (sig) => reader.listReaders(sig), connect: (n, sig) => reader.connect(n, sig), watch: () => () => {}, close: async () => {} }) }),
    watchReaders: (l) => reader.watch(l),
    audio: createAudioEngine({ env: {} }),
    pinSource,
    settings: defaultSettings(),
    demo: false,
  });
  const d = createDispatcher(createImplementations(engine, pins, { chooseExportDirectory: async () => null }));
  return { d, pins, engine, reader, card };
}

describe('SIM PIN flow', () => {
  it('a locked card reports locked; a wrong PIN costs one try and is not stored; the right one unlocks and is remembered', async () => {
    const { d, pins, engine } = setup('2468');
    try {
      expect(await d.dispatch('card:status', {}, () => {})).toMatchObject({ ok: true, value: { state: 'locked', pinStored: false, triesLeft: 3 } });

      const wrong = await d.dispatch('card:unlock', { pin: '1111', remember: true, opId: op() }, () => {});
      expect(wrong).toMatchObject({ ok: false, error: { code: 'card.pinWrong' } });
      expect(JSON.stringify(wrong)).not.toContain('1111');
      expect(engine.cardStatus()).toMatchObject({ state: 'locked', triesLeft: 2 });

      const right = await d.dispatch('card:unlock', { pin: '2468', remember: true, opId: op() }, () => {});
      expect(right).toMatchObject({ ok: true, value: { state: 'ready', pinStored: true } });
      const iccid = engine.cardStatus().iccid;
      expect(iccid).not.toBeNull();
      expect(await pins.get(iccid ?? '')).toBe('2468');
    } finally {
      await engine.close();
    }
  });

  it('does not remember the PIN unless asked', async () => {
    const { d, pins, engine } = setup('2468');
    try {
      expect(await d.dispatch('card:unlock', { pin: '2468', remember: false, opId: op() }, () => {})).toMatchObject({ ok: true, value: { state: 'ready', pinStored: false } });
      expect(await pins.get(engine.cardStatus().iccid ?? '')).toBeNull();
    } finally {
      await engine.close();
    }
  });

  it('unlocks with the stored PIN by itself, and deletes a stored PIN the card refuses', async () => {
    const { d, pins, engine } = setup('2468');
    try {
      await d.dispatch('card:unlock', { pin: '2468', remember: true, opId: op() }, () => {});
      const iccid = engine.cardStatus().iccid ?? '';
      // A new card session (another reader setting) verifies with the keychain PIN without asking.
      await d.dispatch('settings:set', { settings: { ...defaultSettings(), reader: DEMO_READER_NAME } }, () => {});
      expect(await d.dispatch('card:info', { opId: op() }, () => {})).toMatchObject({ ok: true });
      expect(await d.dispatch('card:status', {}, () => {})).toMatchObject({ ok: true, value: { state: 'ready', pinStored: true } });

      // A stored PIN the card refuses is deleted at once; the user is asked again.
      await pins.set(iccid, '1357');
      await d.dispatch('settings:set', { settings: defaultSettings() }, () => {});
      expect(await d.dispatch('card:info', { opId: op() }, () => {})).toMatchObject({ ok: false, error: { code: 'card.pinWrong' } });
      expect(await pins.get(iccid)).toBeNull();
      expect(await d.dispatch('card:status', {}, () => {})).toMatchObject({ ok: true, value: { state: 'locked', pinStored: false, triesLeft: 2 } });
    } finally {
      await engine.close();
    }
  });

  it('saving settings that do not concern the card keeps it unlocked: the PIN is not asked again (issue 10)', async () => {
    const { d, engine } = setup('2468');
    try {
      // Not remembered: a reopened card would have nothing to verify with and would be locked again.
      expect(await d.dispatch('card:unlock', { pin: '2468', remember: false, opId: op() }, () => {})).toMatchObject({ ok: true, value: { state: 'ready', pinStored: false } });
      const changed = { ...defaultSettings(), imei: '356938035643809', reuseBootstrap: true, readTimeoutMs: 30_000 };
      expect(await d.dispatch('settings:set', { settings: changed }, () => {})).toMatchObject({ ok: true, value: changed });
      expect(await d.dispatch('card:info', { opId: op() }, () => {})).toMatchObject({ ok: true, value: { pin: { enabled: true, verified: true } } });
      expect(await d.dispatch('card:status', {}, () => {})).toMatchObject({ ok: true, value: { state: 'ready' } });
      expect(engine.getSettings()).toEqual(changed);

      // Another reader is another card: that one is opened afresh and asks.
      await d.dispatch('settings:set', { settings: { ...changed, reader: DEMO_READER_NAME } }, () => {});
      expect(await d.dispatch('card:info', { opId: op() }, () => {})).toMatchObject({ ok: false, error: { code: 'card.pinRequired' } });
      expect(await d.dispatch('card:status', {}, () => {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    } finally {
      await engine.close();
    }
  });

  it('diagnostics:run reports each step as progress while it runs, over the open card session', async () => {
    const { d, engine } = setup('2468');
    try {
      await d.dispatch('card:unlock', { pin: '2468', remember: false, opId: op() }, () => {});
      const phases: string[] = [];
      const r = await d.dispatch('diagnostics:run', { opId: op() }, (p) => phases.push(`${p.phase}/${p.done}/${p.total}`));
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      // The PIN entered in the dialog carries: no step asks for it again.
      expect(r.value.steps.find((x) => x.id === 'pin')).toMatchObject({ status: 'ok', detail: 'entered' });
      expect(phases[0]).toBe(`service:running/0/${r.value.steps.length}`);
      expect(phases).toContain(`service:ok/1/${r.value.steps.length}`);
      expect(phases.filter((x) => x.includes(':running')).length).toBeGreaterThan(3);
      expect(r.value.requests.length).toBeGreaterThanOrEqual(0);
    } finally {
      await engine.close();
    }
  });

  it('lists the readers with card presence for the reader picker', async () => {
    const { d, engine, reader } = setup(null);
    try {
      expect(await d.dispatch('card:readers', { opId: op() }, () => {})).toEqual({ ok: true, value: [{ name: DEMO_READER_NAME, cardPresent: true }] });
      reader.remove();
      expect(await d.dispatch('card:readers', { opId: op() }, () => {})).toEqual({ ok: true, value: [{ name: DEMO_READER_NAME, cardPresent: false }] });
    } finally {
      await engine.close();
    }
  });

  it('unlocks even when the keychain cannot store the PIN, and says it is not stored', async () => {
    const locked: PinStore = {
      get: async () => null,
      set: async () => {
        throw new AppConfigError('keychain.unavailable', 'The system keychain is not available');
      },
      delete: async () => false,
    };
    const { d, engine } = setup('2468', locked);
    try {
      expect(await d.dispatch('card:unlock', { pin: '2468', remember: true, opId: op() }, () => {})).toMatchObject({ ok: true, value: { state: 'ready', pinStored: false } });
    } finally {
      await engine.close();
    }
  });

  it('follows the card: a pull makes it absent at once, an insert opens it again', async () => {
    const { d, engine, reader, card } = setup(null);
    const seen: string[] = [];
    engine.watchCardStatus((s) => seen.push(s.state));
    try {
      expect(await d.dispatch('card:status', {}, () => {})).toMatchObject({ ok: true, value: { state: 'ready' } });
      reader.remove();
      expect(engine.cardStatus()).toMatchObject({ state: 'absent', iccid: null });
      expect(await d.dispatch('card:info', { opId: op() }, () => {})).toMatchObject({ ok: false, error: { code: 'card.absent' } });
      reader.insert(card);
      await expect.poll(() => engine.cardStatus().state).toBe('ready');
      expect(seen).toEqual(['ready', 'absent', 'ready']);
    } finally {
      await engine.close();
    }
  });

  it('one operation cancelled while the card opens does not fail the others waiting for it', async () => {
    const { d, engine } = setup(null);
    try {
      const a = op();
      const first = d.dispatch('card:info', { opId: a }, () => {});
      const second = d.dispatch('card:info', { opId: op() }, () => {});
      await d.dispatch('op:cancel', { opId: a }, () => {});
      expect(await first).toMatchObject({ ok: false, error: { code: 'op.cancelled' } });
      expect(await second).toMatchObject({ ok: true });
      expect(engine.cardStatus().state).toBe('ready');
    } finally {
      await engine.close();
    }
  });

  it('never stores a PIN the card did not check (PIN disabled)', async () => {
    const { d, pins, engine } = setup(null);
    try {
      expect(await d.dispatch('card:unlock', { pin: '1234', remember: true, opId: op() }, () => {})).toMatchObject({ ok: true, value: { state: 'ready', pinStored: false } });
      expect(await d.dispatch('pin:store', { pin: '1234' }, () => {})).toMatchObject({ ok: false, error: { code: 'config.invalid' } });
      expect(await pins.get(engine.cardStatus().iccid ?? '')).toBeNull();
    } finally {
      await engine.close();
    }
  });

  it('pin:store keeps a PIN the card verified', async () => {
    const { d, pins, engine } = setup('2468');
    try {
      expect(await d.dispatch('pin:store', { pin: '2468' }, () => {})).toMatchObject({ ok: true });
      expect(await pins.get(engine.cardStatus().iccid ?? '')).toBe('2468');
    } finally {
      await engine.close();
    }
  });
});
