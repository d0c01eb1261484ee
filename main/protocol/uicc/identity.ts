// Subscriber identities from card data: MSISDN from an IMPU, the USIM-fallback IMPI (TS 23.003 13.3),
// MCC/MNC split of an IMSI (TS 23.003 2.2).
import { MalformedError } from '../apdu/malformed.js';

/**
 * E.164 MSISDN from public identities: a `tel:+...` URI (RFC 3966) or a `sip:+...@host` URI whose user
 * part is a global number (TS 23.003 13.4 / TS 24.229). Visual separators are dropped. The first match
 * wins, `tel:` before `sip:`.
 */
export function msisdnFromImpus(impus: readonly string[]): string | null {
  const norm = (s: string) => {
    const digits = s.replace(/[-.()\s]/g, '');
    return /^\+\d{6,15}$/.test(digits) ? digits : null;
  };
  for (const u of impus) {
    const m = /^tel:(\+[\d\-.()\s]+)(?:;.*)?$/i.exec(u);
    const n = m?.[1] ? norm(m[1]) : null;
    if (n) return n;
  }
  for (const u of impus) {
    const m = /^sips?:(\+[\d\-.()\s]+)(?:;[^@]*)?@/i.exec(u);
    const n = m?.[1] ? norm(m[1]) : null;
    if (n) return n;
  }
  return null;
}

/** MCC and MNC of an IMSI given the MNC length from EF_AD (TS 23.003 2.2). */
export function splitImsi(imsi: string, mncLength: 2 | 3): { mcc: string; mnc: string; msin: string } {
  if (!/^\d{6,15}$/.test(imsi)) throw new MalformedError('IMSI must be 6-15 digits');
  return { mcc: imsi.slice(0, 3), mnc: imsi.slice(3, 3 + mncLength), msin: imsi.slice(3 + mncLength) };
}

/**
 * IMPI derived from the IMSI when the card has no ISIM (TS 23.003 13.3):
 * `<IMSI>@ims.mnc<MNC, 3 digits>.mcc<MCC>.3gppnetwork.org`, a 2-digit MNC gets a leading zero.
 */
export function usimFallbackImpi(imsi: string, mncLength: 2 | 3): string {
  const { mcc, mnc } = splitImsi(imsi, mncLength);
  return `${imsi}@ims.mnc${mnc.padStart(3, '0')}.mcc${mcc}.3gppnetwork.org`;
}
