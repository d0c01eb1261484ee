// Windows and the app:// protocol. Thin Electron glue, following Electron's security checklist:
// contextIsolation, sandbox, no nodeIntegration, a CSP, navigation and window.open blocked, and the
// `media` permission (microphone, to record greetings) granted to our own origin only.
// The renderer is served from app://vvm/ (a standard, secure scheme, so it has a real origin for the
// sender check in main/ipc/handle.ts); app://vvm/media/audio/<id> serves decoded voicemail and greeting WAV with
// HTTP Range support (RFC 9110 section 14) so <audio> can seek.
import { BrowserWindow, net, protocol, session } from 'electron';
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { answerRange } from './protocol/wav-range.js';
import { originOf } from './ipc/handle.js';

/** The custom scheme and host the renderer is served from. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'vvm';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * CSP of every page: only our own origin; media also from blob: (playback of WAV handed over as bytes).
 * 'unsafe-inline' for styles only, because MUI (emotion) injects <style> elements; never unsafe-eval.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Must run before `app.whenReady()`: makes app:// a standard secure scheme with fetch and streaming. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
}

/** Where the protocol finds its content. */
export interface AppContent {
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  /** The decoded WAV of a voicemail, if main has it in memory. */
  audio(id: string): Uint8Array | undefined;
}

function withSecurityHeaders(headers: Record<string, string>): Headers {
  const h = new Headers(headers);
  h.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  h.set('X-Content-Type-Options', 'nosniff');
  h.set('Cache-Control', 'no-store');
  return h;
}

async function handleApp(req: Request, content: AppContent): Promise<Response> {
  const url = new URL(req.url);
  if (url.host !== APP_HOST || req.method !== 'GET') return new Response('Not found', { status: 404 });
  const media = /^\/media\/audio\/(.+)$/.exec(url.pathname);
  if (media?.[1] !== undefined) {
    let id: string;
    try {
      id = decodeURIComponent(media[1]);
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    const wav = content.audio(id);
    if (!wav) return new Response('Not found', { status: 404 });
    const r = answerRange(wav, req.headers.get('range') ?? undefined, 'audio/wav');
    return new Response(r.status === 416 ? null : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength), { status: r.status, headers: withSecurityHeaders(r.headers) });
  }
  // Static files of the built renderer; anything resolving outside its folder is refused.
  const root = resolve(content.rendererDir);
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return new Response('Bad request', { status: 400 });
  }
  const file = resolve(root, '.' + pathname);
  if (!file.startsWith(root + sep)) return new Response('Not found', { status: 404 });
  const res = await net.fetch(pathToFileURL(file).toString());
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return new Response(res.body, { status: res.status, headers: withSecurityHeaders(headers) });
}

/** Installs the app:// handler and the permission policy on the default session (after ready). */
export function installAppProtocol(content: AppContent): void {
  protocol.handle(APP_SCHEME, (req) => handleApp(req, content));
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(permission === 'media' && details.isMainFrame && originOf(details.requestingUrl) === APP_ORIGIN);
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permission === 'media' && originOf(requestingOrigin) === APP_ORIGIN);
}

/** Creates the main window with the locked-down web preferences; `preload` is the bundled preload.cjs. */
export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    title: 'VVM Desk',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const wc = win.webContents;
  // The app is a single page: any navigation away from it, and any new window, is refused.
  wc.on('will-navigate', (event, url) => {
    if (originOf(url) !== APP_ORIGIN) event.preventDefault();
  });
  wc.on('will-redirect', (event, url) => {
    if (originOf(url) !== APP_ORIGIN) event.preventDefault();
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
