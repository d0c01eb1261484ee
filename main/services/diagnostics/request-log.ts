// A bounded log of the HTTP requests of the running app, for the Diagnostics view. It records only
// what is safe to show and copy: method, URL without its query, status, duration and the error code.
// Headers and bodies are never kept, so no Authorization value, B-TID, nonce or digest response can be
// in it; the URL's query is dropped because extended relay URLs carry object paths in it.
import type { HttpPort } from '../ports.js';
import { toAppError } from '../../errors.js';

/** One request as the log keeps it. */
export interface RequestLogEntry {
  /** Wall-clock time of the request, ISO 8601. */
  at: string;
  method: string;
  /** Scheme, host and path only. */
  url: string;
  /** HTTP status, or null when no response came (see `error`). */
  status: number | null;
  ms: number;
  /** The error code when the request failed without a response. */
  error?: string;
}

/** The log: wrap every HttpPort the app uses with {@link RequestLog.wrap}. */
export interface RequestLog {
  wrap(http: HttpPort): HttpPort;
  entries(): RequestLogEntry[];
}

/** The URL without query, fragment or user info (never a secret, and short). */
export function loggableUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`.slice(0, 512);
  } catch {
    return '(invalid URL)';
  }
}

/** A ring buffer of the last `capacity` requests. */
export function createRequestLog(clock: { now(): number; monotonic(): number }, capacity = 200): RequestLog {
  const log: RequestLogEntry[] = [];
  function add(e: RequestLogEntry): void {
    log.push(e);
    if (log.length > capacity) log.splice(0, log.length - capacity);
  }
  return {
    wrap(http) {
      return {
        async request(req, signal) {
          const at = new Date(clock.now()).toISOString();
          const started = clock.monotonic();
          const base = { at, method: req.method, url: loggableUrl(req.url) };
          try {
            const res = await http.request(req, signal);
            add({ ...base, status: res.status, ms: Math.round(clock.monotonic() - started) });
            return res;
          } catch (e) {
            add({ ...base, status: null, ms: Math.round(clock.monotonic() - started), error: toAppError(e).code });
            throw e;
          }
        },
      };
    },
    entries: () => log.map((e) => ({ ...e })),
  };
}
