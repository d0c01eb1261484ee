// The loopback web harness (development and tests only; never part of the packaged app): serves the
// built renderer and the SAME IPC contract over HTTP, dispatching to the SAME implementations as
// main/ipc, so the renderer can be driven in a real browser without Electron.
//   GET  /?token=T          sets the token cookie and redirects to /index.html
//   POST /ipc/<channel>     body: wire JSON of the request; answer: wire JSON of the Result
//   GET  /events?client=ID  Server-Sent Events: op:progress (to that client only), card:status and the
//                           library pushes (library:changed, sync:status, notify:open)
//   GET  /media/audio/<id>  decoded audio with HTTP Range (RFC 9110 section 14), as app:// in Electron
// Every request must carry the token (cookie, or `Authorization: Bearer`), the Host header must be our
// loopback address (DNS rebinding), and POSTs must come from our own Origin.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fromWire, toWire } from '../../shared/ipc/wire.js';
import { isKnownChannel, type Dispatcher } from '../ipc/dispatch.js';
import { answerRange } from '../protocol/wav-range.js';
import type { EventName, EventPayload } from '../../shared/ipc/contract.js';

/** Options of {@link startWebHarness}. */
export interface WebHarnessOptions {
  dispatcher: Dispatcher;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The built browser shim that provides window.api over HTTP (out/web-harness/api-shim.js). */
  shimFile: string;
  /** Subscribes to card status pushes; returns the unsubscribe function. */
  watchCardStatus?: (push: (s: EventPayload<'card:status'>) => void) => () => void;
  /** Subscribes to the other pushes for every window (library:changed, sync:status, notify:open); returns the unsubscribe function. */
  watchEvents?: (push: <E extends Exclude<EventName, 'op:progress' | 'card:status'>>(name: E, payload: EventPayload<E>) => void) => () => void;
  /** Decoded audio for GET /media/audio/<id> (served with Range, as Electron's app:// does). */
  audio?: (id: string) => Uint8Array | undefined;
  port?: number;
}

/** A running harness. */
export interface WebHarness {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** Open this URL in the browser: it carries the token once and sets the cookie. */
  entryUrl: string;
  token: string;
  close(): Promise<void>;
}

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };
const MAX_BODY = 32 * 1024 * 1024;
const COOKIE = 'vvm_harness';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v) return v;
  }
  return null;
}

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer ([0-9a-f]+)$/.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > MAX_BODY) {
        reject(new RangeError('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.end(body);
}

/** Starts the harness on 127.0.0.1 (random port by default) with a fresh random token. */
export async function startWebHarness(opts: WebHarnessOptions): Promise<WebHarness> {
  const token = randomBytes(24).toString('hex');
  const streams = new Map<string, Set<ServerResponse>>();
  const root = resolve(opts.rendererDir);
  let origin = '';

  function push<E extends EventName>(client: string | null, name: E, payload: EventPayload<E>): void {
    const frame = `event: ${name}\ndata: ${toWire(payload)}\n\n`;
    const targets = client === null ? [...streams.values()].flatMap((s) => [...s]) : [...(streams.get(client) ?? [])];
    for (const r of targets) r.write(frame);
  }
  const unwatch = opts.watchCardStatus?.((s) => push(null, 'card:status', s));
  const unwatchEvents = opts.watchEvents?.((name, payload) => push(null, name, payload));

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    if (pathname === '/harness/api-shim.js') return send(res, 200, await readFile(opts.shimFile), TYPES['.js']);
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      return send(res, 400, 'Bad request');
    }
    const file = resolve(root, '.' + decoded);
    if (!file.startsWith(root + sep)) return send(res, 404, 'Not found');
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      return send(res, 404, 'Not found');
    }
    if (extname(file) === '.html') {
      // The shim defines window.api before the renderer's module script runs (the preload's job in Electron).
      data = Buffer.from(data.toString('utf8').replace('<head>', '<head><script src="/harness/api-shim.js"></script>'));
    }
    send(res, 200, data, TYPES[extname(file)] ?? 'application/octet-stream');
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.headers.host !== new URL(origin).host) return send(res, 421, 'Wrong host');
    // Entry: trade the one-time query token for an HttpOnly cookie, then load the app.
    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!sameToken(url.searchParams.get('token') ?? '', token)) return send(res, 403, 'Forbidden');
      res.writeHead(303, { Location: '/index.html', 'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` });
      return void res.end();
    }
    const presented = cookieToken(req) ?? bearer(req);
    if (presented === null || !sameToken(presented, token)) return send(res, 403, 'Forbidden');

    if (req.method === 'GET' && url.pathname === '/events') {
      const client = url.searchParams.get('client') ?? '';
      if (!/^[0-9a-f-]{36}$/.test(client)) return send(res, 400, 'Bad client id');
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      const set = streams.get(client) ?? new Set<ServerResponse>();
      set.add(res);
      streams.set(client, set);
      req.on('close', () => {
        set.delete(res);
        if (set.size === 0) streams.delete(client);
      });
      return;
    }

    const media = /^\/media\/audio\/([^/]+)$/.exec(url.pathname);
    if (media?.[1] !== undefined && req.method === 'GET') {
      let id: string;
      try {
        id = decodeURIComponent(media[1]);
      } catch {
        return send(res, 400, 'Bad request');
      }
      const wav = opts.audio?.(id);
      if (!wav) return send(res, 404, 'Not found');
      const r = answerRange(wav, typeof req.headers.range === 'string' ? req.headers.range : undefined, 'audio/wav');
      res.writeHead(r.status, { ...r.headers, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      return void res.end(r.body);
    }

    const ipc = /^\/ipc\/([a-zA-Z]+:[a-zA-Z]+)$/.exec(url.pathname);
    if (ipc?.[1] !== undefined && req.method === 'POST') {
      if (req.headers.origin !== undefined && req.headers.origin !== origin) return send(res, 403, 'Foreign origin');
      const channel = ipc[1];
      if (!isKnownChannel(channel)) return send(res, 404, 'Unknown channel');
      let raw: unknown;
      try {
        raw = fromWire(await readBody(req));
      } catch {
        raw = Symbol('malformed'); // fails every schema: answered as ipc.invalidRequest below
      }
      const client = typeof req.headers['x-client-id'] === 'string' ? req.headers['x-client-id'] : null;
      const result = await opts.dispatcher.dispatch(channel, raw, (p) => push(client, 'op:progress', p));
      return send(res, 200, toWire(result), 'application/json');
    }
    if (req.method === 'GET') return serveStatic(res, url.pathname);
    return send(res, 405, 'Method not allowed');
  }

  const server = createServer((req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal error');
      else res.end();
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    entryUrl: `${origin}/?token=${token}`,
    token,
    async close() {
      unwatch?.();
      unwatchEvents?.();
      opts.dispatcher.abortAll();
      for (const set of streams.values()) for (const r of set) r.end();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
