// The renderer's only way to main: the bridge that the preload (or the web harness) installed.
import type { Api } from '../shared/ipc/contract.js';

/** The typed bridge. Read lazily so tests can install a fake `window.api` first. */
export function api(): Api {
  return window.api;
}

/** A fresh operation id (style.md section 4). */
export function newOpId(): string {
  return crypto.randomUUID();
}
