// The voicemail tab over the local library, in Debian's Chromium through the web harness: the real
// desktop backend in demo mode with a data folder (simulated SIM, BSF and relay; real sync into the SQLite
// library). The tab shows the sync state, Check now syncs, a deleted voicemail whose audio the library
// holds stays listed and marked archived only, and notes are saved and searchable.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { WebHarness } from '../../main/web-harness/server.js';
import type { DesktopBackend } from '../../main/app.js';
import { demoBackend, listedCount, openWindow, type E2eWindow } from './support.js';

describe('voicemail tab over the local library (Chromium + web harness, demo mailbox)', () => {
  let win: E2eWindow | undefined;
  let harness: WebHarness;
  let page: Page;
  let backend: DesktopBackend | undefined;
  let pageErrors: string[] = [];

  const rows = () => page.getByTestId('voicemail-row');
  // How many voicemails the list holds (windowed: only the rows in view are in the DOM).
  const count = () => listedCount(page);
  const row = (id: string) => page.locator(`[data-testid="voicemail-row"][data-id="${id}"]`);
  const engine = () => {
    if (!backend) throw new Error('no backend');
    return backend.engine;
  };

  beforeAll(async () => {
    win = await openWindow('vvm-e2e-lib-', async (work) => {
      mkdirSync(join(work, 'export'));
      const b = (backend = await demoBackend(work, { dataDir: join(work, 'data') }));
      return { engine: b.engine, pins: b.pins, host: { library: b.library }, close: () => b.close() };
    });
    ({ harness, page, pageErrors } = win);
  }, 180_000);

  afterAll(async () => {
    await win?.close();
  });

  it('lists the library after the first sync and says when it checked', async () => {
    await page.goto(harness.entryUrl);
    const listed = await engine().listVoicemails({});
    // The first sync may still be running at start: Check now joins it or starts one.
    await page.getByTestId('voicemail-refresh').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('voicemail-refresh').textContent(), { timeout: 30_000 }).toBe('Check now');
    await page.getByTestId('voicemail-refresh').click();
    await expect.poll(() => page.getByTestId('sync-state').textContent(), { timeout: 60_000 }).toMatch(/^Checked Today /);
    await expect.poll(() => count(), { timeout: 30_000 }).toBe(listed.length);
    expect(await page.locator('[data-testid="voicemail-row"][data-archived="true"]').count()).toBe(0);
  });

  it('a deleted voicemail stays, marked archived only, and the delete question said so', async () => {
    const target = (await rows().first().getAttribute('data-id')) ?? '';
    await row(target).click();
    await page.getByTestId('item-delete').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("The carrier's copy is deleted for good.");
    expect(await dialog.textContent()).toContain('Your local library keeps its copy.');
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => row(target).getAttribute('data-archived'), { timeout: 60_000 }).toBe('true');
    // Gone from the server for real, still in the list, and the Archived-only filter finds it.
    expect((await engine().listVoicemails({})).some((v) => v.id === target)).toBe(false);
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByTestId('filter-archived').click();
    await expect.poll(() => count()).toBe(1);
    expect(await rows().first().getAttribute('data-id')).toBe(target);
    // It still plays: from the library's copy.
    await row(target).click();
    await expect.poll(() => page.getByTestId('play-button').isEnabled(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByTestId('filter-all').click();
    await expect.poll(() => page.getByRole('listbox', { name: 'Show' }).count()).toBe(0);
  });

  it('a note is saved in the library, shown on the row and found by search', async () => {
    const target = (await rows().nth(1).getAttribute('data-id')) ?? '';
    await row(target).click();
    await page.getByTestId('voicemail-note').fill('Plumber quote for the kitchen');
    await page.getByTestId('voicemail-note-save').click();
    await expect.poll(() => row(target).textContent(), { timeout: 15_000 }).toContain('Plumber quote');
    await page.getByTestId('voicemail-search').fill('kitchen');
    await expect.poll(() => count()).toBe(1);
    expect(await rows().first().getAttribute('data-id')).toBe(target);
    await page.getByTestId('voicemail-search').fill('');
  });

  it('logged no script error and no CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
