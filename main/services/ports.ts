// Ports: the only way services reach the outside world. Adapters in main/adapters implement them;
// in-process simulators (main/sim) implement them too, for demo mode and tests.

/**
 * A connected card: sends one command APDU, returns the raw response including SW1 SW2.
 * The APDU layer above handles T=0 GET RESPONSE (61xx) and 6Cxx; this port does no retry of its own.
 */
export interface CardPort {
  /** The transmission protocol negotiated with the card. */
  readonly protocol: 'T0' | 'T1';
  /** Name of the reader this card sits in ("Virtual PCD 00 00", or "demo" in-process). */
  readonly readerName: string;
  transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * After transmit failed because another program reset the card (a CardError with `detail.reset`,
   * PC/SC SCARD_W_RESET_CARD): connects again to the same card without resetting it (disconnect + connect,
   * shared mode). Logical channels and PIN verification are gone; the session restores them.
   */
  reconnect?(signal?: AbortSignal): Promise<void>;
  /** Releases the card (leave it as is, no reset) and the reader. Idempotent. */
  close(): Promise<void>;
}

/** A card reader as the OS reports it. */
export interface ReaderInfo {
  name: string;
  cardPresent: boolean;
}

/** Card presence changes, for the UI's card status and for detecting a pulled card. */
export type ReaderEvent =
  | { kind: 'readerAdded'; reader: string }
  | { kind: 'readerRemoved'; reader: string }
  | { kind: 'cardInserted'; reader: string }
  | { kind: 'cardRemoved'; reader: string };

/** The PC/SC service (or the in-process demo reader). */
export interface CardReaderPort {
  /** Lists readers; waits up to `settleMs` for the service to report them. */
  listReaders(signal?: AbortSignal): Promise<ReaderInfo[]>;
  /** Connects in shared mode to the card in the named reader. */
  connect(readerName: string, signal?: AbortSignal): Promise<CardPort>;
  /** Subscribes to presence events; returns an unsubscribe function. */
  watch(listener: (e: ReaderEvent) => void): () => void;
  /** Closes every reader and the PC/SC context so the process can exit. Idempotent. */
  close(): Promise<void>;
}

/** A header map with lower-case names; repeated headers keep every value in order. */
export type HttpHeaders = Record<string, string[]>;

/** One HTTP request. The body is sent with a Content-Length (the relay speaks HTTP/1.0). */
export interface HttpRequest {
  method: string;
  url: string;
  /** Header names as they should appear on the wire. */
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** One buffered HTTP response. */
export interface HttpResponse {
  status: number;
  /** Reason phrase from the status line (the relay puts information in custom headers, not here). */
  statusText: string;
  headers: HttpHeaders;
  body: Uint8Array;
}

/**
 * HTTP with one new connection per request (no keep-alive), TLS always verified, bounded response size,
 * connect and read timeouts, cancellation through the signal. Errors are NetError (net.offline,
 * net.tls, net.timeout), HttpError (http.badResponse when the size cap is hit or the body is truncated),
 * or CancelledError.
 */
export interface HttpPort {
  request(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse>;
}

/** Wall-clock time (milliseconds since the epoch) and a monotonic timer for durations. */
export interface Clock {
  now(): number;
  monotonic(): number;
}

/** Cryptographically secure random bytes. */
export interface Random {
  bytes(n: number): Uint8Array;
}

/** Structured log. Fields must never hold secrets; B-TIDs, timings, status words and URLs are fine. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Progress of a long operation (ky's shape plus a phase), for the UI's progress bars. */
export interface Progress {
  phase: string;
  transferredBytes?: number;
  totalBytes?: number;
  done?: number;
  total?: number;
}

/** Options every long service call takes. */
export interface OpOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}
