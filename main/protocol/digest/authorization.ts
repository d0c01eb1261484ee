// Authorization header formatting (RFC 7616 3.4, RFC 3310 3.2/3.4) with the relay's quirks taken from
// the reference client (mstore client notes, "Digest to the NAF"): every challenge parameter echoed,
// every value quoted except `nc` (the relay mis-parses a quoted nc), pairs joined with ",".
import type { DigestChallenge } from './challenge.js';
import { DigestSyntaxError } from './challenge.js';

/**
 * 'reference': quote every value but nc, as the reference mstore client does.
 * 'rfc': RFC 7616 3.4 quoting: algorithm, qop and nc are tokens, everything else quoted.
 */
export type QuoteStyle = 'reference' | 'rfc';

/** The credentials to send, in wire order; `extra` holds echoed challenge params and auts. */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm?: string;
  cnonce?: string;
  qop?: string;
  nc?: string;
  opaque?: string;
  /** Further parameters in order (lower-case names), e.g. echoed challenge params or `auts`. */
  extra?: ReadonlyArray<readonly [string, string]>;
}

const RFC_TOKENS = new Set(['algorithm', 'qop', 'nc']);
const OWN = new Set(['username', 'realm', 'nonce', 'uri', 'response', 'algorithm', 'cnonce', 'qop', 'nc', 'opaque']);

function hasControlChar(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** quoted-string of RFC 7230 3.2.6: backslash-escape '"' and '\'; refuse CR/LF/NUL (header injection). */
export function quote(value: string): string {
  if (hasControlChar(value)) throw new DigestSyntaxError('badParam', 'control character in a header value');
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** Formats `Digest k=v,k=v,...`. */
export function formatAuthorization(c: DigestCredentials, style: QuoteStyle): string {
  const pairs: Array<[string, string]> = [
    ['username', c.username],
    ['realm', c.realm],
    ['nonce', c.nonce],
    ['uri', c.uri],
    ['response', c.response],
  ];
  if (c.algorithm !== undefined) pairs.push(['algorithm', c.algorithm]);
  if (c.cnonce !== undefined) pairs.push(['cnonce', c.cnonce]);
  if (c.opaque !== undefined) pairs.push(['opaque', c.opaque]);
  if (c.qop !== undefined) pairs.push(['qop', c.qop]);
  if (c.nc !== undefined) pairs.push(['nc', c.nc]);
  for (const [k, v] of c.extra ?? []) {
    if (OWN.has(k)) continue;
    pairs.push([k, v]);
  }
  const parts = pairs.map(([k, v]) => {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(k)) throw new DigestSyntaxError('badParam', 'invalid parameter name');
    const bare = k === 'nc' || (style === 'rfc' && RFC_TOKENS.has(k));
    if (bare && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(v)) throw new DigestSyntaxError('badParam', `value of '${k}' is not a token`);
    return `${k}=${bare ? v : quote(v)}`;
  });
  return `Digest ${parts.join(',')}`;
}

/**
 * The challenge parameters to echo back besides the ones the client computes (RFC 7616 3.4: opaque
 * "MUST be returned unchanged"; the reference client echoes every parameter, so do we).
 */
export function echoedParams(ch: DigestChallenge): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of ch.params) {
    if (OWN.has(k)) continue;
    out.push([k, v]);
  }
  return out;
}
