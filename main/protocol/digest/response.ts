// Digest response computation: RFC 7616 3.4.1-3.4.3 (MD5, SHA-256 and their -sess variants, qop auth and
// auth-int), RFC 3310 3.4 (AKAv1-MD5: the password is the AKA RES as raw bytes; for the resync round the
// password is empty), and the Authentication-Info rspauth of RFC 7616 3.5 / RFC 2617 3.2.3.
import { createHash } from 'node:crypto';
import { concatBytes, utf8 } from '../../../shared/bytes.js';
import type { DigestAlgorithm } from './challenge.js';

/** Everything the response depends on; cnonce is passed in so the computation stays deterministic. */
export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  /** Password bytes: UTF-8 of a text password, or RES for AKAv1-MD5 (RFC 3310 3.4), empty for resync. */
  password: Uint8Array;
  method: string;
  /** The digest-uri exactly as it is sent in the `uri` parameter. */
  uri: string;
  nonce: string;
  /** Chosen qop, or undefined for the RFC 2069 form. */
  qop: 'auth' | 'auth-int' | undefined;
  nc: string;
  cnonce: string;
  /** Entity body for qop auth-int (empty body when absent). */
  body?: Uint8Array;
}

function hashName(a: DigestAlgorithm): 'md5' | 'sha256' {
  return a === 'SHA-256' || a === 'SHA-256-sess' ? 'sha256' : 'md5';
}

function h(a: DigestAlgorithm, data: Uint8Array): string {
  return createHash(hashName(a)).update(data).digest('hex');
}

/** HA1 = H(username ":" realm ":" password), with the -sess form of RFC 7616 3.4.2. */
function ha1(i: DigestInput): string {
  const base = h(i.algorithm, concatBytes(utf8(`${i.username}:${i.realm}:`), i.password));
  if (i.algorithm === 'MD5-sess' || i.algorithm === 'SHA-256-sess') return h(i.algorithm, utf8(`${base}:${i.nonce}:${i.cnonce}`));
  return base;
}

/** HA2 = H(method ":" uri) or, for auth-int, H(method ":" uri ":" H(body)) (RFC 7616 3.4.3). */
function ha2(i: DigestInput, method: string): string {
  if (i.qop === 'auth-int') return h(i.algorithm, utf8(`${method}:${i.uri}:${h(i.algorithm, i.body ?? new Uint8Array())}`));
  return h(i.algorithm, utf8(`${method}:${i.uri}`));
}

function kd(i: DigestInput, a2: string): string {
  const a1 = ha1(i);
  if (i.qop === undefined) return h(i.algorithm, utf8(`${a1}:${i.nonce}:${a2}`));
  return h(i.algorithm, utf8(`${a1}:${i.nonce}:${i.nc}:${i.cnonce}:${i.qop}:${a2}`));
}

/** The `response` value (lower-case hex) of RFC 7616 3.4.1. */
export function computeDigestResponse(i: DigestInput): string {
  return kd(i, ha2(i, i.method));
}

/**
 * The `rspauth` of Authentication-Info: as the response, but A2 has an empty method (":" uri, plus
 * ":" H(response body) for auth-int) (RFC 7616 3.5, RFC 2617 3.2.3, RFC 3310 3.5).
 */
export function computeRspauth(i: DigestInput, responseBody?: Uint8Array): string {
  const withBody: DigestInput = responseBody === undefined ? i : { ...i, body: responseBody };
  return kd(withBody, ha2(withBody, ''));
}

/** Nonce count as 8 lower-case hex digits (RFC 7616 3.4). */
export function formatNc(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) throw new RangeError('nonce count out of range');
  return n.toString(16).padStart(8, '0');
}

/**
 * The digest-uri for the relay: the absolute request URL with every percent-escape decoded (the relay
 * compares against the decoded form; mstore protocol notes, "Authentication"). Malformed escapes are kept.
 */
export function decodedUri(url: string): string {
  return url.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run; // not valid UTF-8: keep the escapes as they are
    }
  });
}
