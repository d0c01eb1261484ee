// WWW-Authenticate parsing per RFC 7235 section 4.1 and 2.1 (challenge grammar), RFC 7230 3.2.6
// (token, quoted-string, quoted-pair), and the Digest challenge fields of RFC 7616 3.3 / RFC 3310 3.1.
//
//   WWW-Authenticate = 1#challenge
//   challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//   auth-param       = token BWS "=" BWS ( token / quoted-string )
//   token68          = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//
// The scanner is a single left-to-right pass over the header (linear time); input size, challenge count
// and parameter count are capped before and during the scan so hostile headers cost bounded memory.

/** Why a header could not be parsed. Callers map this to gba.malformed or http.badResponse. */
export type DigestSyntaxReason =
  | 'empty'
  | 'tooLong'
  | 'tooMany'
  | 'unterminatedQuote'
  | 'badEscape'
  | 'badToken'
  | 'duplicateParam'
  | 'missingParam'
  | 'badParam'
  | 'noDigest';

/** A malformed or hostile authentication header. The message names the problem, never header values. */
export class DigestSyntaxError extends Error {
  override readonly name = 'DigestSyntaxError' as const;
  constructor(
    readonly reason: DigestSyntaxReason,
    message: string,
  ) {
    super(message);
  }
}

/** One challenge: the scheme as sent, and either a token68 or named parameters (lower-cased names, in order). */
export interface Challenge {
  scheme: string;
  token68?: string;
  params: Map<string, string>;
}

/** Upper bounds for one header field's worth of challenges (all values of the field together). */
export const CHALLENGE_LIMITS = { maxChars: 16_384, maxChallenges: 16, maxParams: 64 } as const;

// tchar of RFC 7230 3.2.6.
function isTchar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x21 || c === 0x23 || c === 0x24 || c === 0x25 || c === 0x26 || c === 0x27 || c === 0x2a ||
    c === 0x2b || c === 0x2d || c === 0x2e || c === 0x5e || c === 0x5f || c === 0x60 || c === 0x7c || c === 0x7e
  );
}

function isToken68Char(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e || c === 0x2b || c === 0x2f
  );
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

class Scanner {
  i = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.i >= this.s.length;
  }
  peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }
  skipWs(): void {
    while (isWs(this.peek())) this.i++;
  }
  /** Skips OWS and list separators (RFC 7230 7: empty list elements are allowed). */
  skipListSeparators(): void {
    while (isWs(this.peek()) || this.peek() === 0x2c) this.i++;
  }
  token(): string {
    const start = this.i;
    while (isTchar(this.peek())) this.i++;
    return this.s.slice(start, this.i);
  }
  /** quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE; the opening quote is at the cursor. */
  quoted(): string {
    this.i++; // opening DQUOTE
    let out = '';
    let runStart = this.i;
    for (;;) {
      const c = this.peek();
      if (c === -1) throw new DigestSyntaxError('unterminatedQuote', 'unterminated quoted string in authentication header');
      if (c === 0x22) {
        out += this.s.slice(runStart, this.i);
        this.i++;
        return out;
      }
      if (c === 0x5c) {
        out += this.s.slice(runStart, this.i);
        const next = this.s.charCodeAt(this.i + 1);
        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ): DEL (0x7f) is none of them.
        if (Number.isNaN(next)) throw new DigestSyntaxError('unterminatedQuote', 'unterminated quoted string in authentication header');
        if ((next < 0x20 && next !== 0x09) || next === 0x7f) throw new DigestSyntaxError('badEscape', 'invalid escape in quoted string');
        out += this.s[this.i + 1];
        this.i += 2;
        runStart = this.i;
        continue;
      }
      // qdtext excludes CTLs other than HTAB (RFC 7230 3.2.6).
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) throw new DigestSyntaxError('badToken', 'control character in quoted string');
      this.i++;
    }
  }
}

/**
 * Parses every challenge in the given WWW-Authenticate (or Proxy-Authenticate) field values. Several
 * values are treated as one comma-separated list (RFC 7230 3.2.2). Parameter names are lower-cased;
 * a parameter repeated within one challenge is an error (RFC 7235 2.1: "MUST NOT occur more than once").
 */
export function parseChallenges(values: readonly string[]): Challenge[] {
  let total = 0;
  for (const v of values) {
    total += v.length + 2;
    if (total > CHALLENGE_LIMITS.maxChars) throw new DigestSyntaxError('tooLong', `authentication header longer than ${CHALLENGE_LIMITS.maxChars} characters`);
  }
  const out: Challenge[] = [];
  for (const v of values) parseOne(v, out);
  if (out.length === 0) throw new DigestSyntaxError('empty', 'authentication header holds no challenge');
  return out;
}

function parseOne(s: string, out: Challenge[]): void {
  const sc = new Scanner(s);
  let current: Challenge | null = null;
  // True right after "scheme 1*SP" when no token68 followed: the next element must be an auth-param.
  let expectParam = false;
  sc.skipListSeparators();
  while (!sc.done) {
    const name = sc.token();
    if (name === '') throw new DigestSyntaxError('badToken', `unexpected character at offset ${sc.i} of authentication header`);
    const afterName = sc.i;
    sc.skipWs();
    if (current !== null && current.token68 === undefined && sc.peek() === 0x3d) {
      // auth-param of the current challenge: token BWS "=" BWS ( token / quoted-string )
      sc.i++;
      sc.skipWs();
      const isQuoted = sc.peek() === 0x22;
      const value = isQuoted ? sc.quoted() : sc.token();
      if (!isQuoted && value === '') throw new DigestSyntaxError('badParam', `parameter '${safeName(name)}' has no value`);
      addParam(current, name, value);
      expectParam = false;
      endOfElement(sc);
      continue;
    }
    if (expectParam) throw new DigestSyntaxError('badToken', `expected a parameter at offset ${afterName} of authentication header`);
    // A new challenge: auth-scheme [ 1*SP ( token68 / #auth-param ) ]
    sc.i = afterName;
    if (out.length >= CHALLENGE_LIMITS.maxChallenges) throw new DigestSyntaxError('tooMany', `more than ${CHALLENGE_LIMITS.maxChallenges} challenges`);
    current = { scheme: name, params: new Map() };
    out.push(current);
    if (sc.done || sc.peek() === 0x2c) {
      endOfElement(sc);
      continue;
    }
    if (!isWs(sc.peek())) throw new DigestSyntaxError('badToken', `unexpected character at offset ${sc.i} of authentication header`);
    sc.skipWs();
    if (sc.done || sc.peek() === 0x2c) {
      endOfElement(sc);
      continue;
    }
    // token68 when the run of token68 characters and trailing '='s ends the element; else auth-params.
    const t68Start = sc.i;
    while (isToken68Char(sc.peek())) sc.i++;
    const coreEnd = sc.i;
    while (sc.peek() === 0x3d) sc.i++;
    const afterT68 = sc.i;
    sc.skipWs();
    if (coreEnd > t68Start && (sc.done || sc.peek() === 0x2c)) {
      current.token68 = s.slice(t68Start, afterT68);
      endOfElement(sc);
      continue;
    }
    sc.i = t68Start;
    expectParam = true;
  }
  if (expectParam) throw new DigestSyntaxError('badToken', 'authentication header ends inside a challenge');
}

function safeName(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}...` : name;
}

function addParam(ch: Challenge, rawName: string, value: string): void {
  const name = rawName.toLowerCase();
  if (ch.params.has(name)) throw new DigestSyntaxError('duplicateParam', `parameter '${safeName(name)}' appears twice in one challenge`);
  if (ch.params.size >= CHALLENGE_LIMITS.maxParams) throw new DigestSyntaxError('tooMany', `more than ${CHALLENGE_LIMITS.maxParams} parameters in one challenge`);
  ch.params.set(name, value);
}

/** After a list element: OWS, then end of input or a comma (and any further empty elements). */
function endOfElement(sc: Scanner): void {
  sc.skipWs();
  if (sc.done) return;
  if (sc.peek() !== 0x2c) throw new DigestSyntaxError('badToken', `unexpected character at offset ${sc.i} of authentication header`);
  sc.skipListSeparators();
}

/** Digest hash algorithms we can compute (RFC 7616 3.3 and RFC 3310 3.1). */
export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'AKAv1-MD5';

/** The fields of one Digest challenge (RFC 7616 3.3), validated. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  /** Quality-of-protection options offered; empty = RFC 2069 style, no qop. */
  qop: string[];
  algorithm: DigestAlgorithm;
  /** The algorithm exactly as the server spelled it (echoed back as is). */
  algorithmRaw: string | undefined;
  opaque: string | undefined;
  stale: boolean;
  /** Every parameter of the challenge in order, lower-case names, for echoing back. */
  params: Map<string, string>;
}

const ALGORITHMS: Record<string, DigestAlgorithm> = {
  md5: 'MD5',
  'md5-sess': 'MD5-sess',
  'sha-256': 'SHA-256',
  'sha-256-sess': 'SHA-256-sess',
  'akav1-md5': 'AKAv1-MD5',
};

/**
 * Picks the Digest challenge among parsed challenges (scheme compared case-insensitively, RFC 7235 2.1)
 * and validates it. With several Digest challenges, the first one whose algorithm is in `accept` wins.
 */
export function selectDigestChallenge(challenges: readonly Challenge[], accept: readonly DigestAlgorithm[]): DigestChallenge {
  let lastError: DigestSyntaxError | null = null;
  for (const c of challenges) {
    if (c.scheme.toLowerCase() !== 'digest') continue;
    try {
      const d = toDigestChallenge(c);
      if (accept.includes(d.algorithm)) return d;
      lastError = new DigestSyntaxError('badParam', `unsupported digest algorithm '${safeName(d.algorithmRaw ?? 'MD5')}'`);
    } catch (e) {
      if (!(e instanceof DigestSyntaxError)) throw e;
      lastError = e;
    }
  }
  throw lastError ?? new DigestSyntaxError('noDigest', 'no Digest challenge in the authentication header');
}

/** Validates one challenge's Digest fields (RFC 7616 3.3). */
export function toDigestChallenge(c: Challenge): DigestChallenge {
  if (c.token68 !== undefined) throw new DigestSyntaxError('badParam', 'Digest challenge carries a token68 instead of parameters');
  const realm = c.params.get('realm');
  const nonce = c.params.get('nonce');
  if (realm === undefined) throw new DigestSyntaxError('missingParam', "Digest challenge has no 'realm'");
  if (nonce === undefined || nonce === '') throw new DigestSyntaxError('missingParam', "Digest challenge has no 'nonce'");
  const algorithmRaw = c.params.get('algorithm');
  const algorithm = algorithmRaw === undefined ? 'MD5' : ALGORITHMS[algorithmRaw.toLowerCase()];
  if (algorithm === undefined) throw new DigestSyntaxError('badParam', `unsupported digest algorithm '${safeName(algorithmRaw ?? '')}'`);
  const qopRaw = c.params.get('qop');
  const qop = qopRaw === undefined ? [] : qopRaw.split(',').map((q) => q.trim().toLowerCase()).filter((q) => q !== '');
  if (qopRaw !== undefined && qop.length === 0) throw new DigestSyntaxError('badParam', "Digest challenge has an empty 'qop'");
  return {
    realm,
    nonce,
    qop,
    algorithm,
    algorithmRaw,
    opaque: c.params.get('opaque'),
    stale: (c.params.get('stale') ?? '').toLowerCase() === 'true',
    params: c.params,
  };
}

/** Parses an Authorization (or Authentication-Info) credentials value: `Digest k=v, ...` or bare `k=v, ...`. */
export function parseDigestCredentials(value: string, withScheme = true): Map<string, string> {
  const text = withScheme ? value : `X ${value}`;
  const [first, ...rest] = parseChallenges([text]);
  if (first === undefined || rest.length > 0) throw new DigestSyntaxError('badToken', 'credentials hold more than one scheme');
  if (withScheme && first.scheme.toLowerCase() !== 'digest') throw new DigestSyntaxError('noDigest', 'credentials are not Digest');
  if (first.token68 !== undefined) throw new DigestSyntaxError('badParam', 'credentials carry a token68');
  return first.params;
}
