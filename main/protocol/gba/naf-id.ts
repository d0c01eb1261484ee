// NAF_Id = FQDN of the NAF || Ua security protocol identifier (TS 33.220 Annex H and B.3: "NAF_Id is
// constructed as follows: NAF_Id = FQDN of the NAF || Ua security protocol identifier").
// Which FQDN: the host the UE contacted. TS 33.220 4.5.3 and TS 24.109 5.2.1/5.3.1 have the UE take the
// NAF name from the request URI it is using, and the NAF's digest realm is "3GPP-bootstrapping@" + that
// name; the public reference client builds its NAF URI from the request URL as well.
import { concatBytes, fromHex, utf8 } from '../../../shared/bytes.js';
import { GbaFormatError } from './format-error.js';

const FQDN = /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
// An IPv6 address as URL hosts carry it, brackets removed (RFC 3986 3.2.2 IP-literal; RFC 4291 2.2 text
// forms, including a dotted IPv4 tail). Loose on purpose: it only has to keep anything else out.
const IPV6 = /^(?=.{2,45}$)(?=.*:.*:)[0-9a-f:]*(?::\d{1,3}(?:\.\d{1,3}){3})?$/i;

/** True for a syntactically valid host name (RFC 1123 labels; a dotted IPv4 address also fits). */
export function isFqdn(host: string): boolean {
  return FQDN.test(host);
}

/** True for a host that can name a NAF: an FQDN, an IPv4 address, or an IPv6 address without brackets. */
export function isNafHost(host: string): boolean {
  return FQDN.test(host) || IPV6.test(host);
}

/**
 * NAF_Id bytes. The FQDN is the NAF host (`wsg.t-mobile.com`), never the digest realm
 * (`3GPP-bootstrapping@wsg.t-mobile.com`); the protocol id is 5 bytes (Annex H: organization octet,
 * protocol class, and for TLS the cipher suite), e.g. 01 00 01 00 2F.
 */
export function buildNafId(fqdn: string, uaProtocolId: Uint8Array | string): Uint8Array {
  if (!isNafHost(fqdn)) throw new GbaFormatError('nafId', 'NAF FQDN is not a host name');
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
  return m?.[1] !== undefined && isNafHost(m[1]) ? m[1].toLowerCase() : null;
}

/**
 * The NAF FQDN of a server URL: its host, without port or userinfo, lower-cased (DNS names compare
 * case-insensitively, RFC 4343), without a trailing root dot. An IPv6 literal loses its brackets: they are
 * URI syntax (RFC 3986 3.2.2), not part of the address, and NAF_Id names the host itself (TS 33.220 Annex H).
 * International names come out in their ASCII (punycode) form, as the WHATWG URL parser writes them and as
 * the Host header carries them. Throws GbaFormatError('nafId') for a URL without a usable host.
 */
export function nafFqdnFromServer(serverUrl: string): string {
  let host: string;
  try {
    host = new URL(serverUrl).hostname;
  } catch {
    throw new GbaFormatError('nafId', 'the server address is not a URL');
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  host = host.toLowerCase().replace(/\.$/, '');
  if (!isNafHost(host)) throw new GbaFormatError('nafId', 'the server address has no host name');
  return host;
}

/**
 * The NAF FQDN in use: the explicit override when set (expert setting `nafFqdn`, CLI `--naf-fqdn`),
 * else the host of the configured server URL.
 */
export function effectiveNafFqdn(settings: { server: string; nafFqdn?: string | undefined }): string {
  if (settings.nafFqdn !== undefined) {
    const f = settings.nafFqdn.toLowerCase().replace(/\.$/, '');
    if (!isNafHost(f)) throw new GbaFormatError('nafId', 'the NAF FQDN setting is not a host name');
    return f;
  }
  return nafFqdnFromServer(settings.server);
}

/** The digest realm a NAF with this FQDN challenges with (TS 24.109 5.3.1): `3GPP-bootstrapping@<fqdn>`. */
export function expectedNafRealm(fqdn: string): string {
  return `3GPP-bootstrapping@${fqdn}`;
}

/**
 * True when a challenge realm names exactly the NAF we derive keys for. The comparison ignores case (the
 * host part is a DNS name, RFC 4343) and a trailing root dot. The `-uicc` form asks for Ks_int_NAF, which
 * never leaves a GBA_U card, so it never matches.
 */
export function realmMatchesNaf(realm: string, fqdn: string): boolean {
  const m = /^3GPP-bootstrapping@(.+)$/i.exec(realm);
  if (m?.[1] === undefined) return false;
  return m[1].toLowerCase().replace(/\.$/, '') === fqdn.toLowerCase().replace(/\.$/, '');
}
