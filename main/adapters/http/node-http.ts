// HttpPort over node:http / node:https. One new connection per request (agent: false, as the reference
// client opens a new connection for the probe and for the authenticated request), tolerant of HTTP/1.0
// servers (a body without Content-Length ends when the server closes), TLS ALWAYS verified (extra CAs
// are added to Node's default roots, never replace verification), bounded response size, connect and
// read (idle) timeouts, cancellation through the AbortSignal. Header names go out exactly as given.
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Socket } from 'node:net';
import { AppConfigError, CancelledError, HttpError, NetError } from '../../errors.js';
import type { HttpHeaders, HttpPort, HttpRequest, HttpResponse } from '../../services/ports.js';

/** Adapter settings (from Settings: caPem, connectTimeoutMs, readTimeoutMs, maxResponseBytes). */
export interface NodeHttpOptions {
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  caPem?: readonly string[];
  /** Time allowed for DNS + TCP connect (+ TLS handshake for https). */
  connectTimeoutMs: number;
  /** Longest silence allowed while waiting for or reading the response. */
  readTimeoutMs: number;
  /** Largest response body accepted. */
  maxResponseBytes: number;
}

/**
 * Largest response head (status line + all headers) accepted: 256 KiB, well above Node's 16 KiB default,
 * so one odd header (a 64 KiB Content-Disposition) does not make a voicemail undownloadable, while a
 * server that never ends its headers is still cut off. Callers read only the headers they need.
 */
export const MAX_RESPONSE_HEADER_BYTES = 256 * 1024;

const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);

function errorCode(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return '';
}

function isTlsError(code: string, e: unknown): boolean {
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.includes('CERT') || code.includes('SELF_SIGNED') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'EPROTO') return true;
  return e instanceof Error && /SSL|TLS|certificate/i.test(e.message) && code === '';
}

/** Maps a socket-level failure to NetError (net.offline / net.tls). */
function mapNetError(e: unknown, url: URL): Error {
  const code = errorCode(e);
  const where = { host: url.host, code: code || 'unknown' };
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new HttpError('http.badResponse', `The response headers from ${url.host} are larger than ${MAX_RESPONSE_HEADER_BYTES / 1024} KiB`, {
      hint: 'The server sent an unusually large response head; try again later.',
      detail: { ...where, limitBytes: MAX_RESPONSE_HEADER_BYTES },
      cause: e,
    });
  }
  if (code.startsWith('HPE_')) {
    // llhttp refused the response (bad status line, header overflow, bad chunking ...).
    return new HttpError('http.badResponse', `Malformed HTTP response from ${url.host}`, { hint: 'The server did not speak valid HTTP; check the server address.', detail: where, cause: e });
  }
  if (isTlsError(code, e)) {
    return new NetError('net.tls', `TLS verification failed for ${url.host}`, {
      hint: 'The server certificate is not trusted. For a private or test server, add its CA certificate.',
      action: 'trustCa',
      detail: where,
      cause: e,
    });
  }
  if (OFFLINE_CODES.has(code)) {
    return new NetError('net.offline', `Cannot reach ${url.host}`, { hint: 'Check the network connection and the server address.', detail: where, retryable: true, cause: e });
  }
  return new NetError('net.offline', `Connection to ${url.host} failed`, { hint: 'Check the network connection and try again.', detail: where, retryable: true, cause: e });
}

function toHeaders(raw: readonly string[]): HttpHeaders {
  const out: HttpHeaders = Object.create(null) as HttpHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    (out[name] ??= []).push(raw[i + 1] ?? '');
  }
  return out;
}

function validateHeaders(h: Record<string, string>): void {
  for (const [k, v] of Object.entries(h)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) || /[\r\n\0]/.test(v)) {
      throw new AppConfigError('config.invalid', 'Invalid HTTP header in request', { detail: { header: k.slice(0, 40) } });
    }
  }
}

/** Builds the HttpPort. */
export function createNodeHttp(opts: NodeHttpOptions): HttpPort {
  const ca = opts.caPem !== undefined && opts.caPem.length > 0 ? [...tls.rootCertificates, ...opts.caPem] : undefined;
  return {
    request(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
      return send(req, opts, ca, signal);
    },
  };
}

function send(req: HttpRequest, opts: NodeHttpOptions, ca: string[] | undefined, signal: AbortSignal | undefined): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.reject(new AppConfigError('config.invalid', 'Invalid request URL'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new AppConfigError('config.invalid', `Unsupported URL scheme ${url.protocol}`));
  try {
    validateHeaders(req.headers);
  } catch (e) {
    return Promise.reject(e);
  }
  if (signal?.aborted) return Promise.reject(new CancelledError());

  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) headers['Content-Length'] = String(req.body.length);

    const common = {
      method: req.method,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
      agent: false as const,
      setHost: true,
      maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
    };
    const r =
      url.protocol === 'https:'
        ? https.request({ ...common, rejectUnauthorized: true, ...(ca !== undefined && { ca }) })
        : http.request(common);

    const connectTimer = setTimeout(() => {
      finish(new NetError('net.timeout', `Connecting to ${url.host} timed out`, { hint: 'Check the network connection and the server address.', detail: { host: url.host, phase: 'connect', timeoutMs: opts.connectTimeoutMs }, retryable: true }));
    }, opts.connectTimeoutMs);

    const finish = (e: Error | null, value?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      signal?.removeEventListener('abort', onAbort);
      // Release the connection either way: one connection per request, never reused.
      r.destroy();
      if (e) reject(e);
      else if (value) resolve(value);
    };
    const onAbort = () => finish(new CancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });

    const readTimeout = (phase: string) =>
      new NetError('net.timeout', `${url.host} did not answer in time`, { hint: 'The server is slow or unreachable; try again later.', detail: { host: url.host, phase, timeoutMs: opts.readTimeoutMs }, retryable: true });

    r.on('socket', (socket: Socket) => {
      const connected = () => {
        clearTimeout(connectTimer);
        // Idle timeout from here on: covers waiting for the status line and every gap in the body.
        socket.setTimeout(opts.readTimeoutMs, () => finish(readTimeout('read')));
      };
      const secure = url.protocol === 'https:';
      if (secure) socket.once('secureConnect', connected);
      else if (socket.connecting) socket.once('connect', connected);
      else connected();
    });

    r.on('error', (e) => finish(mapNetError(e, url)));

    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > opts.maxResponseBytes) {
        finish(new HttpError('http.badResponse', `Response from ${url.host} is too large`, { detail: { host: url.host, limitBytes: opts.maxResponseBytes } }));
        return;
      }
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > opts.maxResponseBytes) {
          finish(new HttpError('http.badResponse', `Response from ${url.host} is too large`, { detail: { host: url.host, limitBytes: opts.maxResponseBytes } }));
          return;
        }
        chunks.push(c);
      });
      const truncated = () =>
        new HttpError('http.badResponse', `Response from ${url.host} was cut off`, { hint: 'The connection dropped mid-response; try again.', detail: { host: url.host, receivedBytes: size }, retryable: true });
      res.on('aborted', () => finish(truncated()));
      res.on('error', () => finish(truncated()));
      res.on('end', () => {
        if (!res.complete) {
          finish(truncated());
          return;
        }
        const body = new Uint8Array(Buffer.concat(chunks));
        if (Number.isFinite(declared) && body.length !== declared) {
          finish(truncated());
          return;
        }
        finish(null, { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: toHeaders(res.rawHeaders), body });
      });
      res.on('close', () => {
        if (!res.complete) finish(truncated());
      });
    });

    if (req.body !== undefined && req.body.length > 0) r.end(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.length));
    else r.end();
  });
}
