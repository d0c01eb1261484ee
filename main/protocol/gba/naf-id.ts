// NAF_Id = FQDN of the NAF || Ua security protocol identifier (TS 33.220 Annex H and B.3: "NAF_Id is
// constructed as follows: NAF_Id = FQDN of the NAF || Ua security protocol identifier").
import { concatBytes, fromHex, utf8 } from '../../../shared/bytes.js';
import { GbaFormatError } from './format-error.js';

const FQDN = /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** True for a syntactically valid host name (RFC 1123 labels). */
export function isFqdn(host: string): boolean {
  return FQDN.test(host);
}

/**
 * NAF_Id bytes. The FQDN is the NAF host (`wsg.t-mobile.com`), never the digest realm
 * (`3GPP-bootstrapping@wsg.t-mobile.com`); the protocol id is 5 bytes (Annex H: organization octet,
 * protocol class, and for TLS the cipher suite), e.g. 01 00 01 00 2F.
 */
export function buildNafId(fqdn: string, uaProtocolId: Uint8Array | string): Uint8Array {
  if (!isFqdn(fqdn)) throw new GbaFormatError('nafId', 'NAF FQDN is not a host name');
  let id: Uint8Array;
  try {
    id = typeof uaProtocolId === 'string' ? fromHex(uaProtocolId) : uaProtocolId;
  } catch {
    throw new GbaFormatError('nafId', 'Ua security protocol id is not hex');
  }
  if (id.length !== 5) throw new GbaFormatError('nafId', 'Ua security protocol id must be 5 bytes');
  return concatBytes(utf8(fqdn.toLowerCase()), id);
}

/** The NAF host in a `3GPP-bootstrapping@<fqdn>` realm (TS 24.109 5.2.1 / 5.3), or null if not that form. */
export function nafFqdnFromRealm(realm: string): string | null {
  const m = /^3GPP-bootstrapping(?:-uicc)?@(.+)$/i.exec(realm);
  return m?.[1] !== undefined && isFqdn(m[1]) ? m[1].toLowerCase() : null;
}
