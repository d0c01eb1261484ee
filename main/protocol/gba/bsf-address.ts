// The BSF address (3GPP TS 23.003 16.2): "bsf." + the home network domain; a domain in
// 3gppnetwork.org becomes <...>.pub.3gppnetwork.org; without an ISIM the domain is built from the IMSI's
// MCC and MNC (MNC padded to 3 digits): bsf.mnc<MNC>.mcc<MCC>.pub.3gppnetwork.org.
import { GbaFormatError } from './format-error.js';
import { isFqdn } from './naf-id.js';

/** BSF host from the IMPI's domain part (TS 23.003 16.2, ISIM case). */
export function bsfHostFromImpi(impi: string): string {
  const at = impi.lastIndexOf('@');
  const domain = (at >= 0 ? impi.slice(at + 1) : '').toLowerCase();
  if (domain === '' || !isFqdn(domain)) throw new GbaFormatError('address', 'IMPI has no usable domain part');
  const suffix = '.3gppnetwork.org';
  if (domain.endsWith(suffix) && !domain.endsWith('.pub' + suffix)) return `bsf.${domain.slice(0, -suffix.length)}.pub${suffix}`;
  return `bsf.${domain}`;
}

/** BSF host from MCC and MNC (TS 23.003 16.2, no ISIM). */
export function bsfHostFromPlmn(mcc: string, mnc: string): string {
  if (!/^\d{3}$/.test(mcc) || !/^\d{2,3}$/.test(mnc)) throw new GbaFormatError('address', 'MCC must be 3 digits and MNC 2 or 3');
  return `bsf.mnc${mnc.padStart(3, '0')}.mcc${mcc}.pub.3gppnetwork.org`;
}

/** The BSF URL for a host (the Ub default port; the scheme is a setting: T-Mobile evidence says HTTPS). */
export function bsfUrl(host: string, scheme: 'http' | 'https' = 'https'): string {
  return `${scheme}://${host}/`;
}
