import type { AppError } from './errors.js';

/** The outcome of every IPC call and every service entry point the UI sees: never a thrown error. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Wraps a value as a successful {@link Result}. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps an {@link AppError} as a failed {@link Result}. */
export function err<T = never>(error: AppError): Result<T> {
  return { ok: false, error };
}
