// JSON with bytes, for the loopback web harness (Electron IPC uses structured clone instead). A
// Uint8Array becomes {"$bytes": "<base64>"}; everything decoded is validated by the contract schemas
// afterwards, so a forged tag can only yield bytes, never anything else.
import { fromBase64, toBase64 } from '../bytes.js';

function isBytesTag(v: unknown): v is { $bytes: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && '$bytes' in v && typeof v.$bytes === 'string';
}

/** Serialises a request, response or event for the web harness. `undefined` at the top becomes null. */
export function toWire(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => (v instanceof Uint8Array ? { $bytes: toBase64(v) } : v));
}

/** Parses {@link toWire} output; throws SyntaxError or RangeError on malformed input. */
export function fromWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => (isBytesTag(v) ? fromBase64(v.$bytes) : v));
}
