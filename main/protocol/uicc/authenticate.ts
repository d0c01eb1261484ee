// AUTHENTICATE (INS 88) on the ISIM/USIM: 3G/IMS AKA context and the GBA contexts, per 3GPP TS 31.102
// 7.1.2 and TS 31.103 7.1.2. Both directions are here: the reader side builds commands and parses
// responses, the simulated card parses commands and builds responses, from the same layout.
import { concatBytes } from '../../../shared/bytes.js';
import type { CommandApdu } from '../apdu/command.js';
import { encodeLv, parseLvs } from '../apdu/tlv.js';
import { MalformedError } from '../apdu/malformed.js';

/** P2 of AUTHENTICATE: 0x81 = 3G / IMS AKA security context, 0x84 = GBA security context (TS 31.102 7.1.1). */
export const P2_CONTEXT_3G = 0x81;
export const P2_CONTEXT_GBA = 0x84;

/** Tags of the GBA context modes and of the responses (TS 31.102 7.1.2.1 - 7.1.2.4). */
export const TAG_SUCCESS = 0xdb;
export const TAG_SYNC_FAILURE = 0xdc;
export const TAG_GBA_BOOTSTRAP = 0xdd;
export const TAG_GBA_NAF_DERIVATION = 0xde;

function check(name: string, v: Uint8Array, len: number): void {
  if (v.length !== len) throw new MalformedError(`${name} must be ${len} bytes`);
}

/** 3G context: `CLA 88 00 81 22 10 RAND 10 AUTN 00` (TS 31.102 7.1.2.1). */
export function authenticate3g(cla: number, rand: Uint8Array, autn: Uint8Array): CommandApdu {
  check('RAND', rand, 16);
  check('AUTN', autn, 16);
  return { cla, ins: 0x88, p1: 0x00, p2: P2_CONTEXT_3G, data: concatBytes(encodeLv(rand), encodeLv(autn)), le: 256 };
}

/** GBA context, bootstrapping mode: data `DD L RAND L AUTN` (TS 31.102 7.1.2.3, TS 31.103 7.1.2.2). */
export function authenticateGbaBootstrap(cla: number, rand: Uint8Array, autn: Uint8Array): CommandApdu {
  check('RAND', rand, 16);
  check('AUTN', autn, 16);
  return { cla, ins: 0x88, p1: 0x00, p2: P2_CONTEXT_GBA, data: concatBytes(Uint8Array.of(TAG_GBA_BOOTSTRAP), encodeLv(rand), encodeLv(autn)), le: 256 };
}

/** GBA context, NAF derivation mode: data `DE L NAF_Id L IMPI` (TS 31.102 7.1.2.4, TS 31.103 7.1.2.3). */
export function authenticateGbaNaf(cla: number, nafId: Uint8Array, impi: Uint8Array): CommandApdu {
  const data = concatBytes(Uint8Array.of(TAG_GBA_NAF_DERIVATION), encodeLv(nafId), encodeLv(impi));
  if (data.length > 255) throw new MalformedError('NAF_Id and IMPI too long for one command');
  return { cla, ins: 0x88, p1: 0x00, p2: P2_CONTEXT_GBA, data, le: 256 };
}

/** What an AKA AUTHENTICATE returned. MAC failure is an outcome, not an error. */
export type AuthResult =
  | { kind: 'ok'; res: Uint8Array; ck?: Uint8Array; ik?: Uint8Array; kc?: Uint8Array }
  | { kind: 'syncFailure'; auts: Uint8Array }
  | { kind: 'macFailure' }
  | { kind: 'contextUnsupported' };

/**
 * Parses the response of AUTHENTICATE in 3G context (`DB L RES L CK L IK [L Kc]` or `DC L AUTS`) or GBA
 * bootstrapping mode (`DB L RES` or `DC L AUTS`). SW 9862 = MAC failure, 9864 = context not supported.
 * Other status words throw; the caller reports them as card errors.
 */
export function parseAuthResponse(data: Uint8Array, sw: number, mode: '3g' | 'gbaBootstrap'): AuthResult {
  if (sw === 0x9862) return { kind: 'macFailure' };
  if (sw === 0x9864) return { kind: 'contextUnsupported' };
  if (sw !== 0x9000) throw new MalformedError(`AUTHENTICATE failed with status ${sw.toString(16).padStart(4, '0')}`);
  const tag = data[0];
  const items = parseLvs(data, 1);
  if (tag === TAG_SYNC_FAILURE) {
    const auts = items[0];
    if (items.length !== 1 || !auts || auts.length !== 14) throw new MalformedError('sync failure response without a 14-byte AUTS');
    return { kind: 'syncFailure', auts };
  }
  if (tag !== TAG_SUCCESS) throw new MalformedError('AUTHENTICATE response has an unknown tag');
  const [res, ck, ik, kc] = items;
  if (!res || res.length < 4 || res.length > 16) throw new MalformedError('RES must be 4 to 16 bytes');
  if (mode === 'gbaBootstrap') {
    if (items.length !== 1) throw new MalformedError('GBA bootstrapping response carries RES only');
    return { kind: 'ok', res };
  }
  if (!ck || ck.length !== 16 || !ik || ik.length !== 16) throw new MalformedError('3G response without 16-byte CK and IK');
  if (kc !== undefined && kc.length !== 8) throw new MalformedError('Kc must be 8 bytes');
  return kc ? { kind: 'ok', res, ck, ik, kc } : { kind: 'ok', res, ck, ik };
}

/** Parses the NAF derivation mode response `DB L Ks_ext_NAF` (TS 31.102 7.1.2.4). */
export function parseNafDerivationResponse(data: Uint8Array): Uint8Array {
  if (data[0] !== TAG_SUCCESS) throw new MalformedError('NAF derivation response has an unknown tag');
  const [ks, ...rest] = parseLvs(data, 1);
  if (!ks || ks.length !== 32 || rest.length > 0) throw new MalformedError('Ks_ext_NAF must be 32 bytes');
  return ks;
}

/** An AUTHENTICATE command as the card sees it. */
export type AuthRequest =
  | { mode: '3g'; rand: Uint8Array; autn: Uint8Array }
  | { mode: 'gbaBootstrap'; rand: Uint8Array; autn: Uint8Array }
  | { mode: 'gbaNaf'; nafId: Uint8Array; impi: Uint8Array };

/** Card side: parses AUTHENTICATE command data for P2 (0x81 or 0x84). Throws MalformedError (6A80/6700). */
export function parseAuthRequest(p2: number, data: Uint8Array): AuthRequest {
  if (p2 === P2_CONTEXT_3G) {
    const [rand, autn, ...rest] = parseLvs(data);
    if (!rand || rand.length !== 16 || !autn || autn.length !== 16 || rest.length > 0) throw new MalformedError('3G AUTHENTICATE needs 16-byte RAND and AUTN');
    return { mode: '3g', rand, autn };
  }
  if (p2 === P2_CONTEXT_GBA) {
    const tag = data[0];
    const [a, b, ...rest] = parseLvs(data, 1);
    if (!a || !b || rest.length > 0) throw new MalformedError('GBA AUTHENTICATE needs two LV items');
    if (tag === TAG_GBA_BOOTSTRAP) {
      if (a.length !== 16 || b.length !== 16) throw new MalformedError('GBA bootstrapping needs 16-byte RAND and AUTN');
      return { mode: 'gbaBootstrap', rand: a, autn: b };
    }
    if (tag === TAG_GBA_NAF_DERIVATION) return { mode: 'gbaNaf', nafId: a, impi: b };
    throw new MalformedError('unknown GBA mode tag');
  }
  throw new MalformedError('unsupported AUTHENTICATE context');
}

/** Card side: success response `DB` followed by LV items (RES [CK IK [Kc]], or Ks_ext_NAF). */
export function encodeAuthSuccess(...items: Uint8Array[]): Uint8Array {
  return concatBytes(Uint8Array.of(TAG_SUCCESS), ...items.map(encodeLv));
}

/** Card side: synchronisation failure response `DC L AUTS`. */
export function encodeAuthSyncFailure(auts: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(TAG_SYNC_FAILURE), encodeLv(auts));
}
