// The simulated carrier's own HTTP Digest code, written from RFC 7235 2.1, RFC 7230 3.2.6, RFC 7616 3.4
// and RFC 3310 3.4, deliberately NOT the client's (main/protocol/digest): a misreading shared by client
// and simulator would pass every test and fail on the real network. Network side only: it parses what a
// client sends and computes what a server expects. Small and strict; hostile input costs linear time.
import { createHash } from 'node:crypto';

/** Most characters of an Authorization value the simulators look at. */
const MAX_CREDENTIALS = 8192;

/**
 * `Digest k=v, k="v", ...` -> lower-case names to values (quoted-pairs resolved), or null when the value is
 * not one Digest credentials list: another scheme, a repeated parameter, an unterminated quote, a bare
 * value that is not a token, anything after the list.
 */
export function parseDigestAuthorization(value: string): Map<string, string> | null {
  if (value.length > MAX_CREDENTIALS) return null;
  const m = /^\s*Digest[ \t]+/i.exec(value);
  if (!m) return null;
  const out = new Map<string, string>();
  let i = m[0].length;
  const s = value;
  const ws = () => {
    while (s[i] === ' ' || s[i] === '\t') i++;
  };
  const tokenRe = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
  for (;;) {
    ws();
    tokenRe.lastIndex = i;
    const name = tokenRe.exec(s)?.[0];
    if (name === undefined) return null;
    i += name.length;
    ws();
    if (s[i] !== '=') return null;
    i++;
    ws();
    let v = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        const c = s[i];
        if (c === undefined) return null;
        if (c === '"') break;
        if (c === '\\') {
          const n = s[i + 1];
          if (n === undefined) return null;
          v += n;
          i += 2;
          continue;
        }
        if (c.charCodeAt(0) < 0x20 && c !== '\t') return null;
        v += c;
        i++;
      }
      i++;
    } else {
      tokenRe.lastIndex = i;
      const t = tokenRe.exec(s)?.[0];
      if (t === undefined) return null;
      v = t;
      i += t.length;
    }
    const key = name.toLowerCase();
    if (out.has(key)) return null; // RFC 7235 2.1: each parameter name at most once
    out.set(key, v);
    ws();
    if (i >= s.length) return out;
    if (s[i] !== ',') return null;
    i++;
  }
}

/** quoted-string (RFC 7230 3.2.6) for values the simulators write into their own headers. */
export function quoteValue(v: string): string {
  return `"${v.replace(/(["\\])/g, '\\$1')}"`;
}

function md5hex(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * RFC 7616 3.4.1 with MD5 and qop "auth-int", as RFC 3310 3.4 uses it for AKAv1-MD5: the password is the raw
 * RES (empty for the resync round). `method` is '' for Authentication-Info's rspauth (RFC 7616 3.5).
 */
export function akaDigest(p: { username: string; realm: string; password: Uint8Array; method: string; uri: string; nonce: string; nc: string; cnonce: string; body: Uint8Array }): string {
  const ha1 = md5hex(Buffer.concat([Buffer.from(`${p.username}:${p.realm}:`, 'utf8'), Buffer.from(p.password)]));
  const ha2 = md5hex(Buffer.from(`${p.method}:${p.uri}:${md5hex(Buffer.from(p.body))}`, 'utf8'));
  return md5hex(Buffer.from(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth-int:${ha2}`, 'utf8'));
}
