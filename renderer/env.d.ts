// window.api comes from the preload (Electron) or the web-harness shim; its type is derived from the
// IPC contract, so nothing here is maintained by hand.
import type { Api } from '../shared/ipc/contract.js';

declare global {
  interface Window {
    readonly api: Api;
  }
}
