// What an extra CA certificate is, in words a person can check before trusting it: subject, issuer,
// validity and SHA-256 fingerprint of each certificate in a PEM text. Pure (node:crypto parses X.509).
import { X509Certificate } from 'node:crypto';
import { AppConfigError } from '../errors.js';

/** One certificate of a PEM text, as shown to the user before it is trusted. */
export interface CaSummary {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** SHA-256 of the DER, colon-separated upper-case hex (as browsers show it). */
  fingerprint256: string;
  /** basicConstraints CA:TRUE. A leaf certificate works as a trust anchor too, but the user should know. */
  isCa: boolean;
}

/** Most certificates looked at in one PEM text (a CA bundle has a handful). */
export const MAX_CA_CERTIFICATES = 16;
const BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]{1,65536}?-----END CERTIFICATE-----/g;

function oneLine(dn: string): string {
  return dn.split('\n').filter((l) => l !== '').join(', ');
}

/** Describes every certificate in `pem`; AppConfigError('config.invalid') when there is none or one is unreadable. */
export function describeCaPem(pem: string): CaSummary[] {
  const blocks = pem.length > 16 * 65536 ? null : pem.match(BLOCK);
  if (!blocks || blocks.length === 0) throw new AppConfigError('config.invalid', 'No PEM certificate found', { hint: 'Choose a file with -----BEGIN CERTIFICATE----- blocks.' });
  if (blocks.length > MAX_CA_CERTIFICATES) throw new AppConfigError('config.invalid', `More than ${MAX_CA_CERTIFICATES} certificates in one file`);
  return blocks.map((block, i) => {
    let c: X509Certificate;
    try {
      c = new X509Certificate(block);
    } catch {
      throw new AppConfigError('config.invalid', `Certificate ${i + 1} cannot be read`, { hint: 'The file is damaged or not an X.509 certificate.' });
    }
    return { subject: oneLine(c.subject), issuer: oneLine(c.issuer), validFrom: c.validFrom, validTo: c.validTo, fingerprint256: c.fingerprint256, isCa: c.ca };
  });
}

/** "CN=Test CA, O=Example (SHA-256 AB:CD:...)" lines for a terminal. */
export function caSummaryLines(list: CaSummary[]): string[] {
  return list.map((c) => `${c.subject} (issuer ${c.issuer}; valid ${c.validFrom} to ${c.validTo}; SHA-256 ${c.fingerprint256}${c.isCa ? '' : '; NOT a CA certificate'})`);
}
