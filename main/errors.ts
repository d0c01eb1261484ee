// Error classes used inside main/. Each sets a literal `name` (as ky does) and carries a code from
// shared/errors.ts; toAppError turns any thrown value into an AppError for the UI and the CLI.
// Messages and details never contain secrets (PIN, RAND/AUTN/RES, CK/IK, Ks, NAF keys, Authorization).
import type { AppError, ErrorAction, ErrorCode, ErrorDetail } from '../shared/errors.js';

type Opts = { hint?: string; action?: ErrorAction; detail?: ErrorDetail; retryable?: boolean; cause?: unknown };

abstract class VvmError<C extends ErrorCode> extends Error {
  abstract override readonly name: string;
  readonly hint: string | undefined;
  /** What the user can do, as a code each front end words itself. */
  readonly action: ErrorAction | undefined;
  readonly detail: ErrorDetail | undefined;
  readonly retryable: boolean;
  constructor(
    readonly code: C,
    message: string,
    opts: Opts = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.hint = opts.hint;
    this.action = opts.action;
    this.detail = opts.detail;
    this.retryable = opts.retryable ?? false;
  }
}

/** PC/SC, the reader, the card and its PIN. */
export class CardError extends VvmError<Extract<ErrorCode, `card.${string}`>> {
  override readonly name = 'CardError' as const;
}
/** GBA bootstrapping against the BSF. */
export class GbaError extends VvmError<Extract<ErrorCode, `gba.${string}`>> {
  override readonly name = 'GbaError' as const;
}
/** HTTP-level failures from the relay, and malformed or unsafe responses. */
export class HttpError extends VvmError<Extract<ErrorCode, `http.${string}` | `mstore.${string}`>> {
  override readonly name = 'HttpError' as const;
}
/** Connection, DNS, TLS and timeouts. */
export class NetError extends VvmError<Extract<ErrorCode, `net.${string}`>> {
  override readonly name = 'NetError' as const;
}
/** ffmpeg, codecs, AMR parsing. */
export class AudioError extends VvmError<Extract<ErrorCode, `audio.${string}`>> {
  override readonly name = 'AudioError' as const;
}
/** Disk writes and reads. */
export class FsError extends VvmError<Extract<ErrorCode, `fs.${string}`>> {
  override readonly name = 'FsError' as const;
}
/** Settings, keychain, IPC input. */
export class AppConfigError extends VvmError<'config.invalid' | 'keychain.unavailable' | 'ipc.invalidRequest'> {
  override readonly name = 'AppConfigError' as const;
}
/** The user (or a timeout owner) aborted the operation through its AbortSignal. */
export class CancelledError extends VvmError<'op.cancelled'> {
  override readonly name = 'CancelledError' as const;
  constructor(message = 'Cancelled') {
    super('op.cancelled', message);
  }
}

/** Every error class above. */
export type KnownError = CardError | GbaError | HttpError | NetError | AudioError | FsError | AppConfigError | CancelledError;

/** Throws CancelledError when the signal is aborted (call between APDUs, requests, chunks). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

function isKnown(e: unknown): e is KnownError {
  return e instanceof VvmError;
}

/**
 * Turns anything thrown into an AppError. Unknown errors become `internal`; the caller logs their stack
 * in main only (`onInternal`), never in the message.
 */
export function toAppError(e: unknown, onInternal?: (e: unknown) => void): AppError {
  if (isKnown(e)) {
    const base: AppError = { code: e.code, message: e.message, retryable: e.retryable };
    if (e.hint !== undefined) base.hint = e.hint;
    if (e.action !== undefined) base.action = e.action;
    if (e.detail !== undefined) base.detail = e.detail;
    switch (e.name) {
      case 'CardError':
      case 'GbaError':
      case 'HttpError':
      case 'NetError':
      case 'AudioError':
      case 'FsError':
      case 'AppConfigError':
      case 'CancelledError':
        return base;
      default: {
        const never: never = e;
        return never;
      }
    }
  }
  if (e instanceof Error && e.name === 'AbortError') return { code: 'op.cancelled', message: 'Cancelled', retryable: false };
  onInternal?.(e);
  return { code: 'internal', message: 'Internal error (details are in the log)', retryable: false, action: 'openLog' };
}
