// The voicemail tab in Debian's Chromium through the web harness, over the real desktop engine in demo
// mode (simulated SIM, BSF and strict relay; real GBA, digest, mstore client, AMR decoding and export):
// delete asks first, a bulk export with items gone from the server reports the partial failure where it
// was started, keyboard shortcuts, playback speed (remembered), search and filter.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { WebHarness } from '../../main/web-harness/server.js';
import type { DesktopBackend } from '../../main/app.js';
import { formatPhone } from '../../renderer/format.js';
import { demoBackend, listedCount, openMailbox, openWindow, SCREENSHOTS, type E2eWindow } from './support.js';

describe('voicemail tab e2e (Chromium + web harness, demo mailbox)', () => {
  let win: E2eWindow | undefined;
  let harness: WebHarness;
  let page: Page;
  let backend: DesktopBackend | undefined;
  let pageErrors: string[] = [];
  const shown: string[] = [];
  let exportDir: string;

  const rows = () => page.getByTestId('voicemail-row');
  // How many voicemails the list holds (the list is windowed: only the rows in view are in the DOM).
  const listed = () => listedCount(page);
  const row = (id: string) => page.locator(`[data-testid="voicemail-row"][data-id="${id}"]`);
  const ids = async () => Promise.all((await rows().all()).map((r) => r.getAttribute('data-id')));
  // The Node project has no DOM types: page-side code goes in as a string.
  const focused = (attr: string) => page.evaluate<string | null>(`document.activeElement?.getAttribute(${JSON.stringify(attr)}) ?? null`);
  const engine = () => {
    if (!backend) throw new Error('no backend');
    return backend.engine;
  };

  beforeAll(async () => {
    win = await openWindow('vvm-e2e-vm-', async (work) => {
      exportDir = join(work, 'export');
      mkdirSync(exportDir);
      const b = (backend = await demoBackend(work));
      return { engine: b.engine, pins: b.pins, host: { showFolder: async (dir) => void shown.push(dir) }, close: () => b.close() };
    });
    ({ harness, page, pageErrors } = win);
  }, 180_000);

  afterAll(async () => {
    await win?.close();
  });

  it('lists the demo mailbox', async () => {
    await openMailbox(page, harness, engine());
  });

  it('search by a piece of the number and the unread filter narrow the list', async () => {
    const all = await engine().listVoicemails({});
    const target = all[all.length - 1];
    if (!target) throw new Error('the demo mailbox is empty');
    // The last 4 digits as the user reads them on screen ("+1 206-555-0143" -> "0143").
    const piece = formatPhone(target.from).slice(-4);
    const matching = all.filter((v) => v.from.includes(piece));
    await page.getByTestId('voicemail-search').fill(piece);
    await expect.poll(() => listed()).toBe(matching.length);
    expect((await ids()).sort()).toEqual(matching.map((v) => v.id).sort());
    expect(await page.getByTestId('voicemail-count').textContent()).toContain(`${matching.length} of ${all.length}`);
    await page.getByTestId('voicemail-search').fill('');

    const unread = all.filter((v) => !v.read);
    expect(unread.length, 'the demo mailbox needs unread voicemail').toBeGreaterThan(0);
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByTestId('filter-unread').click();
    await expect.poll(() => listed()).toBe(unread.length);
    expect(await rows().evaluateAll((rs) => rs.every((r) => r.getAttribute('data-read') === 'false'))).toBe(true);
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByTestId('filter-all').click();
    await expect.poll(() => listed()).toBe(all.length);
    // The menu has gone before the next step looks for controls by name.
    await expect.poll(() => page.getByRole('listbox', { name: 'Show' }).count()).toBe(0);
  });

  it('keyboard: Down/Enter open, Space plays, Ctrl+A/Esc tick and untick, Ctrl+F searches, ? helps', async () => {
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    const [first, second] = await ids();
    // Down from nowhere enters the list at the first row; Down again moves to the second.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focused('data-id'), { timeout: 5_000 }).toBe(first);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focused('data-id'), { timeout: 5_000 }).toBe(second);
    await page.keyboard.press('Enter');
    await expect.poll(() => row(second ?? '').getAttribute('aria-current')).toBe('true');
    const play = page.getByTestId('play-button');
    await expect.poll(() => play.isEnabled(), { timeout: 15_000 }).toBe(true);
    // Space with the focus on the row plays (the row keeps the focus: Space is not a click on a button).
    await row(second ?? '').focus();
    await page.keyboard.press(' ');
    await expect.poll(() => play.getAttribute('aria-label'), { timeout: 10_000 }).toBe('Pause');
    await page.keyboard.press(' ');
    await expect.poll(() => play.getAttribute('aria-label')).toBe('Play');

    await page.keyboard.press('Control+a');
    const count = await listed();
    await expect.poll(() => page.getByTestId('bulk-bar').textContent()).toContain(`${count} selected`);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('bulk-bar').count()).toBe(0);

    await page.keyboard.press('Control+f');
    await expect.poll(() => focused('data-testid')).toBe('voicemail-search');
    await page.keyboard.press('Escape');
    await row(second ?? '').focus();
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-help').waitFor();
    expect(await page.getByTestId('shortcuts-help').textContent()).toContain('Play or pause');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('shortcuts-help').count()).toBe(0);
  });

  it('plays at the chosen speed, remembers it, and the waveform is a keyboard slider', async () => {
    const first = (await ids())[0] ?? '';
    await row(first).click();
    const play = page.getByTestId('play-button');
    await expect.poll(() => play.isEnabled(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('combobox', { name: 'Speed' }).click();
    await page.getByTestId('speed-2').click();
    const slider = page.getByTestId('waveform-slider');
    // Real playback: audio time advances about twice as fast as the clock.
    await slider.focus();
    await page.keyboard.press('Home');
    await play.click();
    await expect.poll(async () => Number(await slider.getAttribute('data-position')), { timeout: 10_000 }).toBeGreaterThan(0.2);
    const p0 = Number(await slider.getAttribute('data-position'));
    const t0 = Date.now();
    await page.waitForTimeout(1500);
    const p1 = Number(await slider.getAttribute('data-position'));
    const wall = (Date.now() - t0) / 1000;
    await play.click();
    const rate = (p1 - p0) / wall;
    expect(rate, `audio advanced ${(p1 - p0).toFixed(2)} s in ${wall.toFixed(2)} s`).toBeGreaterThan(1.5);
    expect(rate).toBeLessThan(2.6);

    // The slider: labelled, arrow keys seek 5 s, Home goes to the start.
    expect(await slider.getAttribute('aria-label')).toMatch(/^Position in the voicemail from /);
    await slider.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => slider.getAttribute('aria-valuenow')).toBe('0');
    await page.keyboard.press('ArrowRight');
    const max = Number(await slider.getAttribute('aria-valuemax'));
    await expect.poll(() => slider.getAttribute('aria-valuenow')).toBe(String(Math.min(5, max)));

    // Remembered: a reload (a new start) opens the next voicemail at 2x.
    await page.reload();
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await rows().first().click();
    await expect.poll(() => page.getByTestId('speed').inputValue()).toBe('2');
  });

  it('delete asks first: Cancel keeps it; the Delete key with the safety deletes it on the server', async () => {
    const before = await engine().listVoicemails({});
    const target = (await ids())[0] ?? '';
    await row(target).click();
    await page.getByTestId('item-delete').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    const v = before.find((x) => x.id === target);
    expect(await dialog.textContent()).toContain(`Delete the voicemail from ${formatPhone(v?.from ?? null)}?`);
    expect(await dialog.textContent()).toContain("The carrier's copy is deleted for good.");
    await page.getByTestId('confirm-cancel').click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await engine().listVoicemails({})).map((x) => x.id)).toEqual(before.map((x) => x.id));

    // Keyboard: Delete on the focused row asks; Enter in the dialog is Cancel (the safe answer has the focus).
    await row(target).focus();
    await page.keyboard.press('Delete');
    await dialog.waitFor();
    await expect.poll(() => focused('data-testid')).toBe('confirm-cancel');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await engine().listVoicemails({})).length).toBe(before.length);
    await row(target).focus();
    await page.keyboard.press('Delete');
    await page.getByTestId('confirm-ok').click();
    await page.getByText('Deleted 1 voicemail.').waitFor({ timeout: 15_000 });
    expect((await engine().listVoicemails({})).map((x) => x.id)).toEqual(before.filter((x) => x.id !== target).map((x) => x.id));
  });

  it('bulk export: two of three gone from the server is reported as "Exported 1 of 3", with the folder and Show in folder', async () => {
    const three = (await ids()).slice(0, 3).filter((x): x is string => x !== null);
    expect(three).toHaveLength(3);
    for (const id of three) await row(id).getByTestId('voicemail-check').click();
    await expect.poll(() => page.getByTestId('bulk-bar').textContent()).toContain('3 selected');
    // Another phone deletes two of them meanwhile (the simulated relay really removes them).
    await engine().deleteVoicemails(three.slice(1), {});
    // The format chooser is on the bulk bar.
    await page.getByTestId('bulk-bar').getByRole('combobox', { name: 'Export format' }).click();
    await page.getByRole('option', { name: 'WAV', exact: true }).click();
    await page.getByTestId('bulk-export').click();
    const outcome = page.getByTestId('action-outcome');
    await outcome.waitFor({ timeout: 30_000 });
    expect(await outcome.textContent()).toContain('Exported 1 of 3: 2 failed (No longer on the server).');
    expect(await outcome.getAttribute('data-severity')).toBe('warning');
    expect(await page.getByTestId('export-folder').textContent()).toBe(`To ${exportDir}`);
    // Where it was started: in the list column, not in the player.
    expect(await page.getByTestId('voicemail-detail').getByTestId('action-outcome').count()).toBe(0);
    expect(readdirSync(exportDir).filter((f) => f.endsWith('.wav'))).toHaveLength(1);
    // Listed again after the failures: the two gone voicemails leave the list and the selection.
    await expect.poll(() => page.getByTestId('bulk-bar').textContent()).toContain('1 selected');
    expect(await row(three[1] ?? '').count()).toBe(0);
    await page.getByTestId('show-in-folder').click();
    await expect.poll(() => shown).toEqual([exportDir]);
    await page.screenshot({ path: join(SCREENSHOTS, 'voicemail-bulk-export.png'), animations: 'disabled' });
  });

  it('logged no script error and no CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
