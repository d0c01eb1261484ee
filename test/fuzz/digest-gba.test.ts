// Fuzz: the RFC 7235 challenge parser, Digest credentials and the BSF's BootstrappingInfo. Hostile input
// ends in the parser's own typed error (never a TypeError or RangeError); well-formed input round-trips:
// every quoted value, whatever escapes it needs, comes back exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestSyntaxError, parseChallenges, parseDigestCredentials, selectDigestChallenge } from '../../main/protocol/digest/challenge.js';
import { buildBootstrappingInfo, parseBootstrappingInfo } from '../../main/protocol/gba/bootstrapping-info.js';
import { GbaFormatError } from '../../main/protocol/gba/format-error.js';
import { FUZZ_TIMEOUT_MS, check, hostileString } from './fuzz-config.js';

function only<E>(errorClass: new (...a: never[]) => E, f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof errorClass)) throw e;
  }
}

const TOKEN = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
// qdtext and quoted-pair characters: HTAB, SP, VCHAR, obs-text (RFC 7230 3.2.6), no controls or DEL.
const QUOTABLE = fc.array(fc.oneof(fc.constantFrom('"', '\\', ',', '=', ' ', '\t', 'é', 'ÿ'), fc.stringMatching(/^[\x21-\x7e]{1,4}$/)), { maxLength: 30 }).map((a) => a.join(''));
const quote = (v: string) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

describe('fuzz: digest challenges', () => {
  it('hostile headers fail only with DigestSyntaxError', () => {
    const header = fc.oneof(
      hostileString(300),
      fc.tuple(fc.constantFrom('Digest ', 'digest realm=', 'Basic ', 'Digest realm="', 'Digest nonce="a\\'), hostileString(200)).map((p) => p.join('')),
    );
    check(
      fc.property(fc.array(header, { minLength: 1, maxLength: 3 }), (values) => {
        only(DigestSyntaxError, () => selectDigestChallenge(parseChallenges(values), ['MD5', 'AKAv1-MD5']));
        only(DigestSyntaxError, () => parseDigestCredentials(values[0] ?? ''));
      }),
      3,
    );
  }, FUZZ_TIMEOUT_MS);

  it('quoted parameter values round-trip through any escaping', () => {
    check(
      fc.property(fc.uniqueArray(fc.tuple(TOKEN, QUOTABLE), { minLength: 1, maxLength: 6, selector: ([k]) => k.toLowerCase() }), (params) => {
        const header = `Digest ${params.map(([k, v]) => `${k}=${quote(v)}`).join(', ')}`;
        const [c] = parseChallenges([header]);
        expect(c?.scheme).toBe('Digest');
        for (const [k, v] of params) expect(c?.params.get(k.toLowerCase())).toBe(v);
      }),
      2,
    );
  }, FUZZ_TIMEOUT_MS);

  it('an escaped control character or DEL is refused', () => {
    check(
      fc.property(QUOTABLE, fc.oneof(fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 9), fc.constant(0x7f)), (v, ctl) => {
        expect(() => parseChallenges([`Digest realm="${v.replace(/[\\"]/g, '')}\\${String.fromCharCode(ctl)}", nonce="n"`])).toThrow(DigestSyntaxError);
      }),
    );
  }, FUZZ_TIMEOUT_MS);
});

describe('fuzz: BootstrappingInfo', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('hostile documents fail only with GbaFormatError', () => {
    const doc = fc.oneof(
      hostileString(400),
      fc.tuple(fc.constantFrom('<BootstrappingInfo xmlns="uri:3gpp-gba"><btid>', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><BootstrappingInfo xmlns="uri:3gpp-gba">', '<BootstrappingInfo><btid>'), hostileString(200), fc.constantFrom('</btid><lifetime>2030-01-01T00:00:00Z</lifetime></BootstrappingInfo>', '', '</BootstrappingInfo>')).map((p) => p.join('')),
    );
    check(fc.property(doc, (d) => only(GbaFormatError, () => parseBootstrappingInfo(enc(d)))), 3);
  }, FUZZ_TIMEOUT_MS);

  it('what the BSF builds parses back, B-TID and lifetime exact', () => {
    const rand = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64'));
    const host = fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), { minLength: 2, maxLength: 4 }).map((l) => l.join('.'));
    const when = fc.date({ min: new Date('2001-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    check(
      fc.property(rand, host, when, (r, h, lifetime) => {
        const info = parseBootstrappingInfo(enc(buildBootstrappingInfo(`${r}@${h}`, lifetime)));
        expect(info.btid).toBe(`${r}@${h}`);
        expect(info.lifetime).toBe(lifetime);
        expect(info.expiresAt).toBe(Date.parse(lifetime));
      }),
    );
  }, FUZZ_TIMEOUT_MS);
});
