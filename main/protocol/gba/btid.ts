// B-TID format (TS 33.220 4.5.2 step 9): NAI form "base64encode(RAND)@BSF_servers_domain_name".
import { fromBase64 } from '../../../shared/bytes.js';
import { GbaFormatError } from './format-error.js';
import { isFqdn } from './naf-id.js';

/** Longest B-TID we accept (EF_GBABP stores its length in one byte: TS 31.103 4.2.x). */
export const MAX_BTID_LENGTH = 255;

/**
 * Checks a B-TID: a non-empty base64 local part and a host name after one '@'. It becomes the digest
 * username and is written to the card, so anything else (quotes, spaces, control characters) is refused.
 */
export function checkBtid(btid: string): string {
  if (btid.length === 0 || btid.length > MAX_BTID_LENGTH) throw new GbaFormatError('btid', 'B-TID length is out of range');
  const at = btid.indexOf('@');
  if (at <= 0 || at !== btid.lastIndexOf('@')) throw new GbaFormatError('btid', "B-TID is not of the form 'base64(RAND)@host'");
  const local = btid.slice(0, at);
  const host = btid.slice(at + 1);
  try {
    if (fromBase64(local).length === 0) throw new RangeError('empty');
  } catch {
    throw new GbaFormatError('btid', 'B-TID local part is not base64');
  }
  if (!isFqdn(host)) throw new GbaFormatError('btid', 'B-TID domain is not a host name');
  return btid;
}
