// Test double of AuthenticatedHttp for mstore tests that do not need the card: it performs the relay's
// digest exchange (probe -> 401 -> Authorization) over a real HttpPort with a fixed B-TID and Ks_NAF
// that the simulated relay is told about. The real NafAuthenticator (GBA) replaces it in the
// card-stack tests; the digest wire format comes from main/protocol/digest.
import { randomBytes } from 'node:crypto';
import { toBase64, utf8 } from '../../shared/bytes.js';
import { HttpError } from '../../main/errors.js';
import { formatAuthorization, echoedParams } from '../../main/protocol/digest/authorization.js';
import { parseChallenges, selectDigestChallenge } from '../../main/protocol/digest/challenge.js';
import { computeDigestResponse, decodedUri } from '../../main/protocol/digest/response.js';
import type { AuthenticatedHttp } from '../../main/services/contracts.js';
import type { HttpPort, HttpRequest, HttpResponse, OpOptions } from '../../main/services/ports.js';

/** A B-TID and Ks_NAF pair known to the relay through `nafKey`. */
export interface FixedKey {
  btid: string;
  ksNaf: Uint8Array;
  nafKey: (btid: string) => Uint8Array | null;
}

/** A fresh random key pair for one test file. */
export function fixedKey(): FixedKey {
  const btid = `${toBase64(randomBytes(16))}@bsf.test`;
  const ksNaf = new Uint8Array(randomBytes(32));
  return { btid, ksNaf, nafKey: (b) => (b === btid ? ksNaf : null) };
}

/** Counts of what went over the wire. */
export interface AuthCounters {
  probes: number;
  authenticated: number;
}

/** AuthenticatedHttp with a fixed key: probe (body included), expect 401, answer the challenge. */
export function fixedKeyAuth(http: HttpPort, key: FixedKey, counters: AuthCounters = { probes: 0, authenticated: 0 }): AuthenticatedHttp & { counters: AuthCounters } {
  return {
    counters,
    async request(req: HttpRequest, opts: OpOptions = {}): Promise<HttpResponse> {
      counters.probes++;
      const probe = await http.request(req, opts.signal);
      if (probe.status !== 401) throw new HttpError('http.badResponse', `expected 401 from the probe, got ${probe.status}`, { detail: { status: probe.status } });
      const ch = selectDigestChallenge(parseChallenges(probe.headers['www-authenticate'] ?? []), ['MD5']);
      const uri = decodedUri(req.url);
      const cnonce = randomBytes(16).toString('hex');
      const response = computeDigestResponse({
        algorithm: 'MD5', username: key.btid, realm: ch.realm, password: utf8(toBase64(key.ksNaf)), method: req.method, uri, nonce: ch.nonce, qop: 'auth', nc: '00000001', cnonce,
      });
      const authorization = formatAuthorization(
        { username: key.btid, realm: ch.realm, nonce: ch.nonce, uri, response, algorithm: 'MD5', cnonce, qop: 'auth', nc: '00000001', ...(ch.opaque !== undefined && { opaque: ch.opaque }), extra: echoedParams(ch) },
        'reference',
      );
      counters.authenticated++;
      return http.request({ ...req, headers: { ...req.headers, Authorization: authorization } }, opts.signal);
    },
  };
}
