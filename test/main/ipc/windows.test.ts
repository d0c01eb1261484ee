// main/windows.ts with a mocked Electron (only test/main/ipc mocks Electron): the web preferences of
// the window, blocked navigation and window.open, the media permission policy, and the app:// protocol
// (CSP on every answer, path traversal refused, voicemail WAV with Range).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;
const state = vi.hoisted(() => ({
  windows: [] as { options: Record<string, unknown>; events: Map<string, Handler>; openHandler?: Handler; loaded?: string }[],
  protocolHandler: undefined as undefined | ((req: Request) => Promise<Response>),
  privileged: [] as unknown[],
  permissionRequest: undefined as undefined | Handler,
  permissionCheck: undefined as undefined | Handler,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      const record: (typeof state.windows)[number] = { options, events: new Map() };
      state.windows.push(record);
      this.webContents = {
        on: (name: string, h: Handler) => void record.events.set(name, h),
        setWindowOpenHandler: (h: Handler) => void (record.openHandler = h),
      };
      this.loadURL = async (url: string) => void (record.loaded = url);
    }
    loadURL: (url: string) => Promise<void>;
    once() {}
    show() {}
  }
  return {
    BrowserWindow,
    net: {
      fetch: async (url: string) => {
        try {
          return new Response(readFileSync(fileURLToPath(url)), { status: 200, headers: { 'content-type': 'text/html' } });
        } catch {
          return new Response('missing', { status: 404 });
        }
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => void state.privileged.push(...s),
      handle: (_scheme: string, h: (req: Request) => Promise<Response>) => void (state.protocolHandler = h),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Handler) => void (state.permissionRequest = h),
        setPermissionCheckHandler: (h: Handler) => void (state.permissionCheck = h),
      },
    },
  };
});

const { APP_ORIGIN, createMainWindow, installAppProtocol, registerAppScheme } = await import('../../../main/windows.js');

let dir: string;
const wav = new Uint8Array(1000).map((_, i) => i % 256);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vvm-windows-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  registerAppScheme();
  installAppProtocol({ rendererDir: join(dir, 'renderer'), audio: (id) => (id === 'VV-Mail/Inbox/1' ? wav : undefined) });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  if (!state.protocolHandler) throw new Error('protocol not installed');
  return state.protocolHandler(new Request(`${APP_ORIGIN}${path}`, { headers }));
}

describe('windows', () => {
  it('registers app:// as a standard secure scheme', () => {
    expect(state.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it('creates a sandboxed, context-isolated window without Node, loading our origin', () => {
    createMainWindow('/x/preload.cjs');
    const w = state.windows.at(-1);
    expect(w?.options.webPreferences).toMatchObject({ preload: '/x/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(w?.loaded).toBe(`${APP_ORIGIN}/index.html`);
  });

  it('blocks navigation away from our origin, webviews and window.open', () => {
    const w = state.windows.at(-1);
    const nav = w?.events.get('will-navigate');
    const away = { preventDefault: vi.fn() };
    nav?.(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    nav?.(inside, `${APP_ORIGIN}/index.html`);
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    w?.events.get('will-attach-webview')?.(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(w?.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('grants the media permission to our main frame only, and nothing else', () => {
    const ask = (permission: string, url: string, isMainFrame = true) => {
      let granted: boolean | undefined;
      state.permissionRequest?.(null, permission, (g: boolean) => (granted = g), { requestingUrl: url, isMainFrame });
      return granted;
    };
    expect(ask('media', `${APP_ORIGIN}/index.html`)).toBe(true);
    expect(ask('media', 'https://evil.example/')).toBe(false);
    expect(ask('media', `${APP_ORIGIN}/index.html`, false)).toBe(false);
    expect(ask('geolocation', `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(ask('notifications', `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(state.permissionCheck?.(null, 'media', APP_ORIGIN)).toBe(true);
    expect(state.permissionCheck?.(null, 'media', 'https://evil.example')).toBe(false);
    expect(state.permissionCheck?.(null, 'clipboard-read', APP_ORIGIN)).toBe(false);
  });

  it('serves the renderer with the CSP and refuses paths outside it', async () => {
    const page = await get('/index.html');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("media-src 'self' blob:");
    expect(csp).not.toContain('unsafe-eval');
    expect((await get('/..%2fsecret.txt')).status).toBe(404);
    expect((await get('/%E0%A4%A')).status).toBe(400);
    if (!state.protocolHandler) throw new Error('protocol not installed');
    expect((await state.protocolHandler(new Request('app://other/index.html'))).status).toBe(404);
  });

  it('serves a decoded voicemail with Range support', async () => {
    const whole = await get('/media/audio/VV-Mail%2FInbox%2F1');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(wav);
    const part = await get('/media/audio/VV-Mail%2FInbox%2F1', { Range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(wav.subarray(100, 200));
    expect((await get('/media/audio/VV-Mail%2FInbox%2F1', { Range: 'bytes=5000-' })).status).toBe(416);
    expect((await get('/media/audio/unknown')).status).toBe(404);
  });
});
