// Shared set-up of the e2e tests: tool checks with install hints, the renderer and harness-shim builds
// into a temporary folder, the web harness over a given engine, and Chromium via playwright-core with a
// fresh user-data dir and page-error collection.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { PinStore } from '../../main/adapters/keychain/keychain-pin-store.js';
import { createDesktopIpc, type DesktopBackend } from '../../main/app.js';
import { watchLibraryEvents } from '../../main/ipc/library-implementations.js';
import type { DesktopEngine } from '../../main/ipc/implementations.js';
import { startWebHarness, type WebHarness } from '../../main/web-harness/server.js';

/** Debian's Chromium (apt-get install -y chromium). */
export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = resolve(import.meta.dirname, '../..');
/** Screenshots for a human to look at. */
export const SCREENSHOTS = join(ROOT, 'out', 'e2e');

/** Fails with an install hint when a program is missing. */
export function need(bin: string, hint: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'pipe' });
  } catch {
    throw new Error(`${bin} not found: ${hint}`);
  }
}

/** Checks Chromium, then builds the renderer and the harness shim into `work`. */
export function buildWeb(work: string): { rendererDir: string; shimFile: string } {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const vite = join(ROOT, 'node_modules', '.bin', 'vite');
  execFileSync(vite, ['build', '--logLevel', 'error', '--outDir', join(work, 'renderer')], { cwd: ROOT, stdio: 'pipe' });
  execFileSync(vite, ['build', '-c', 'vite.harness.config.ts', '--logLevel', 'error', '--outDir', join(work, 'web-harness')], { cwd: ROOT, stdio: 'pipe' });
  return { rendererDir: join(work, 'renderer'), shimFile: join(work, 'web-harness', 'api-shim.js') };
}

/** The web harness over `engine`, with card status pushes. */
export function serve(
  web: { rendererDir: string; shimFile: string },
  engine: DesktopEngine,
  pins: PinStore,
  exportDir: string,
  host: { showFolder?(dir: string): Promise<void>; library?: DesktopBackend['library'] } = {},
): Promise<WebHarness> {
  const { library, ...rest } = host;
  const { dispatcher, feed, media } = createDesktopIpc({ engine, pins, library: library ?? null }, { chooseExportDirectory: async () => exportDir, ...rest });
  return startWebHarness({
    dispatcher,
    ...web,
    audio: (id) => media.get(id),
    watchCardStatus: (push) => feed.watch(push),
    // With a library: its change and sync-state events, as Electron sends them.
    ...(library && { watchEvents: (push) => watchLibraryEvents(library, { changed: () => push('library:changed', {}), syncStatus: (s) => push('sync:status', s) }) }),
  });
}

/** Headless Chromium with the flags of environment.md; page errors, console errors and failed loads are collected. */
export async function launch(work: string, extraArgs: string[] = []): Promise<{ browser: BrowserContext; page: Page; pageErrors: string[] }> {
  const browser = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', ...extraArgs],
    viewport: { width: 1200, height: 800 },
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`${m.text()} ${m.location().url}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) pageErrors.push(`HTTP ${r.status()} ${new URL(r.url()).pathname}`);
  });
  return { browser, page, pageErrors };
}
