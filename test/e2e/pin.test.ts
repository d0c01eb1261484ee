// The SIM PIN dialog in Chromium against the real engine: a PIN-protected simulated SIM in the
// in-process reader, the demo carrier (simulated BSF + relay) on loopback, the real card service, GBA,
// mstore client and keychain policy (with an in-memory store standing in for the OS keychain).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { memoryPinStore } from '../../main/web-harness/run.js';
import type { WebHarness } from '../../main/web-harness/server.js';
import { openWindow, pinnedSimMailbox, SCREENSHOTS, type E2eWindow, type PinnedSimMailbox } from './support.js';

const SIM_PIN = '2468';

describe('SIM PIN dialog e2e', () => {
  let win: E2eWindow | undefined;
  let harness: WebHarness | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let engine: PinnedSimMailbox['engine'] | undefined;
  const pins = memoryPinStore();

  beforeAll(async () => {
    win = await openWindow('vvm-e2e-pin-', async (work) => {
      // The demo subscriber's keys, with PIN1 enabled.
      const served = await pinnedSimMailbox(work, SIM_PIN, pins);
      engine = served.engine;
      return served;
    });
    ({ harness, page, pageErrors } = win);
  }, 120_000);

  afterAll(async () => {
    await win?.close();
  });

  it('asks for the PIN, reports a wrong one with the tries left, unlocks and remembers the right one', async () => {
    if (!harness) throw new Error('harness not started');
    await page.goto(harness.entryUrl);
    const input = page.getByTestId('pin-input');
    await input.waitFor();
    expect(await page.getByTestId('card-status').getAttribute('data-state')).toBe('locked');
    expect(await page.getByTestId('card-advice').textContent()).toContain('locked');
    expect(await page.getByText('3 attempts left').count()).toBe(1);

    await input.fill('1111');
    await page.getByTestId('pin-submit').click();
    await page.getByText('2 attempts left').waitFor();
    expect(await page.locator('[data-code="card.pinWrong"]').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'pin-dialog.png'), animations: 'disabled' });

    await input.fill(SIM_PIN);
    await page.getByLabel('Remember in the system keychain').check();
    await page.getByTestId('pin-submit').click();
    await expect.poll(() => page.getByTestId('card-status').getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('card-status').textContent()).toContain('PIN remembered');
    await expect.poll(() => page.getByTestId('voicemail-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('pin-input').count()).toBe(0);

    const iccid = engine?.cardStatus().iccid ?? '';
    expect(await pins.get(iccid)).toBe(SIM_PIN);
  });

  it('logged no script error and no CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
