// AuthenticatedHttp for the NAF (the mstore relay): GBA digest over Ua (TS 33.220 4.5.3, TS 24.109 5.3,
// and the reference client's behaviour in the mstore notes):
//   1. the request as is, without Authorization (body included) -> must be 401 with a Digest challenge
//   2. a GBA bootstrap, CONCURRENTLY with 1 (they do not depend on each other)
//   3. the request again with Authorization: username = B-TID, password = base64(Ks_NAF), MD5, qop auth,
//      nc=00000001 unquoted, uri = the absolute URL with percent-escapes decoded, every challenge param echoed
// Before any key is used, the challenge realm must be `3GPP-bootstrapping@<our NAF FQDN>` (TS 24.109 5.3.1;
// the FQDN is the host of the server URL unless settings.nafFqdn overrides it): a relay that claims another
// NAF's realm gets no answer (GbaError('gba.realmMismatch')), since that answer could be replayed there.
// A 401 to step 3 triggers one fresh bootstrap and retry; a second one is HttpError('http.unauthorized').
// Bootstrap per request by default; settings.reuseBootstrap keeps a session within its lifetime.
import type { Settings } from '../../../shared/settings.js';
import { toBase64, toHex, utf8 } from '../../../shared/bytes.js';
import { CancelledError, GbaError, HttpError, throwIfAborted } from '../../errors.js';
import type { AuthenticatedHttp } from '../contracts.js';
import type { Clock, HttpPort, HttpRequest, HttpResponse, Logger, OpOptions, Random } from '../ports.js';
import { DigestSyntaxError, parseChallenges, selectDigestChallenge, type DigestChallenge } from '../../protocol/digest/challenge.js';
import { computeDigestResponse, decodedUri, formatNc } from '../../protocol/digest/response.js';
import { echoedParams, formatAuthorization } from '../../protocol/digest/authorization.js';
import { buildNafId, effectiveNafFqdn, expectedNafRealm, nafFqdnFromRealm, realmMatchesNaf } from '../../protocol/gba/naf-id.js';
import { GbaFormatError } from '../../protocol/gba/format-error.js';
import { GBA_USER_AGENT, type GbaBootstrapper, type GbaSession } from './bootstrap.js';

/** What the NAF authenticator needs. */
export interface NafAuthenticatorDeps {
  bootstrapper: GbaBootstrapper;
  http: HttpPort;
  clock: Clock;
  random: Random;
  logger: Logger;
  settings: Pick<Settings, 'server' | 'nafFqdn' | 'uaProtocolId' | 'reuseBootstrap'>;
}

/** A reused session is dropped this long before its lifetime ends (clock skew, slow requests). */
const REUSE_MARGIN_MS = 60_000;

function hasHeader(h: Record<string, string>, name: string): boolean {
  const n = name.toLowerCase();
  return Object.keys(h).some((k) => k.toLowerCase() === n);
}

/** An AbortController that follows `parent` and can also be aborted on its own. */
function linkedController(parent: AbortSignal | undefined): { ac: AbortController; unlink: () => void } {
  const ac = new AbortController();
  if (parent === undefined) return { ac, unlink: () => {} };
  if (parent.aborted) ac.abort();
  const on = () => ac.abort();
  parent.addEventListener('abort', on, { once: true });
  return { ac, unlink: () => parent.removeEventListener('abort', on) };
}

/** How much of a server-sent realm an error message quotes. */
const MAX_REALM_SHOWN = 200;

function shown(v: string): string {
  return v.length > MAX_REALM_SHOWN ? `${v.slice(0, MAX_REALM_SHOWN)}...` : v;
}

/**
 * The typed refusal of a challenge for another NAF. Its action is 'setNafFqdn' (each front end words it:
 * the CLI names --naf-fqdn, the window its Settings field), or 'checkServer' when the realm is not a
 * 3GPP-bootstrapping realm at all; `detail.realmFqdn` is the host the realm names, if any.
 */
export function realmMismatchError(realm: string, nafFqdn: string): GbaError {
  const expected = expectedNafRealm(nafFqdn);
  // The -uicc form asks for a key that never leaves a GBA_U card: no NAF name makes that one work.
  const realmFqdn = /^3GPP-bootstrapping-uicc@/i.test(realm) ? null : nafFqdnFromRealm(realm);
  return new GbaError('gba.realmMismatch', `The server asked for credentials for "${shown(realm)}", but this server address is NAF "${nafFqdn}" (realm "${expected}"); no answer was sent`, {
    hint: realmFqdn === null
      ? 'The server does not use a 3GPP-bootstrapping realm: check the server address.'
      : `If this server is really the carrier's relay under another name, set the NAF FQDN to ${realmFqdn}; otherwise check the server address.`,
    action: realmFqdn === null ? 'checkServer' : 'setNafFqdn',
    detail: { realm: shown(realm), expectedRealm: expected, nafFqdn, realmFqdn },
  });
}

/** Creates the NAF authenticator. */
export function createNafAuthenticator(deps: NafAuthenticatorDeps): AuthenticatedHttp & { forgetSession(): void } {
  let cached: GbaSession | null = null;
  let naf: { fqdn: string; id: Uint8Array } | null = null;
  const getNaf = (): { fqdn: string; id: Uint8Array } => {
    if (naf === null) {
      try {
        const fqdn = effectiveNafFqdn(deps.settings);
        naf = { fqdn, id: buildNafId(fqdn, deps.settings.uaProtocolId) };
      } catch (e) {
        if (e instanceof GbaFormatError) throw new HttpError('http.badResponse', 'The NAF identity in the settings is invalid', { hint: 'Check the server address, the NAF FQDN and the Ua protocol id settings.', cause: e });
        throw e;
      }
    }
    return naf;
  };
  const getNafId = (): Uint8Array => getNaf().id;

  const session = async (fresh: boolean, opts: OpOptions): Promise<GbaSession> => {
    if (!fresh && deps.settings.reuseBootstrap && cached !== null && cached.expiresAt - REUSE_MARGIN_MS > deps.clock.now()) return cached;
    // The NAF key is derived during the bootstrap (GBA_U: inside its exclusive card section; see BootstrapOptions.nafIds).
    const s = await deps.bootstrapper.bootstrap({ ...opts, nafIds: [getNafId()] });
    cached = deps.settings.reuseBootstrap ? s : null;
    return s;
  };

  /**
   * Probe and bootstrap concurrently; if either fails, cancel the other and wait for it to settle. A probe
   * that is not challenged (no 401) cancels the bootstrap: there is nothing to authenticate.
   */
  const probeAndBootstrap = async (req: HttpRequest, fresh: boolean, opts: OpOptions): Promise<{ probe: HttpResponse; challenge: DigestChallenge | null; s: GbaSession | null }> => {
    getNaf(); // a bad NAF identity fails before anything is sent
    const { ac, unlink } = linkedController(opts.signal);
    let unchallenged: HttpResponse | null = null;
    const pProbe = deps.http.request(req, ac.signal).then((r) => {
      if (r.status !== 401) {
        unchallenged = r;
        ac.abort();
        return { r, ch: null };
      }
      // A malformed challenge or one for another NAF cancels the bootstrap at once (no key is needed).
      const ch = challengeOf(r);
      const { fqdn } = getNaf();
      if (!realmMatchesNaf(ch.realm, fqdn)) {
        deps.logger.warn('naf realm mismatch', { realm: shown(ch.realm), nafFqdn: fqdn, url: req.url });
        throw realmMismatchError(ch.realm, fqdn);
      }
      return { r, ch };
    });
    const pBoot = session(fresh, { signal: ac.signal, ...(opts.onProgress !== undefined && { onProgress: opts.onProgress }) });
    try {
      const [probe, s] = await Promise.all([pProbe, pBoot]);
      return { probe: probe.r, challenge: probe.ch, s };
    } catch (e) {
      ac.abort();
      await Promise.allSettled([pProbe, pBoot]);
      if (opts.signal?.aborted) throw new CancelledError();
      if (unchallenged !== null) return { probe: unchallenged, challenge: null, s: null };
      throw e;
    } finally {
      unlink();
    }
  };

  const authorize = async (req: HttpRequest, ch: DigestChallenge, s: GbaSession, signal: AbortSignal | undefined): Promise<string> => {
    // Checked again right before the key is touched (the probe already refused a mismatch).
    const { fqdn } = getNaf();
    if (!realmMatchesNaf(ch.realm, fqdn)) throw realmMismatchError(ch.realm, fqdn);
    const ksNaf = await s.deriveNafKey(getNafId(), signal);
    // The relay expects the standard base64 of Ks_NAF, padded, no line breaks (mstore protocol notes).
    const password = utf8(toBase64(ksNaf));
    const cnonce = toHex(deps.random.bytes(16));
    const qop = ch.qop.length === 0 ? undefined : ch.qop.includes('auth') ? 'auth' : 'auth-int';
    const uri = decodedUri(req.url);
    const nc = formatNc(1);
    const response = computeDigestResponse({ algorithm: ch.algorithm, username: s.btid, realm: ch.realm, password, method: req.method, uri, nonce: ch.nonce, qop, nc, cnonce, ...(req.body !== undefined && { body: req.body }) });
    return formatAuthorization(
      {
        username: s.btid,
        realm: ch.realm,
        nonce: ch.nonce,
        uri,
        response,
        ...(ch.algorithmRaw !== undefined && { algorithm: ch.algorithmRaw }),
        cnonce,
        ...(ch.opaque !== undefined && { opaque: ch.opaque }),
        ...(qop !== undefined && { qop, nc }),
        extra: echoedParams(ch),
      },
      'reference',
    );
  };

  const challengeOf = (r: HttpResponse): DigestChallenge => {
    try {
      return selectDigestChallenge(parseChallenges(r.headers['www-authenticate'] ?? []), ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess']);
    } catch (e) {
      if (e instanceof DigestSyntaxError) {
        throw new HttpError('http.badResponse', 'The server sent a malformed authentication challenge', { hint: 'Check the server address.', action: 'checkServer', detail: { reason: e.reason, status: r.status }, cause: e });
      }
      throw e;
    }
  };

  return {
    forgetSession() {
      cached = null;
    },
    async request(req: HttpRequest, opts: OpOptions = {}): Promise<HttpResponse> {
      throwIfAborted(opts.signal);
      const headers = { ...req.headers };
      if (!hasHeader(headers, 'User-Agent')) headers['User-Agent'] = GBA_USER_AGENT;
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
      const plain: HttpRequest = { ...req, headers };
      const started = deps.clock.monotonic();
      for (let attempt = 1; attempt <= 2; attempt++) {
        const { probe, challenge, s } = await probeAndBootstrap(plain, attempt > 1, opts);
        if (probe.status !== 401 || s === null || challenge === null) {
          // Not challenged: nothing to authenticate; the caller maps the status (mstore notes: unusual).
          deps.logger.warn('naf probe not challenged', { status: probe.status, url: req.url });
          return probe;
        }
        const authorization = await authorize(req, challenge, s, opts.signal);
        throwIfAborted(opts.signal);
        opts.onProgress?.({ phase: 'naf.request' });
        const r = await deps.http.request({ ...plain, headers: { ...headers, Authorization: authorization } }, opts.signal);
        if (r.status !== 401) {
          deps.logger.info('naf request', { btid: s.btid, status: r.status, attempt, ms: Math.round(deps.clock.monotonic() - started) });
          return r;
        }
        deps.logger.warn('naf rejected the key', { btid: s.btid, attempt });
        cached = null;
      }
      throw new HttpError('http.unauthorized', 'The server rejected the SIM credentials even after a fresh bootstrap', {
        hint: 'The carrier did not accept the GBA key. Check that this SIM has visual voicemail, and the BSF and server addresses.',
        detail: { url: req.url },
      });
    },
  };
}
