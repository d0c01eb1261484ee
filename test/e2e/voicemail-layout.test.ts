// The voicemail tab at the minimum window (720x520) and at 800x600, in Debian's Chromium through the web
// harness over the demo mailbox: nothing scrolls sideways, no control is cut off by its pane or the
// window, the player's controls and the actions wrap, and the list still shows rows.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { WebHarness } from '../../main/web-harness/server.js';
import { demoBackend, openWindow, SCREENSHOTS, type E2eWindow } from './support.js';

/** What overflows, measured in the page (a string: the Node project has no DOM types). */
const MEASURE = `(() => {
  const out = { pageScrollsSideways: false, overflowing: [], clipped: [], visibleRows: 0 };
  const doc = document.documentElement;
  out.pageScrollsSideways = doc.scrollWidth > doc.clientWidth || document.body.scrollWidth > document.body.clientWidth;
  for (const id of ['voicemails-panel', 'voicemail-column', 'voicemail-header', 'bulk-bar', 'voicemail-scroller', 'voicemail-detail', 'player-controls', 'voicemail-actions', 'action-outcome']) {
    const el = document.querySelector('[data-testid="' + id + '"]');
    if (el && el.scrollWidth > el.clientWidth + 1) out.overflowing.push(id + ' ' + el.scrollWidth + '>' + el.clientWidth);
  }
  const panel = document.querySelector('[data-testid="voicemails-panel"]');
  const controls = panel ? panel.querySelectorAll('button, [role="slider"], [role="combobox"], input:not([type="hidden"]):not([aria-hidden="true"])') : [];
  for (const c of controls) {
    const r = c.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const pane = c.closest('.MuiPaper-root');
    const p = pane ? pane.getBoundingClientRect() : { left: 0, right: innerWidth };
    if (r.left < Math.max(0, p.left) - 1 || r.right > Math.min(innerWidth, p.right) + 1) {
      out.clipped.push((c.getAttribute('aria-label') || c.textContent || c.tagName).trim().slice(0, 40) + ' [' + Math.round(r.left) + ',' + Math.round(r.right) + '] in [' + Math.round(p.left) + ',' + Math.round(p.right) + ']');
    }
  }
  // Rows wholly visible between the sticky header and the bottom of the scrolling column.
  const column = document.querySelector('[data-testid="voicemail-column"]');
  const sticky = document.querySelector('[data-testid="voicemail-sticky"]');
  if (column && sticky) {
    const top = sticky.getBoundingClientRect().bottom;
    const bottom = column.getBoundingClientRect().bottom;
    out.visibleRows = [...column.querySelectorAll('[data-testid="voicemail-row"]')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= top - 1 && b.bottom <= bottom + 1;
    }).length;
  }
  return out;
})()`;

interface Measured {
  pageScrollsSideways: boolean;
  overflowing: string[];
  clipped: string[];
  visibleRows: number;
}

describe('voicemail tab layout at small windows (Chromium + web harness)', () => {
  let win: E2eWindow | undefined;
  let harness: WebHarness;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    win = await openWindow('vvm-e2e-layout-', async (work) => {
      const b = await demoBackend(work);
      return { engine: b.engine, pins: b.pins, close: () => b.close() };
    });
    ({ harness, page, pageErrors } = win);
  }, 180_000);

  afterAll(async () => {
    await win?.close();
  });

  for (const [width, height] of [
    [720, 520],
    [800, 600],
  ] as const) {
    it(`${width}x${height}: a voicemail open, two ticked, an outcome shown: nothing clipped or sideways`, async () => {
      await page.setViewportSize({ width, height });
      await page.goto(harness.entryUrl);
      const rows = page.getByTestId('voicemail-row');
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(2);
      await rows.nth(0).click();
      await expect.poll(() => page.getByTestId('play-button').isEnabled(), { timeout: 15_000 }).toBe(true);
      await rows.nth(1).getByTestId('voicemail-check').click();
      await rows.nth(2).getByTestId('voicemail-check').click();
      await page.getByTestId('bulk-bar').waitFor();
      // An outcome message in the list column too (mark as read: quick, changes nothing that matters).
      await page.getByTestId('bulk-more').click();
      await page.getByRole('menuitem', { name: 'Mark as read' }).click();
      await page.getByTestId('action-outcome').waitFor({ timeout: 15_000 });
      await page.waitForTimeout(300);
      const m = await page.evaluate<Measured>(MEASURE);
      await page.screenshot({ path: join(SCREENSHOTS, `voicemail-${width}x${height}.png`), animations: 'disabled' });
      expect(m.pageScrollsSideways).toBe(false);
      expect(m.overflowing).toEqual([]);
      expect(m.clipped).toEqual([]);
      // The list stays usable: at least two whole rows visible under the header and the bulk bar.
      expect(m.visibleRows).toBeGreaterThanOrEqual(2);
      // The player's controls wrap instead of being cut: every one is inside the window.
      const controls = await page.getByTestId('player-controls').boundingBox();
      expect(controls && controls.x + controls.width <= width).toBe(true);
    });
  }

  it('dark scheme (the OS setting): row text, secondary text and expiry keep a contrast of 4.5:1 on the pane', async () => {
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(harness.entryUrl);
    await expect.poll(() => page.getByTestId('voicemail-row').count(), { timeout: 30_000 }).toBeGreaterThan(2);
    const worst = await page.evaluate<{ name: string; ratio: number; bg: string }>(`(() => {
      const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
      const pane = document.querySelector('[data-testid="voicemail-column"]');
      const bg = rgb(getComputedStyle(pane).backgroundColor);
      let worst = { name: '', ratio: 99, bg: getComputedStyle(pane).backgroundColor };
      for (const sel of ['.vvm-line', '.vvm-sub', '.vvm-expiry']) {
        for (const el of document.querySelectorAll('[data-testid="voicemail-row"]:not([aria-current]):not([aria-selected="true"]) ' + sel)) {
          const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg);
          const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          if (ratio < worst.ratio) worst = { name: sel + ' ' + getComputedStyle(el).color, ratio, bg: worst.bg };
        }
      }
      return worst;
    })()`);
    await page.screenshot({ path: join(SCREENSHOTS, 'voicemail-dark.png'), animations: 'disabled' });
    // The pane really is dark (the scheme followed the OS), and the worst text on it still reads.
    expect(worst.bg).not.toBe('rgb(255, 255, 255)');
    expect(worst.ratio, worst.name).toBeGreaterThanOrEqual(4.5);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('logged no script error and no CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
