// The NAF identity diagnosis (doctor, the window's Diagnostics view): which realm the relay challenges
// with, which NAF FQDN this app keys for (the server URL's host, or the nafFqdn override), and whether
// they agree (TS 24.109 5.3.1: realm = "3GPP-bootstrapping@" + NAF FQDN). A separate step on purpose: a
// mismatch is the one failure the user fixes with a setting rather than with the network or the card.
import type { Settings } from '../../../shared/settings.js';
import { HttpError } from '../../errors.js';
import { DigestSyntaxError, parseChallenges, selectDigestChallenge } from '../../protocol/digest/challenge.js';
import { effectiveNafFqdn, expectedNafRealm, realmMatchesNaf } from '../../protocol/gba/naf-id.js';
import type { HttpPort, HttpResponse } from '../ports.js';
import { GBA_USER_AGENT } from './bootstrap.js';
import { realmMismatchError } from './naf-authenticator.js';

/** What the diagnosis found (all of it safe to show: realms and host names). */
export interface NafRealmDiagnosis {
  /** The realm of the relay's Digest challenge. */
  realm: string;
  /** The NAF FQDN in use, and where it comes from. */
  nafFqdn: string;
  nafFqdnFrom: 'server' | 'override';
  expectedRealm: string;
}

/** The realm of a 401's Digest challenge, or null when the response carries none (or a malformed one). */
export function challengeRealm(r: HttpResponse): string | null {
  if (r.status !== 401) return null;
  try {
    return selectDigestChallenge(parseChallenges(r.headers['www-authenticate'] ?? []), ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess']).realm;
  } catch (e) {
    if (e instanceof DigestSyntaxError) return null;
    throw e;
  }
}

/**
 * Compares a challenge realm with the NAF FQDN the settings give. Returns the diagnosis when they agree;
 * throws GbaError('gba.realmMismatch') (action setNafFqdn) when they do not.
 */
export function diagnoseNafRealm(realm: string, settings: Pick<Settings, 'server' | 'nafFqdn'>): NafRealmDiagnosis {
  const nafFqdn = effectiveNafFqdn(settings);
  if (!realmMatchesNaf(realm, nafFqdn)) throw realmMismatchError(realm, nafFqdn);
  return { realm, nafFqdn, nafFqdnFrom: settings.nafFqdn === undefined ? 'server' : 'override', expectedRealm: expectedNafRealm(nafFqdn) };
}

/** One line for the diagnosis, e.g. `realm 3GPP-bootstrapping@wsg.t-mobile.com = NAF wsg.t-mobile.com (the server's host)`. */
export function describeNafRealm(d: NafRealmDiagnosis): string {
  return `realm ${d.realm} matches NAF ${d.nafFqdn} (${d.nafFqdnFrom === 'server' ? 'the server’s host' : 'the NAF FQDN setting'})`;
}

/**
 * The whole step: an unauthenticated GET of `url` (a relay endpoint), its challenge realm, and the
 * comparison. Throws HttpError('http.badResponse', action checkServer) when there is no Digest challenge.
 */
export async function checkNafRealm(http: HttpPort, url: string, settings: Pick<Settings, 'server' | 'nafFqdn'>, signal?: AbortSignal): Promise<NafRealmDiagnosis> {
  const r = await http.request({ method: 'GET', url, headers: { 'User-Agent': GBA_USER_AGENT } }, signal);
  const realm = challengeRealm(r);
  if (realm === null) {
    throw new HttpError('http.badResponse', `The voicemail server answered ${r.status} without a Digest challenge`, { hint: 'It must be the mStoreRelay base URL.', action: 'checkServer', detail: { status: r.status } });
  }
  return diagnoseNafRealm(realm, settings);
}
