// GBA bootstrapping over Ub (3GPP TS 33.220 4.5.2 / 5.3.2, TS 24.109 Annex A, RFC 3310):
//   GET / (username = IMPI, empty nonce and response) -> 401 with the AKA nonce
//   AKA on the card -> GET / with the digest (AKAv1-MD5, qop auth-int, password = RES)
//   sync failure -> ONE resync round (auts, empty password) -> fresh 401 -> AKA again
//   200 -> BootstrappingInfo (B-TID, lifetime), rspauth verified when present
// GBA_ME: Ks = CK || IK stays in this process; Ks_NAF = KDF(Ks, "gba-me", RAND, IMPI, NAF_Id) (TS 33.220 B.3).
// GBA_U: the card's GBA bootstrapping mode (CK/IK never leave it), B-TID and lifetime written to EF_GBABP,
// Ks_ext_NAF from the card's NAF derivation mode (TS 33.220 5.3.2-5.3.3, TS 31.103 7.1.2).
import { DEFAULT_BSF, type Settings } from '../../../shared/settings.js';
import { concatBytes, toBase64, toHex } from '../../../shared/bytes.js';
import { CancelledError, GbaError, HttpError, NetError, throwIfAborted } from '../../errors.js';
import type { AkaCard, AkaOutcome, SubscriberIdentity } from '../contracts.js';
import type { Clock, HttpResponse, HttpPort, Logger, OpOptions, Random } from '../ports.js';
import { DigestSyntaxError, parseChallenges, parseDigestCredentials, selectDigestChallenge, type DigestChallenge } from '../../protocol/digest/challenge.js';
import { computeDigestResponse, computeRspauth, type DigestInput } from '../../protocol/digest/response.js';
import { echoedParams, formatAuthorization, quote } from '../../protocol/digest/authorization.js';
import { splitAkaNonce } from '../../protocol/gba/nonce.js';
import { BSF_CONTENT_TYPE, parseBootstrappingInfo } from '../../protocol/gba/bootstrapping-info.js';
import { bsfHostFromImpi, bsfHostFromPlmn, bsfUrl } from '../../protocol/gba/bsf-address.js';
import { GbaFormatError } from '../../protocol/gba/format-error.js';
import { deriveKsNaf } from '../../protocol/gba/kdf.js';
import { FifoLock } from '../card/fifo-lock.js';

/** User-Agent product tokens (TS 24.109 5.2.1 / TS 33.220 4.5.2): GBA_U-aware MEs add "-uicc". */
export const GBA_USER_AGENT = '3gpp-gba';
export const GBA_U_USER_AGENT = '3gpp-gba-uicc';

/** Timings of one bootstrap, in milliseconds (logged and shown by the CLI; never keys). */
export interface BootstrapTimings {
  totalMs: number;
  cardMs: number;
  httpMs: number;
  /** HTTP requests sent to the BSF (2 normally, 3 after a resync). */
  requests: number;
}

/**
 * A bootstrapped key. Ks (GBA_ME) lives only inside the closure of deriveNafKey: nothing enumerable on
 * this object is secret, so logging or printing it cannot leak a key.
 */
export interface GbaSession {
  mode: 'GBA_ME' | 'GBA_U';
  btid: string;
  /** Key lifetime as the BSF sent it (xs:dateTime). */
  lifetime: string;
  expiresAt: number;
  /** The BSF URL actually used. */
  bsf: string;
  impi: string;
  resynced: boolean;
  timings: BootstrapTimings;
  /** Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U) for a NAF_Id (FQDN || Ua protocol id). */
  deriveNafKey(nafId: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
}

/** What bootstrapping needs. */
export interface GbaBootstrapDeps {
  card: AkaCard;
  http: HttpPort;
  clock: Clock;
  random: Random;
  logger: Logger;
  settings: Pick<Settings, 'bsf' | 'imei'>;
}

/** Options of one bootstrap. */
export interface BootstrapOptions extends OpOptions {
  /**
   * NAF_Ids whose keys are derived right away (GBA_U: in the same exclusive card section as the bootstrap).
   * For GBA_U this matters: the card keeps only the LAST bootstrap's Ks, so a NAF derivation that ran
   * after another bootstrap would give a key for the wrong B-TID.
   */
  nafIds?: readonly Uint8Array[];
}

/** Runs GBA bootstraps. */
export interface GbaBootstrapper {
  bootstrap(opts?: BootstrapOptions): Promise<GbaSession>;
}

/**
 * The per-card critical section. The section sits ABOVE the card session's own per-APDU ordering and never
 * waits for anything that waits for it, so the two cannot deadlock. Keyed by the card object so every
 * bootstrapper built on the same card shares it.
 * - GBA_U: the AKA run, the EF_GBABP write and the NAF derivations of one bootstrap form ONE section,
 *   because the card keeps only the last bootstrap's Ks (TS 31.103 7.1.2.1, TS 33.220 5.3.2).
 * - GBA_ME: Ks = CK || IK lives in this process after AUTHENTICATE, so the digest answer to the BSF and the
 *   NAF key derivation run outside the section and concurrent bootstraps overlap them. Challenges must
 *   reach the card in the order the BSF issued them: a USIM accepts an SQN only above the highest it has
 *   accepted (TS 33.102 6.3.3, Annex C.2; one IND slot per serving node) and the BSF hands out rising SQNs
 *   in request order. So challenge requests go one at a time through their own FIFO (`fetch`), and each
 *   bootstrap takes its place in the card's FIFO (`lock`) BEFORE it lets the next challenge request go:
 *   card order = issue order, while the next challenge is already on its way during this AKA (the card
 *   is the only serial resource). After a resync (rare) challenges fetched before it carry SQNs the card
 *   now refuses; those bootstraps resync in turn.
 */
interface CardGate {
  lock: FifoLock;
  /** GBA_ME challenge requests, one at a time, in the order the card will run them. */
  fetch: FifoLock;
  /** B-TID of the last GBA_U bootstrap stored on this card. */
  current: string | null;
}
const gates = new WeakMap<AkaCard, CardGate>();

function gateFor(card: AkaCard): CardGate {
  let g = gates.get(card);
  if (g === undefined) {
    g = { lock: new FifoLock(), fetch: new FifoLock(), current: null };
    gates.set(card, g);
  }
  return g;
}

function exclusive<T>(card: AkaCard, signal: AbortSignal | undefined, fn: (gate: CardGate) => Promise<T>): Promise<T> {
  const gate = gateFor(card);
  return gate.lock.run(() => fn(gate), signal);
}

/**
 * The ordered part of one bootstrap: entered before the challenge request, `challenged` once its answer is
 * in (from then on the bootstrap holds the card), left after AKA.
 */
interface CardSection {
  enter(): Promise<void>;
  challenged(): Promise<void>;
  leave(): void;
}

/** GBA_U: the caller already holds the whole bootstrap exclusively. */
const HELD: CardSection = { enter: async () => {}, challenged: async () => {}, leave: () => {} };

function akaSection(card: AkaCard, signal: AbortSignal | undefined): CardSection {
  const gate = gateFor(card);
  let releaseFetch: (() => void) | null = null;
  let releaseCard: (() => void) | null = null;
  let queued = false;
  return {
    async enter() {
      releaseFetch ??= await gate.fetch.acquire(signal);
    },
    async challenged() {
      if (queued) return;
      queued = true;
      // Queue for the card first (acquire enqueues at once), then let the next challenge request go.
      const ticket = gate.lock.acquire(signal);
      releaseFetch?.();
      releaseFetch = null;
      releaseCard = await ticket;
    },
    leave() {
      releaseFetch?.();
      releaseFetch = null;
      releaseCard?.();
      releaseCard = null;
    },
  };
}

/** The BSF URL from the settings: the default, the TS 23.003 16.2 derivation, or an explicit URL. */
export function resolveBsfUrl(setting: Settings['bsf'], identity: SubscriberIdentity): string {
  if (setting === 'default') return DEFAULT_BSF;
  if (setting !== 'derive') return setting;
  try {
    if (identity.app === 'ISIM') return bsfUrl(bsfHostFromImpi(identity.impi));
    if (identity.mcc !== null && identity.mnc !== null) return bsfUrl(bsfHostFromPlmn(identity.mcc, identity.mnc));
    return bsfUrl(bsfHostFromImpi(identity.impi));
  } catch (e) {
    if (e instanceof GbaFormatError) {
      throw new GbaError('gba.bootstrapFailed', 'Cannot derive the BSF address from the card', { hint: 'Set the BSF address explicitly.', action: 'checkBsf', cause: e });
    }
    throw e;
  }
}

function malformed(what: string, bsf: string, cause: unknown): GbaError {
  return new GbaError('gba.malformed', `The BSF sent a malformed ${what}`, {
    hint: 'The BSF answered something that is not a valid GBA response; check the BSF address.',
    action: 'checkBsf',
    detail: { bsf, reason: cause instanceof DigestSyntaxError || cause instanceof GbaFormatError ? cause.reason : cause instanceof HttpError ? cause.code : 'unknown' },
    cause,
  });
}

function header(r: HttpResponse, name: string): string[] {
  return r.headers[name] ?? [];
}

/** Creates the Ub bootstrapper. */
export function createGbaBootstrapper(deps: GbaBootstrapDeps): GbaBootstrapper {
  const { card } = deps;
  return {
    async bootstrap(opts = {}) {
      if (card.identity.gba === 'GBA_U') return exclusive(card, opts.signal, (gate) => bootstrap(deps, opts, gate, HELD));
      const section = akaSection(card, opts.signal);
      try {
        return await bootstrap(deps, opts, gateFor(card), section);
      } finally {
        section.leave();
      }
    },
  };
}

async function bootstrap(deps: GbaBootstrapDeps, opts: BootstrapOptions, gate: CardGate, section: CardSection): Promise<GbaSession> {
  const { card, clock, logger } = deps;
  const signal = opts.signal;
  throwIfAborted(signal);
  const identity = card.identity;
  const impi = identity.impi;
  const mode = identity.gba;
  const bsf = resolveBsfUrl(deps.settings.bsf, identity);
  let bsfHost: string;
  try {
    bsfHost = new URL(bsf).hostname;
  } catch {
    throw new GbaError('gba.bootstrapFailed', 'The BSF address is not a URL', { hint: 'Give the BSF address as https://host/.', action: 'checkBsf', detail: { bsf } });
  }
  const t0 = clock.monotonic();
  const timings: BootstrapTimings = { totalMs: 0, cardMs: 0, httpMs: 0, requests: 0 };
  const baseHeaders: Record<string, string> = { 'User-Agent': mode === 'GBA_U' ? GBA_U_USER_AGENT : GBA_USER_AGENT };
  if (deps.settings.imei !== undefined) baseHeaders['X-TMUS-IMEI'] = deps.settings.imei;

  const send = async (authorization: string): Promise<HttpResponse> => {
    throwIfAborted(signal);
    const t = clock.monotonic();
    timings.requests++;
    try {
      return await deps.http.request({ method: 'GET', url: bsf, headers: { ...baseHeaders, Authorization: authorization } }, signal);
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      if (e instanceof HttpError) throw malformed('HTTP response', bsf, e);
      if (e instanceof NetError) {
        throw new GbaError('gba.bsfUnreachable', `Cannot reach the BSF at ${bsf}`, {
          hint: e.code === 'net.tls' ? 'The BSF certificate is not trusted; for a test BSF add its CA certificate.' : 'Check the network connection, or set another BSF address.',
          action: e.code === 'net.tls' ? 'trustCa' : 'checkNetwork',
          detail: { bsf, cause: e.code },
          retryable: e.retryable,
          cause: e,
        });
      }
      throw e;
    } finally {
      timings.httpMs += clock.monotonic() - t;
    }
  };

  const runCard = async (rand: Uint8Array, autn: Uint8Array): Promise<AkaOutcome> => {
    throwIfAborted(signal);
    opts.onProgress?.({ phase: 'gba.card' });
    const t = clock.monotonic();
    // From here on the card may hold a new Ks: keys of the previous GBA_U bootstrap are gone.
    if (mode === 'GBA_U') gate.current = null;
    try {
      return mode === 'GBA_U' ? await card.gbaBootstrap(rand, autn, signal) : await card.authenticate(rand, autn, signal);
    } finally {
      timings.cardMs += clock.monotonic() - t;
    }
  };

  // TS 24.109 A.2: the first request carries the IMPI in an otherwise empty Authorization header.
  opts.onProgress?.({ phase: 'gba.request' });
  await section.enter();
  let response = await send(`Digest username=${quote(impi)}, realm=${quote(bsfHost)}, nonce="", uri="/", response=""`);
  let resynced = false;
  // At most: initial -> answer, or initial -> resync -> answer. Every pass returns or throws, except the
  // resync pass, which sets `resynced`; a second sync failure throws, so the loop runs at most twice.
  for (;;) {
    // A 200 before any AKA round (or to a resync request) is not a GBA exchange.
    if (response.status === 200) throw malformed('answer', bsf, new DigestSyntaxError('missingParam', 'BSF answered 200 without authenticating'));
    if (response.status !== 401) throw refused(response, bsf);
    let ch: DigestChallenge;
    let rand: Uint8Array;
    let autn: Uint8Array;
    try {
      ch = selectDigestChallenge(parseChallenges(header(response, 'www-authenticate')), ['AKAv1-MD5']);
      ({ rand, autn } = splitAkaNonce(ch.nonce));
    } catch (e) {
      if (e instanceof DigestSyntaxError || e instanceof GbaFormatError) throw malformed('challenge', bsf, e);
      throw e;
    }
    if (!ch.qop.includes('auth-int') && ch.qop.length > 0 && !ch.qop.includes('auth')) throw malformed('challenge', bsf, new DigestSyntaxError('badParam', 'no usable qop'));
    const qop = ch.qop.length === 0 ? undefined : ch.qop.includes('auth-int') ? 'auth-int' : 'auth';
    await section.challenged();
    const outcome = await runCard(rand, autn);
    if (outcome.kind === 'macFailure') {
      throw new GbaError('gba.networkNotAuthentic', 'The card could not authenticate the network (AKA MAC failure)', {
        hint: 'The BSF is not the one your SIM belongs to, or someone is impersonating it. Check the BSF address.',
        action: 'checkBsf',
        detail: { bsf },
      });
    }
    const cnonce = toHex(deps.random.bytes(16));
    const input: DigestInput = { algorithm: 'AKAv1-MD5', username: impi, realm: ch.realm, password: new Uint8Array(), method: 'GET', uri: '/', nonce: ch.nonce, qop, nc: '00000001', cnonce };
    const extra = echoedParams(ch);
    if (outcome.kind === 'syncFailure') {
      if (resynced) {
        throw new GbaError('gba.syncFailure', 'The SIM and the network could not agree on a sequence number', {
          hint: 'Resynchronisation did not converge; try again later. If it persists, the SIM may need replacing.',
          detail: { bsf },
        });
      }
      // RFC 3310 3.4 / TS 33.102 6.3.5: auts with an empty password; the BSF answers with a fresh challenge.
      resynced = true;
      logger.info('gba resync', { bsf });
      opts.onProgress?.({ phase: 'gba.resync' });
      extra.push(['auts', toBase64(outcome.auts)]);
      response = await send(formatAuthorization({ ...credentials(input, ch, computeDigestResponse(input)), extra }, 'rfc'));
      continue;
    }
    // GBA_ME: the card's part is over; the answer round trip overlaps the next bootstrap's challenge.
    section.leave();
    const answered: DigestInput = { ...input, password: outcome.res };
    opts.onProgress?.({ phase: 'gba.response' });
    response = await send(formatAuthorization({ ...credentials(answered, ch, computeDigestResponse(answered)), extra }, 'rfc'));
    if (response.status === 401) {
      throw new GbaError('gba.bootstrapFailed', 'The BSF rejected the authentication response', {
        hint: 'The BSF did not accept the SIM response; the BSF address or the SIM may be wrong for this network.',
        detail: { bsf, status: 401 },
      });
    }
    if (response.status !== 200) throw refused(response, bsf);
    verifyRspauth(response, answered, bsf);
    return finish(deps, response, { mode, impi, bsf, rand, ck: outcome.ck, ik: outcome.ik, resynced, timings, t0, signal, gate, nafIds: opts.nafIds ?? [] });
  }
}

function credentials(i: DigestInput, ch: DigestChallenge, response: string) {
  return {
    username: i.username,
    realm: i.realm,
    nonce: i.nonce,
    uri: i.uri,
    response,
    algorithm: ch.algorithmRaw ?? 'AKAv1-MD5',
    cnonce: i.cnonce,
    ...(ch.opaque !== undefined && { opaque: ch.opaque }),
    ...(i.qop !== undefined && { qop: i.qop, nc: i.nc }),
  };
}

function refused(r: HttpResponse, bsf: string): GbaError {
  const notFound = r.status === 403 || r.status === 404;
  return new GbaError('gba.bsfRefused', notFound ? 'The BSF does not know this SIM' : `The BSF answered HTTP ${r.status}`, {
    hint: notFound ? 'The carrier has not provisioned GBA for this SIM, or the BSF address is wrong.' : 'The BSF is failing or refused the request; try again later or check the BSF address.',
    action: notFound ? 'checkBsf' : 'retryLater',
    detail: { bsf, status: r.status },
    retryable: r.status >= 500,
  });
}

/** RFC 3310 3.5 / RFC 7616 3.5: Authentication-Info rspauth proves the BSF knew XRES. */
function verifyRspauth(r: HttpResponse, input: DigestInput, bsf: string): void {
  const info = header(r, 'authentication-info');
  if (info.length === 0) return;
  let p: Map<string, string>;
  try {
    p = parseDigestCredentials(info.join(', '), false);
  } catch (e) {
    throw malformed('Authentication-Info', bsf, e);
  }
  const rspauth = p.get('rspauth');
  if (rspauth === undefined) return;
  if (rspauth.toLowerCase() !== computeRspauth(input, r.body)) {
    throw new GbaError('gba.networkNotAuthentic', 'The BSF failed to prove it knows the SIM response (rspauth mismatch)', {
      hint: 'The answer did not come from a genuine BSF; check the BSF address and the network.',
      action: 'checkBsf',
      detail: { bsf },
    });
  }
}

interface FinishArgs {
  mode: 'GBA_ME' | 'GBA_U';
  impi: string;
  bsf: string;
  rand: Uint8Array;
  ck: Uint8Array | undefined;
  ik: Uint8Array | undefined;
  resynced: boolean;
  timings: BootstrapTimings;
  t0: number;
  signal: AbortSignal | undefined;
  gate: CardGate;
  nafIds: readonly Uint8Array[];
}

async function finish(deps: GbaBootstrapDeps, r: HttpResponse, a: FinishArgs): Promise<GbaSession> {
  const type = (r.headers['content-type']?.[0] ?? '').toLowerCase();
  if (type !== '' && !type.startsWith(BSF_CONTENT_TYPE) && !/^(application|text)\/xml/.test(type)) {
    throw malformed('answer', a.bsf, new GbaFormatError('xml', 'unexpected content type'));
  }
  let info;
  try {
    info = parseBootstrappingInfo(r.body);
  } catch (e) {
    if (e instanceof GbaFormatError) throw malformed('BootstrappingInfo', a.bsf, e);
    throw e;
  }
  const { card } = deps;
  let deriveNafKey: GbaSession['deriveNafKey'];
  if (a.mode === 'GBA_U') {
    // TS 33.220 G.1: the ME stores B-TID and key lifetime on the UICC after bootstrapping.
    throwIfAborted(a.signal);
    const t = deps.clock.monotonic();
    await card.gbaStoreBootstrap(info.btid, info.lifetime, a.signal);
    a.timings.cardMs += deps.clock.monotonic() - t;
    a.gate.current = info.btid;
    const impi = a.impi;
    const btid = info.btid;
    const gate = a.gate;
    // Later derivations take the card again and check that it still holds this bootstrap's Ks.
    deriveNafKey = (nafId, signal) =>
      exclusive(card, signal, async () => {
        if (gate.current !== btid) {
          throw new GbaError('gba.bootstrapFailed', 'The card was bootstrapped again; this key is gone', { hint: 'Try again (a new bootstrap runs).', retryable: true });
        }
        return card.gbaDeriveNafKey(nafId, impi, signal);
      });
  } else {
    if (a.ck === undefined || a.ik === undefined || a.ck.length !== 16 || a.ik.length !== 16) {
      throw new GbaError('gba.bootstrapFailed', 'The card returned no CK/IK for GBA_ME', { hint: 'The card answered AUTHENTICATE without keys; it may not support 3G AKA.' });
    }
    const ks = concatBytes(a.ck, a.ik);
    const rand = a.rand;
    const impi = a.impi;
    deriveNafKey = async (nafId) => deriveKsNaf(ks, 'gba-me', rand, impi, nafId);
  }
  // Keys asked for up front are derived now, still inside the exclusive section (GBA_U: on the card).
  const derived = new Map<string, Uint8Array>();
  for (const id of a.nafIds) {
    const t = deps.clock.monotonic();
    const key = a.mode === 'GBA_U' ? await card.gbaDeriveNafKey(id, a.impi, a.signal) : await deriveNafKey(id, a.signal);
    if (a.mode === 'GBA_U') a.timings.cardMs += deps.clock.monotonic() - t;
    derived.set(toHex(id), key);
  }
  const derive = deriveNafKey;
  deriveNafKey = async (nafId, signal) => derived.get(toHex(nafId)) ?? derive(nafId, signal);
  a.timings.totalMs = deps.clock.monotonic() - a.t0;
  deps.logger.info('gba bootstrap done', { mode: a.mode, btid: info.btid, bsf: a.bsf, lifetime: info.lifetime, resynced: a.resynced, ...a.timings });
  return { mode: a.mode, btid: info.btid, lifetime: info.lifetime, expiresAt: info.expiresAt, bsf: a.bsf, impi: a.impi, resynced: a.resynced, timings: a.timings, deriveNafKey };
}
