// Electron entry point: thin glue. The engine comes from main/app.ts (createDesktopBackend: the real card
// and carrier, or demo mode when no reader has a card); the channels from main/ipc; the window and the
// app:// protocol from main/windows.ts. Nothing here is tested under Node (Electron cannot be downloaded
// on the CI machines): the same implementations are exercised through the web harness instead.
import { app, BrowserWindow, dialog, ipcMain, shell } from 'electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultSettings } from '../shared/settings.js';
import { createDesktopBackend, createDesktopIpc, type DesktopBackend } from './app.js';
import { createFileLogger } from './adapters/log/file-logger.js';
import { cacheDir, configDir, dataDir } from './adapters/paths.js';
import { loadSettings, saveSettings } from './adapters/settings/settings-file.js';
import { FsError } from './errors.js';
import { registerHandlers, sendEvent } from './ipc/handle.js';
import { watchLibraryEvents } from './ipc/library-implementations.js';
import { createElectronNotifier } from './ipc/notifier.js';
import { APP_ORIGIN, createMainWindow, installAppProtocol, registerAppScheme } from './windows.js';

/** out/ (this file is compiled to out/main/electron-main.js). */
const OUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

registerAppScheme();
app.enableSandbox();
// userData (settings.json, the audio cache, the single-instance lock) in the folder the CLI also reads
// its defaults from; set before anything uses it. VVM_CONFIG_DIR overrides it for both (main/adapters/paths.ts).
const userData = configDir(process.env);
if (userData !== null) app.setPath('userData', userData);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.whenReady().then(start, (e: unknown) => {
    console.error('VVM Desk failed to start:', e);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const demoFlag = process.argv.includes('--demo');
  // The log "Internal error (details are in the log)" points to; Diagnostics can show it.
  const logger = createFileLogger(join(dataDir(process.env) ?? app.getPath('userData'), 'logs'));
  const settingsFile = join(app.getPath('userData'), 'settings.json');
  let settings = defaultSettings();
  try {
    settings = await loadSettings(settingsFile);
  } catch (e) {
    // Start with the defaults; the file is left alone until the user saves settings again.
    logger.warn('settings not loaded', { reason: e instanceof Error ? e.message : String(e) });
  }
  // Clicking a notification brings the window up (and shows that voicemail).
  const preloadFile = join(OUT_DIR, 'preload', 'preload.cjs');
  const showWindow = (): BrowserWindow => {
    const win = BrowserWindow.getAllWindows()[0] ?? createMainWindow(preloadFile);
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return win;
  };
  const notifier = createElectronNotifier({
    openVoicemail: (id) => sendEvent(showWindow().webContents, 'notify:open', { id }),
    showWindow: () => void showWindow(),
  });
  const backend: DesktopBackend = await createDesktopBackend({
    env: process.env,
    settings,
    saveSettings: (s) => saveSettings(settingsFile, s),
    demo: demoFlag ? true : 'auto',
    logger,
    cacheDir: join(cacheDir(process.env) ?? join(app.getPath('userData'), 'Cache'), 'audio'),
    // The voicemail library, in the data folder the CLI uses too (one library for both).
    dataDir: dataDir(process.env) ?? join(app.getPath('userData'), 'Data'),
    notifier,
  });

  const { dispatcher, feed, media } = createDesktopIpc(backend, {
    async chooseExportDirectory(suggested) {
      const win = BrowserWindow.getFocusedWindow();
      const opts: Electron.OpenDialogOptions = { title: 'Export voicemail to…', properties: ['openDirectory', 'createDirectory'], ...(suggested !== undefined && { defaultPath: suggested }) };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    // Only ever the folder main exported into (export:showFolder takes no path from the renderer).
    async showFolder(dir) {
      const failed = await shell.openPath(dir);
      if (failed !== '') throw new FsError('fs.failed', 'The folder could not be opened', { detail: { reason: failed } });
    },
    async revealLog() {
      shell.showItemInFolder(logger.file);
      return true;
    },
    onInternal: (channel, e) => logger.internal(channel, e),
  });
  registerHandlers(ipcMain, dispatcher, { origin: APP_ORIGIN });
  installAppProtocol({ rendererDir: join(OUT_DIR, 'renderer'), audio: (id) => media.get(id) });

  // Card status pushes go to every window of ours.
  feed.watch((payload) => {
    for (const w of BrowserWindow.getAllWindows()) sendEvent(w.webContents, 'card:status', payload);
  });
  // Library pushes (sync finished, notes changed, sync state) likewise.
  if (backend.library) {
    watchLibraryEvents(backend.library, {
      changed: () => BrowserWindow.getAllWindows().forEach((w) => sendEvent(w.webContents, 'library:changed', {})),
      syncStatus: (st) => BrowserWindow.getAllWindows().forEach((w) => sendEvent(w.webContents, 'sync:status', st)),
    });
  }

  createMainWindow(join(OUT_DIR, 'preload', 'preload.cjs'));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(join(OUT_DIR, 'preload', 'preload.cjs'));
  });
  app.on('window-all-closed', () => {
    dispatcher.abortAll();
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing) return;
    // Release the card, the demo carrier and the PC/SC context before the process exits.
    event.preventDefault();
    closing = true;
    dispatcher.abortAll();
    void backend.close().finally(() => app.quit());
  });
}
