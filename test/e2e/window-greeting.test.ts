// Recording a greeting in Chromium with its fake microphone (speech from espeak-ng, looped) against the
// demo engine: the level meter moves with the voice, the last 10 s before the carrier's 100 s limit
// count down, the limit stops the take and says so, and the greeting goes up with the subject the user
// gave it. Page time runs on Playwright's clock, so the 100 s pass in a moment; MediaRecorder records
// the real seconds in between.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { WebHarness } from '../../main/web-harness/server.js';
import type { DesktopBackend } from '../../main/app.js';
import { demoBackend, fakeMicrophone, need, openWindow, SCREENSHOTS, type E2eWindow } from './support.js';

describe('greeting recorder e2e: level meter, countdown, the 100 s cut (Chromium + fake microphone)', () => {
  let win: E2eWindow | undefined;
  let harness: WebHarness;
  let page: Page;
  let backend: DesktopBackend | undefined;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    need('espeak-ng', 'apt-get install -y espeak-ng');
    need('sox', 'apt-get install -y sox');
    win = await openWindow('vvm-e2e-greeting-', async (work) => {
      // Chromium's fake capture loops this file: speech, then a second of silence.
      const chromiumArgs = fakeMicrophone(work, 'Hello, this is the desk. Please leave a message.', '0');
      const b = (backend = await demoBackend(work));
      return { engine: b.engine, pins: b.pins, chromiumArgs, close: () => b.close() };
    });
    ({ harness, page, pageErrors } = win);
  }, 120_000);

  afterAll(async () => {
    await win?.close();
  });

  it('meter, countdown and cut while recording; the subject goes up with the greeting', async () => {
    if (!backend) throw new Error('no backend');
    await page.clock.install();
    await page.goto(harness.entryUrl);
    await expect.poll(() => page.getByTestId('card-status').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    await page.getByRole('tab', { name: 'Greetings' }).click();
    await page.getByTestId('record-start').click();
    await page.getByTestId('record-stop').waitFor();

    // The meter follows the microphone: the speech lifts it well above silence at some point.
    const levels: number[] = [];
    await expect
      .poll(
        async () => {
          levels.push(Number(await page.getByTestId('mic-level').getAttribute('data-level')));
          return Math.max(...levels);
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBeGreaterThan(0.05);
    expect(await page.getByTestId('mic-level').getAttribute('aria-label')).toBe('Microphone level');
    // No countdown yet.
    expect(await page.getByTestId('record-countdown').count()).toBe(0);

    // 92 s in: the countdown shows the seconds left.
    await page.clock.fastForward('01:32');
    await expect.poll(() => page.getByTestId('record-countdown').textContent()).toMatch(/^Stops in [1-8] s/);
    await page.screenshot({ path: join(SCREENSHOTS, 'window-greeting-countdown.png'), animations: 'disabled' });

    // At 100 s the recorder stops by itself and says why.
    await page.clock.fastForward('00:09');
    await page.getByTestId('record-cut').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('record-cut').textContent()).toContain('100-second limit');
    expect(await page.getByTestId('record-elapsed').textContent()).toBe('1:40 / 1:40');
    expect(await page.getByTestId('record-stop').count()).toBe(0);

    // A subject of the user's, no silence trimming (the take is real seconds of looped speech).
    await page.getByTestId('record-subject').locator('input').fill('Desk hours');
    await page.getByLabel(/Trim silence/).uncheck();
    const before = (await backend.engine.listGreetings({})).length;
    await page.getByTestId('record-upload').click();
    await page.getByTestId('upload-done').waitFor({ timeout: 60_000 });
    const after = await backend.engine.listGreetings({});
    expect(after.length).toBe(before + 1);
    const mine = after.find((g) => g.subject === 'Desk hours');
    expect(mine?.active).toBe(true);
    await expect.poll(() => page.getByTestId('greeting-list').textContent()).toContain('Desk hours');

    // A new take right after an upload asks nothing and clears the old success note.
    await page.getByTestId('record-start').click();
    await page.getByTestId('record-stop').waitFor();
    expect(await page.getByTestId('upload-done').count()).toBe(0);
    await page.getByTestId('record-stop').click();
    await page.getByTestId('record-upload').waitFor();
    // Starting again now would lose this take: the window asks first.
    await page.getByTestId('record-start').click();
    await page.getByText('Discard this take?').waitFor();
    await page.getByTestId('confirm-cancel').click();
    expect(await page.getByTestId('record-upload').count()).toBe(1);
  });

  it('logged no script error and no CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
