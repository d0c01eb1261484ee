// The window around the tabs, in Debian's Chromium through the web harness over the demo mailbox: it
// follows the OS dark setting and the manual override in Settings; at the minimum window (720x520) and
// at 800x600 no tab scrolls sideways or cuts a control off; the Diagnostics view runs the doctor's steps
// live and copies a report without secrets. With VVM_SCREENSHOTS_DIR set (npm run screenshots) it also
// saves the main screens in light and dark there (docs/screenshots in the repository).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { WebHarness } from '../../main/web-harness/server.js';
import { demoBackend, openWindow, ROOT, SCREENSHOTS, type E2eWindow } from './support.js';

const TABS = ['Voicemail', 'Greetings', 'Account', 'Settings', 'Diagnostics'] as const;

/** Background colour of the page and its relative luminance (a string: the Node project has no DOM types). */
const BACKGROUND = `(() => {
  const c = getComputedStyle(document.querySelector('main')).backgroundColor;
  const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
  return { color: c, luminance: 0.2126 * r + 0.7152 * g + 0.0722 * b, scheme: document.documentElement.getAttribute('data-color-scheme') };
})()`;

/** What sticks out: sideways scrolling anywhere, and visible controls outside the window or their pane. */
const MEASURE = `(() => {
  const out = { sideways: [], clipped: [], tabsOutside: [] };
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) out.sideways.push('page ' + doc.scrollWidth + '>' + doc.clientWidth);
  for (const el of document.querySelectorAll('main, main *')) {
    if (el.closest('[hidden]')) continue;
    const s = getComputedStyle(el);
    if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) out.sideways.push((el.getAttribute('data-testid') || el.tagName) + ' ' + el.scrollWidth + '>' + el.clientWidth);
  }
  const main = document.querySelector('main');
  if (main.scrollWidth > main.clientWidth + 1) out.sideways.push('main ' + main.scrollWidth + '>' + main.clientWidth);
  for (const c of document.querySelectorAll('header button, header [role="tab"], main button, main input:not([type="hidden"]):not([hidden]), main select, main [role="combobox"]')) {
    // Switch and checkbox inputs are invisible overlays wider than the control they serve.
    if (c.closest('[hidden]') || getComputedStyle(c).opacity === '0') continue;
    const r = c.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const pane = c.closest('.MuiPaper-root:not(header)');
    const p = pane ? pane.getBoundingClientRect() : { left: 0, right: innerWidth };
    if (r.left < Math.max(0, p.left) - 1 || r.right > Math.min(innerWidth, p.right) + 1) {
      out.clipped.push((c.getAttribute('aria-label') || c.textContent || c.tagName).trim().slice(0, 40) + ' [' + Math.round(r.left) + ',' + Math.round(r.right) + '] in [' + Math.round(p.left) + ',' + Math.round(p.right) + ']');
    }
  }
  for (const t of document.querySelectorAll('[role="tab"]')) {
    const r = t.getBoundingClientRect();
    if (r.left < 0 || r.right > innerWidth) out.tabsOutside.push(t.textContent);
  }
  return out;
})()`;

interface Measured {
  sideways: string[];
  clipped: string[];
  tabsOutside: string[];
}

describe('window shell e2e (Chromium + web harness, demo mode)', () => {
  let win: E2eWindow | undefined;
  let harness: WebHarness;
  let browser: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];
  const docShots = process.env.VVM_SCREENSHOTS_DIR ? resolve(ROOT, process.env.VVM_SCREENSHOTS_DIR) : null;

  async function tab(name: (typeof TABS)[number]): Promise<void> {
    await page.getByRole('tab', { name }).click();
    await page.getByTestId(`panel-${name.toLowerCase()}`).waitFor({ state: 'visible' });
  }

  async function shot(name: string): Promise<void> {
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled' });
    if (docShots) await page.screenshot({ path: join(docShots, `${name}.png`), animations: 'disabled' });
  }

  beforeAll(async () => {
    if (docShots) mkdirSync(docShots, { recursive: true });
    win = await openWindow('vvm-e2e-shell-', async (work) => {
      // A carrier that takes 150 ms per answer, as a real one does, so a step can be seen being checked.
      const b = await demoBackend(work, { demoLatencyMs: 150 });
      return { engine: b.engine, pins: b.pins, close: () => b.close() };
    });
    ({ harness, browser, page, pageErrors } = win);
    await browser.grantPermissions(['clipboard-read', 'clipboard-write']);
  }, 180_000);

  afterAll(async () => {
    await win?.close();
  });

  it('follows the OS light/dark setting, and the choice in Settings overrides it', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(harness.entryUrl);
    await expect.poll(() => page.getByTestId('card-status').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    // Demo mode says so, and the first run explains what is needed.
    expect(await page.getByTestId('demo-banner').textContent()).toMatch(/fictional/);
    expect(await page.getByTestId('welcome').textContent()).toMatch(/pcscd/);
    const dark = await page.evaluate<{ luminance: number; scheme: string | null }>(BACKGROUND);
    expect(dark.luminance).toBeLessThan(0.05);
    expect(dark.scheme).toBe('dark');

    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(async () => (await page.evaluate<{ luminance: number }>(BACKGROUND)).luminance).toBeGreaterThan(0.8);

    // The manual choice wins over the OS, and survives a reload.
    await tab('Settings');
    await page.getByTestId('theme-select').locator('select').selectOption('dark');
    await expect.poll(async () => (await page.evaluate<{ luminance: number }>(BACKGROUND)).luminance).toBeLessThan(0.05);
    await page.reload();
    await page.getByTestId('card-status').waitFor();
    expect((await page.evaluate<{ luminance: number }>(BACKGROUND)).luminance).toBeLessThan(0.05);
    await tab('Settings');
    await page.getByTestId('theme-select').locator('select').selectOption('system');
    await expect.poll(async () => (await page.evaluate<{ luminance: number }>(BACKGROUND)).luminance).toBeGreaterThan(0.8);
    await page.getByText('Got it').click();
  });

  it('Diagnostics runs the steps with live status, shows the request log and copies a report without secrets', async () => {
    await page.setViewportSize({ width: 1200, height: 800 });
    await tab('Diagnostics');
    // Every status a step showed before it changed, recorded in the page (the run takes about a second).
    await page.evaluate(`(() => {
      window.__seen = [];
      new MutationObserver((ms) => {
        for (const m of ms) window.__seen.push(m.target.getAttribute('data-step') + ':' + m.oldValue);
      }).observe(document.querySelector('[data-testid="diagnostics-steps"]'), { attributes: true, attributeOldValue: true, subtree: true, attributeFilter: ['data-status'] });
    })()`);
    await page.getByTestId('diagnostics-run').click();
    await page.getByTestId('diagnostics-ok').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate<string[]>('window.__seen');
    const steps = page.getByTestId('diagnostics-step');
    const statuses = await steps.evaluateAll((els) => els.map((e) => [e.getAttribute('data-step'), e.getAttribute('data-status')]));
    expect(statuses.length).toBeGreaterThanOrEqual(10);
    expect(statuses.every(([, s]) => s === 'ok')).toBe(true);
    // Live: the statuses the steps showed before each change include "running" (a step being checked).
    expect(seen.filter((x) => x.endsWith(':running')).length, seen.join(' ')).toBeGreaterThan(2);
    const log = (await page.getByTestId('request-log').textContent()) ?? '';
    expect(log).toMatch(/GET .*vvmserviceProfile → 401/);
    expect(log).toMatch(/→ 200/);
    await page.getByTestId('diagnostics-copy').click();
    await page.getByText('The report is on the clipboard').waitFor();
    const report = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(report).toContain('Result: every step passed');
    expect(report).toMatch(/passed +GBA bootstrap: GBA_/);
    expect(report).not.toMatch(/Digest|nonce|Authorization|response=|B-TID|btid/i);
  });

  it('keyboard focus is visible on every control it reaches', async () => {
    await tab('Settings');
    await page.getByTestId('settings-save').focus();
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate<{ tag: string; outline: string; width: number } | null>(
        `(() => {
          const e = document.activeElement; if (!e || e === document.body) return null;
          const tag = (e.getAttribute('aria-label') || e.textContent || e.tagName).trim().slice(0, 30);
          // A text field or select shows focus on its outlined frame (2 px in the primary colour).
          const frame = e.closest('.MuiOutlinedInput-root.Mui-focused')?.querySelector('.MuiOutlinedInput-notchedOutline');
          if (frame) { const f = getComputedStyle(frame); return { tag, outline: f.borderTopStyle, width: parseFloat(f.borderTopWidth) }; }
          const s = getComputedStyle(e);
          return { tag, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
        })()`,
      );
      if (f) seen.push(`${f.tag}:${f.outline}:${f.width}`);
    }
    expect(seen.length).toBeGreaterThan(5);
    // Every focused control draws a ring of at least 2 px: an outline, or a text field's focused frame.
    for (const s of seen) expect(s, s).toMatch(/:(solid|auto):[2-9]/);
  });

  for (const [width, height] of [
    [720, 520],
    [800, 600],
  ] as const) {
    it(`${width}x${height}: no tab scrolls sideways or cuts a control off`, async () => {
      await page.setViewportSize({ width, height });
      for (const name of TABS) {
        await tab(name);
        await page.waitForTimeout(300);
        const m = await page.evaluate<Measured>(MEASURE);
        if (name !== 'Voicemail') await page.screenshot({ path: join(SCREENSHOTS, `window-${name.toLowerCase()}-${width}x${height}.png`), animations: 'disabled' });
        expect(m.sideways, name).toEqual([]);
        expect(m.clipped, name).toEqual([]);
        expect(m.tabsOutside, name).toEqual([]);
      }
    });
  }

  it('the main screens in light and dark', async () => {
    await page.setViewportSize({ width: 1100, height: 720 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await tab('Voicemail');
      const rows = page.getByTestId('voicemail-row');
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(2);
      await rows.nth(0).click();
      await expect.poll(() => page.getByTestId('play-button').isEnabled(), { timeout: 15_000 }).toBe(true);
      await shot(`voicemail-${scheme}`);
      await tab('Greetings');
      await page.getByTestId('greeting-recorder').waitFor();
      await shot(`greetings-${scheme}`);
      await tab('Account');
      await expect.poll(() => page.getByTestId('quota').textContent(), { timeout: 15_000 }).toContain('Voicemails:');
      await shot(`account-${scheme}`);
      await tab('Settings');
      await shot(`settings-${scheme}`);
      await tab('Diagnostics');
      await shot(`diagnostics-${scheme}`);
    }
  });

  it('logged no script error and no CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
