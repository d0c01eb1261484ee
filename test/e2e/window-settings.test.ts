// Settings round trip in Chromium against the real engine with a PIN-protected SIM: the PIN is typed
// once (not remembered), settings that do not concern the card are changed and saved, and the card stays
// unlocked: no PIN dialog, the Diagnostics steps pass over the same card session, and the settings are
// what main keeps. The carrier is the demo's simulated BSF and relay on loopback; the card is the
// simulated UICC in the in-process reader, which resets the card on every new connection as a power-up
// does, so a reopened card would ask for its PIN again.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoCarrier } from '../../main/app.js';
import { memoryPinStore } from '../../main/web-harness/run.js';
import type { WebHarness } from '../../main/web-harness/server.js';
import type { Settings } from '../../shared/settings.js';
import { openWindow, pinnedSimMailbox, SCREENSHOTS, type E2eWindow, type PinnedSimMailbox } from './support.js';

const SIM_PIN = '2468';

describe('settings round trip without a PIN prompt (Chromium + web harness)', () => {
  let win: E2eWindow | undefined;
  let carrier: DemoCarrier | undefined;
  let harness: WebHarness | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let engine: PinnedSimMailbox['engine'] | undefined;
  let verifies = 0;
  const saved: Settings[] = [];

  beforeAll(async () => {
    win = await openWindow('vvm-e2e-settings-', async (work) => {
      const served = await pinnedSimMailbox(work, SIM_PIN, memoryPinStore(), {
        // Counts every time the card asks for its PIN (the SIM verifying it again).
        onGetPin: () => void verifies++,
        saveSettings: async (s) => void saved.push(s),
      });
      carrier = served.carrier;
      engine = served.engine;
      return served;
    });
    ({ harness, page, pageErrors } = win);
  }, 120_000);

  afterAll(async () => {
    await win?.close();
  });

  it('saves every kind of setting and the SIM stays unlocked', async () => {
    if (!harness || !engine) throw new Error('harness not started');
    await page.goto(harness.entryUrl);
    const input = page.getByTestId('pin-input');
    await input.fill(SIM_PIN);
    await page.getByTestId('pin-submit').click();
    await expect.poll(() => page.getByTestId('card-status').getAttribute('data-state')).toBe('ready');
    await expect.poll(() => page.getByTestId('voicemail-row').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const asked = verifies;

    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('IMEI sent to the BSF').fill('356938035643809');
    await page.getByLabel('Reuse a GBA bootstrap while it is valid').check();
    await page.getByLabel('Read timeout (s)').fill('45');
    await page.getByLabel('NAF name override').fill('');
    await page.getByTestId('settings-save').click();
    await page.getByText('Saved. The next request uses these settings.').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'window-settings-saved.png'), animations: 'disabled' });
    expect(saved.at(-1)).toMatchObject({ imei: '356938035643809', reuseBootstrap: true, readTimeoutMs: 45_000, server: carrier?.relay.url });
    expect(engine.getSettings()).toEqual(saved.at(-1));

    // The card is used again at once, over the new settings: every diagnostics step passes.
    await page.getByRole('tab', { name: 'Diagnostics' }).click();
    await page.getByTestId('diagnostics-run').click();
    await page.getByTestId('diagnostics-ok').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-step="pin"]').textContent()).toContain('entered');
    // The account tab reads the SIM and the profile with the new settings too.
    await page.getByRole('tab', { name: 'Account' }).click();
    await expect.poll(() => page.getByTestId('sim-details').textContent(), { timeout: 15_000 }).toContain(carrier?.card.profile.iccid ?? 'no iccid');
    await expect.poll(() => page.getByTestId('sim-pin').textContent()).toBe('entered');

    // Never asked again: no dialog, the card never wanted its PIN after the one entry.
    expect(await page.getByTestId('pin-input').count()).toBe(0);
    expect(await page.getByTestId('card-status').getAttribute('data-state')).toBe('ready');
    expect(verifies).toBe(asked);

    // A wrong value is named by its label, and nothing is saved.
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Voicemail server').selectOption('custom');
    await page.getByLabel('Server address (mStoreRelay)').fill('ftp://relay.example/');
    const count = saved.length;
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-invalid').textContent()).toBe('Check these values: Voicemail server');
    expect(saved.length).toBe(count);
  });

  it('logged no script error and no CSP violation', () => {
    // The refused save answers with an ipc.invalidRequest Result, not an HTTP error.
    expect(pageErrors).toEqual([]);
  });
});
