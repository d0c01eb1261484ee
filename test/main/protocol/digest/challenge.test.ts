import { describe, expect, it } from 'vitest';
import { CHALLENGE_LIMITS, DigestSyntaxError, parseChallenges, parseDigestCredentials, selectDigestChallenge, type DigestSyntaxReason } from '../../../../main/protocol/digest/challenge.js';

function params(values: string[], i = 0): Record<string, string> {
  const c = parseChallenges(values)[i];
  if (!c) throw new Error(`no challenge ${i}`);
  return Object.fromEntries(c.params);
}

describe('parseChallenges (RFC 7235)', () => {
  it('parses the BSF challenge', () => {
    const cs = parseChallenges(['Digest realm="bsf.example.org", nonce="AAAA", algorithm=AKAv1-MD5, qop="auth-int", opaque="5ccc"']);
    expect(cs).toHaveLength(1);
    expect(cs[0]?.scheme).toBe('Digest');
    expect(params(['Digest realm="bsf.example.org", nonce="AAAA", algorithm=AKAv1-MD5, qop="auth-int", opaque="5ccc"'])).toEqual({
      realm: 'bsf.example.org',
      nonce: 'AAAA',
      algorithm: 'AKAv1-MD5',
      qop: 'auth-int',
      opaque: '5ccc',
    });
  });

  it('several challenges in one header, with commas inside quotes and token68', () => {
    const cs = parseChallenges(['Newauth realm="apps", type=1, title="Login to \\"apps\\", please", Basic realm="simple", Negotiate abc+/de==, Digest realm="r",nonce="n,o"']);
    expect(cs.map((c) => c.scheme)).toEqual(['Newauth', 'Basic', 'Negotiate', 'Digest']);
    expect(cs[0]?.params.get('title')).toBe('Login to "apps", please');
    expect(cs[2]?.token68).toBe('abc+/de==');
    expect(cs[3]?.params.get('nonce')).toBe('n,o');
  });

  it('challenges across several header lines', () => {
    const cs = parseChallenges(['Basic realm="x"', 'digest NONCE="n", Realm="r"']);
    expect(cs).toHaveLength(2);
    expect(selectDigestChallenge(cs, ['MD5']).realm).toBe('r');
  });

  it('any parameter order, case-insensitive names and scheme, BWS around "=" and empty list elements', () => {
    const a = selectDigestChallenge(parseChallenges(['DIGEST   QOP = "auth" ,, NONCE="n" , realm = r ,']), ['MD5']);
    expect(a.realm).toBe('r');
    expect(a.nonce).toBe('n');
    expect(a.qop).toEqual(['auth']);
    expect(a.algorithm).toBe('MD5');
  });

  it('qop lists and algorithm selection', () => {
    const cs = parseChallenges(['Digest realm="r", nonce="1", algorithm=SHA-256, qop="auth, auth-int"', 'Digest realm="r", nonce="2", algorithm=MD5']);
    expect(selectDigestChallenge(cs, ['SHA-256']).qop).toEqual(['auth', 'auth-int']);
    expect(selectDigestChallenge(cs, ['MD5']).nonce).toBe('2');
    expect(selectDigestChallenge(cs, ['MD5', 'SHA-256']).nonce).toBe('1');
  });

  it('empty quoted values are values', () => {
    expect(params(['Digest realm="", nonce="x"']).realm).toBe('');
  });

  it('parses credentials (Authorization) and bare Authentication-Info', () => {
    expect(parseDigestCredentials('Digest username="a", nc=00000001').get('nc')).toBe('00000001');
    expect(parseDigestCredentials('rspauth="abc", qop=auth-int, cnonce="c", nc=00000001', false).get('rspauth')).toBe('abc');
    expect(() => parseDigestCredentials('Basic dXNlcjpwYXNz')).toThrow(DigestSyntaxError);
  });
});

describe('hostile and malformed headers give typed errors', () => {
  const rows: Array<[string, string[], DigestSyntaxReason]> = [
    ['empty', [''], 'empty'],
    ['only commas', [' , ,'], 'empty'],
    ['unterminated quote', ['Digest realm="abc, nonce=x'], 'unterminatedQuote'],
    ['backslash at the very end', ['Digest realm="abc\\'], 'unterminatedQuote'],
    ['escaped CR', ['Digest realm="a\\\rb"'], 'badEscape'],
    ['escaped DEL', ['Digest realm="a\\\u007fb"'], 'badEscape'],
    ['raw control char in quotes', ['Digest realm="a\u0001b"'], 'badToken'],
    ['duplicate parameter', ['Digest realm="a", nonce="1", REALM="b"'], 'duplicateParam'],
    ['missing value (reads as token68, then a stray "=")', ['Digest realm=, nonce="1"'], 'badToken'],
    ['missing value mid-list', ['Digest nonce="1", realm=, qop=auth'], 'badParam'],
    ['garbage after a quoted value', ['Digest realm="a"b, nonce="1"'], 'badToken'],
    ['two words without comma', ['Digest foo bar'], 'badToken'],
    ['leading "="', ['=Digest'], 'badToken'],
    ['non-ASCII scheme', ['Dïgest realm="a"'], 'badToken'],
    ['huge header', ['Digest realm="' + 'a'.repeat(CHALLENGE_LIMITS.maxChars) + '"'], 'tooLong'],
    ['huge across lines', Array.from({ length: 40 }, () => 'Basic ' + 'x'.repeat(500)), 'tooLong'],
    ['too many challenges', [Array.from({ length: CHALLENGE_LIMITS.maxChallenges + 1 }, (_, i) => `S${i}`).join(', ')], 'tooMany'],
    ['too many params', ['Digest ' + Array.from({ length: CHALLENGE_LIMITS.maxParams + 1 }, (_, i) => `p${i}=1`).join(',')], 'tooMany'],
  ];
  for (const [name, values, reason] of rows) {
    it(name, () => {
      let caught: unknown;
      try {
        parseChallenges(values);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(DigestSyntaxError);
      expect((caught as DigestSyntaxError).reason).toBe(reason);
    });
  }

  const digestRows: Array<[string, string, DigestSyntaxReason]> = [
    ['no Digest at all', 'Basic realm="x"', 'noDigest'],
    ['missing nonce', 'Digest realm="x"', 'missingParam'],
    ['missing realm', 'Digest nonce="x"', 'missingParam'],
    ['unknown algorithm', 'Digest realm="x", nonce="n", algorithm=SHA-512-256', 'badParam'],
    ['empty qop', 'Digest realm="x", nonce="n", qop=""', 'badParam'],
    ['token68 digest', 'Digest abcdef==', 'badParam'],
  ];
  for (const [name, value, reason] of digestRows) {
    it(`selectDigestChallenge: ${name}`, () => {
      expect(() => selectDigestChallenge(parseChallenges([value]), ['MD5', 'AKAv1-MD5'])).toThrow(expect.objectContaining({ reason }));
    });
  }

  it('error messages never echo parameter values', () => {
    try {
      parseChallenges(['Digest realm="secret-value", realm="secret-value"']);
    } catch (e) {
      expect(String(e)).not.toContain('secret-value');
    }
  });

  it('pathological inputs just under the size limit are refused with a typed error or parsed (time: test/bench/gba-hostile.ts)', () => {
    const n = CHALLENGE_LIMITS.maxChars - 10;
    const inputs = ['\\'.repeat(n), '"'.repeat(n), ',='.repeat(n / 2), 'a'.repeat(n), 'Digest a="' + '\\"'.repeat(n / 2 - 10), 'Digest ' + 'a=b,'.repeat(n / 4 - 4), ' '.repeat(n)];
    const outcomes = inputs.map((s) => {
      try {
        parseChallenges([s]);
        return 'parsed';
      } catch (e) {
        return e instanceof DigestSyntaxError ? `refused:${e.reason}` : 'untyped';
      }
    });
    expect(outcomes).not.toContain('untyped');
    // The unterminated quoted strings must not be accepted.
    expect(outcomes[1]).toMatch(/^refused:/);
    expect(outcomes[4]).toMatch(/^refused:/);
  });

  it('a 1 MB header is refused as tooLong before scanning (time and memory: test/bench/gba-hostile.ts)', () => {
    for (const values of [['Digest realm="' + 'a'.repeat(1 << 20) + '"'], ['Digest realm="' + '\\'.repeat(1 << 20)], Array.from({ length: 1024 }, () => 'x'.repeat(1024))]) {
      let caught: unknown;
      try {
        parseChallenges(values);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(DigestSyntaxError);
      expect(caught).toMatchObject({ reason: 'tooLong' });
    }
  });
});
