// Shared set-up of the e2e tests: tool checks with install hints, the renderer and harness-shim builds
// into a temporary folder, the web harness over a given engine, and Chromium via playwright-core with a
// fresh user-data dir and page-error collection.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PinStore } from '../../main/adapters/keychain/keychain-pin-store.js';
import { createAudioEngine, createDesktopBackend, createDesktopIpc, openMstoreSession, startDemoCarrier, type DemoCarrier, type DesktopBackend } from '../../main/app.js';
import { createDesktopPinSource } from '../../main/adapters/keychain/keychain-pin-source.js';
import { createMailbox } from '../../main/services/mailbox/mailbox.js';
import { InProcessCardReader } from '../../main/sim/card/in-process-reader.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import { watchLibraryEvents } from '../../main/ipc/library-implementations.js';
import type { DesktopEngine } from '../../main/ipc/implementations.js';
import { memoryPinStore } from '../../main/web-harness/run.js';
import { startWebHarness, type WebHarness } from '../../main/web-harness/server.js';
import { defaultSettings, type Settings } from '../../shared/settings.js';
import type { Voicemail } from '../../shared/domain/mstore.js';

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

/** What the harness hands the window besides the engine: the export folder opener, the library side. */
export interface HarnessHost {
  showFolder?(dir: string): Promise<void>;
  library?: DesktopBackend['library'];
}

/** The web harness over `engine`, with card status pushes. */
export function serve(
  web: { rendererDir: string; shimFile: string },
  engine: DesktopEngine,
  pins: PinStore,
  exportDir: string,
  host: HarnessHost = {},
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

/** The real desktop backend in demo mode (simulated SIM, BSF and relay; real GBA, digest, mstore and audio), its demo files in `work`. */
export function demoBackend(work: string, opts: { dataDir?: string; demoLatencyMs?: number } = {}): Promise<DesktopBackend> {
  return createDesktopBackend({ env: { ...process.env, VVM_DEMO_DIR: join(work, 'demo') }, settings: defaultSettings(), demo: true, pins: memoryPinStore(), ...opts });
}

/** A mailbox over a PIN-protected SIM, and what it runs on. */
export interface PinnedSimMailbox extends Served {
  engine: ReturnType<typeof createMailbox>;
  carrier: DemoCarrier;
}

/**
 * The real mailbox (card service, GBA, mstore client, keychain policy over `pins`) with the demo
 * subscriber's SIM, PIN1 enabled as `pin`, in the in-process reader, and the demo carrier (simulated BSF
 * and relay) on loopback under `work`. `onGetPin` sees every time the card asks for its PIN; `saveSettings`
 * receives settings saved from the window.
 */
export async function pinnedSimMailbox(work: string, pin: string, pins: PinStore, opts: { onGetPin?(): void; saveSettings?(s: Settings): Promise<void> } = {}): Promise<PinnedSimMailbox> {
  const carrier = await startDemoCarrier(join(work, 'demo'), defaultSettings());
  const settings = { ...defaultSettings(), server: carrier.relay.url, bsf: carrier.bsf.url };
  const card = new SimulatedUicc({ ...carrier.card.profile, pin });
  const base = createDesktopPinSource(pins);
  const { onGetPin, saveSettings } = opts;
  const pinSource = onGetPin ? { ...base, getPin: async (req: Parameters<typeof base.getPin>[0]) => (onGetPin(), base.getPin(req)) } : base;
  const engine = createMailbox({
    open: (s) => openMstoreSession({ settings: s, demo: false, env: {}, pinSource, readers: async () => new InProcessCardReader(card) }),
    audio: createAudioEngine({ env: process.env }),
    pinSource,
    settings,
    ...(saveSettings && { saveSettings }),
    demo: false,
  });
  return {
    engine,
    carrier,
    pins,
    close: async () => {
      await engine.close();
      await carrier.close();
    },
  };
}

/**
 * Chromium flags for a fake microphone saying `text` (espeak-ng), with `leadS` seconds of silence before and
 * 1 s after, at 48 kHz mono 16-bit (what Chromium's fake capture expects). The WAVs are made in `work`.
 */
export function fakeMicrophone(work: string, text: string, leadS: string): string[] {
  const speech = join(work, 'speech.wav');
  const mic = join(work, 'mic.wav');
  execFileSync('espeak-ng', ['-w', speech, text]);
  execFileSync('sox', [speech, '-r', '48000', '-c', '1', '-b', '16', mic, 'pad', leadS, '1']);
  return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${mic}`];
}

/** What a test serves to the window, and how to close it. */
export interface Served {
  engine: DesktopEngine;
  pins: PinStore;
  host?: HarnessHost;
  /** Extra Chromium flags (the fake microphone). */
  chromiumArgs?: string[];
  close(): Promise<void>;
}

/** A window under test: Chromium on the harness over what `start` served, all in a temporary folder. */
export interface E2eWindow {
  work: string;
  harness: WebHarness;
  browser: BrowserContext;
  page: Page;
  pageErrors: string[];
  /** Closes Chromium, the harness and what was served, then removes the folder. */
  close(): Promise<void>;
}

/**
 * Makes a temporary folder named from `prefix`, builds the web into it, serves what `start` makes there
 * (exports go to <work>/export) and launches Chromium; what was opened is closed again if a step fails.
 */
export async function openWindow(prefix: string, start: (work: string) => Promise<Served>): Promise<E2eWindow> {
  const work = mkdtempSync(join(tmpdir(), prefix));
  let served: Served | undefined;
  let harness: WebHarness | undefined;
  const closeServed = async (): Promise<void> => {
    await harness?.close();
    await served?.close();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const web = buildWeb(work);
    served = await start(work);
    harness = await serve(web, served.engine, served.pins, join(work, 'export'), served.host);
    const { browser, page, pageErrors } = await launch(work, served.chromiumArgs);
    const opened = harness;
    return {
      work,
      harness: opened,
      browser,
      page,
      pageErrors,
      close: async () => {
        await browser.close();
        await closeServed();
      },
    };
  } catch (e) {
    await closeServed();
    throw e;
  }
}

/** How many voicemails the list holds (the list is windowed: only the rows in view are in the DOM). */
export function listedCount(page: Page): Promise<number> {
  return page.getByTestId('voicemail-list').getAttribute('data-count').then(Number);
}

/** Loads the window, waits for the card to be ready and the list to hold what `engine` lists; returns that listing. */
export async function openMailbox(page: Page, harness: WebHarness, engine: DesktopEngine): Promise<Voicemail[]> {
  await page.goto(harness.entryUrl);
  await expect.poll(() => page.getByTestId('card-status').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
  const all = await engine.listVoicemails({});
  await expect.poll(() => listedCount(page), { timeout: 30_000 }).toBe(all.length);
  return all;
}
