// The simulated BSF (product code: demo mode bootstraps against it; tests check the client against it).
// Ub per TS 24.109 Annex A / TS 33.220 4.5.2 and 5.3.2 with HTTP Digest AKA (RFC 3310):
//   1. GET / with Authorization: Digest username=<IMPI>, empty nonce/response  -> 401 + AKA challenge
//   2. GET / with the digest response (password = RES, qop auth-int)          -> 200 BootstrappingInfo
//      or with auts= (password empty)                                         -> resync, fresh 401
// The network side runs MILENAGE with its own SQN per subscriber (SQN_HE), sends AUTN with MAC* to GBA_U
// subscribers, verifies every digest field exactly, and keeps Ks per B-TID in the key store. It is STRICT:
// what a real BSF refuses (wrong method or path, no GBA product token in User-Agent, unknown IMPI,
// wrong realm/uri/qop/nc/username/response/algorithm/opaque, a nonce past its lifetime) is refused here
// too. A GBA_U subscriber gets a GBA_U vector only when the UE advertises `3gpp-gba-uicc` (TS 24.109 5.2.1,
// TS 33.220 5.3.2); an ME that does not gets an ordinary GBA_ME vector. The digest parsing and computation,
// the nonce and the BootstrappingInfo document are written here from the specs, not taken from the client.
// Loopback only; HTTP or HTTPS.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { buildAutn, milenage, openAuts } from '../../protocol/milenage.js';
import { toggleGbaUMac } from '../../protocol/gba/gba-u.js';
import { concatBytes, toBase64, toHex } from '../../../shared/bytes.js';
import { createKeyStore, type KeyStore } from './key-store.js';
import { akaDigest, parseDigestAuthorization, quoteValue as quote } from './digest.js';
import type { SimSubscriber } from '../card/profile.js';
import { bigIntToSqn, sqnToBigInt } from '../sqn.js';

/** A fault applied to the next matching request(s). */
export interface BsfFault {
  /** 'challenge' = the initial request (empty response), 'answer' = a request carrying a digest response. */
  stage?: 'challenge' | 'answer';
  /** How many matching requests it applies to (default 1). */
  times?: number;
  action:
    | { kind: 'status'; status: number; body?: string }
    | { kind: 'drop' }
    | { kind: 'hang' }
    | { kind: 'delay'; ms: number }
    /** Replace the WWW-Authenticate values of the 401. */
    | { kind: 'challenge'; values: string[] }
    /** Answer a valid digest with this 200 body (and content type). */
    | { kind: 'body'; body: string; contentType?: string }
    /** Send an AUTN whose MAC does not verify (the card reports MAC failure). */
    | { kind: 'corruptAutn' }
    /** Send an AUTN with an old SQN (the card reports sync failure), whatever SQN_HE is. */
    | { kind: 'staleSqn' }
    /** Omit Authentication-Info, or send a wrong rspauth. */
    | { kind: 'noRspauth' }
    | { kind: 'badRspauth' };
}

/** Options of {@link startBsf}. */
export interface BsfOptions {
  subscribers: readonly SimSubscriber[];
  keyStore?: KeyStore;
  /** Serve HTTPS with this certificate. */
  tls?: { key: string; cert: string };
  host?: string;
  port?: number;
  /** Digest realm and B-TID domain, the BSF's host name (default "bsf.sim.invalid"). */
  realm?: string;
  /** Key lifetime in seconds (default 3600). */
  lifetimeSec?: number;
  /** How long a challenge can be answered (default 5 minutes); later, a fresh challenge with stale=true. */
  nonceLifetimeMs?: number;
  /** Most entries kept in `log`, the oldest dropped first (default 1000: demo sessions run for days). */
  maxLogEntries?: number;
  /** Added before every response: models the network round trip (benchmarks). */
  latencyMs?: number;
  now?: () => number;
  random?: (n: number) => Uint8Array;
}

/** A running simulated BSF. */
export interface SimBsf {
  /** Base URL, e.g. http://127.0.0.1:40123/ */
  readonly url: string;
  readonly realm: string;
  readonly keyStore: KeyStore;
  /** The latest requests (at most maxLogEntries), with the status answered (no secrets: no Authorization values). */
  readonly log: Array<{ method: string; path: string; userAgent: string | undefined; imei: string | undefined; status: number }>;
  inject(fault: BsfFault): void;
  setLatency(ms: number): void;
  /** The network's SQN_HE for an IMPI (6 bytes), or sets it (tests force a resync with a stale value). */
  sqn(impi: string): Uint8Array;
  setSqn(impi: string, sqn: Uint8Array): void;
  close(): Promise<void>;
}

interface Pending {
  impi: string;
  rand: Uint8Array;
  xres: Uint8Array;
  ck: Uint8Array;
  ik: Uint8Array;
  opaque: string;
  created: number;
  gbaU: boolean;
}

interface Sub {
  rec: SimSubscriber;
  sqn: bigint;
}

const AMF = Uint8Array.of(0x00, 0x00); // no AMF bits used for Ub vectors here (TS 33.102 Annex H)
const DEFAULT_NONCE_LIFETIME_MS = 5 * 60_000;
const DEFAULT_MAX_LOG = 1000;
/** TS 24.109 Annex C. */
const BSF_CONTENT_TYPE = 'application/vnd.3gpp.bsf+xml';
/** The UE's GBA product tokens (TS 24.109 5.2.1, TS 33.220 4.5.2 and 5.3.2). */
const UA_TOKENS = /(?:^|\s)3gpp-gba(-uicc|-tmpi)?(?:\/\S*)?(?=\s|$)/g;

/** RFC 3310 3.1: nonce = base64(RAND || AUTN || server data). */
function akaNonce(rand: Uint8Array, autn: Uint8Array, serverData: Uint8Array): string {
  return Buffer.concat([rand, autn, serverData]).toString('base64');
}

/** TS 24.109 Annex C BootstrappingInfo, written by hand (the values are base64, a host name and a date). */
function bootstrappingInfo(btid: string, lifetime: string): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<BootstrappingInfo xmlns="uri:3gpp-gba">\n  <btid>${esc(btid)}</btid>\n  <lifetime>${esc(lifetime)}</lifetime>\n</BootstrappingInfo>\n`;
}
const MAX_PENDING = 1000;
const SQN_MAX = (1n << 48n) - 1n;


function ctEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function lifetimeString(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Starts the simulated BSF on loopback (ephemeral port by default). */
export async function startBsf(opts: BsfOptions): Promise<SimBsf> {
  const now = opts.now ?? Date.now;
  const random = opts.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
  const keyStore = opts.keyStore ?? createKeyStore(now);
  const realm = opts.realm ?? 'bsf.sim.invalid';
  const lifetimeSec = opts.lifetimeSec ?? 3600;
  const nonceLifetimeMs = opts.nonceLifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS;
  const maxLog = opts.maxLogEntries ?? DEFAULT_MAX_LOG;
  let latencyMs = opts.latencyMs ?? 0;
  const subs = new Map<string, Sub>();
  for (const s of opts.subscribers) subs.set(s.impi, { rec: s, sqn: sqnToBigInt(s.sqn) });
  const pending = new Map<string, Pending>();
  const faults: BsfFault[] = [];
  const log: SimBsf['log'] = [];
  const sockets = new Set<Socket>();

  function takeFault(stage: 'challenge' | 'answer'): BsfFault['action'] | null {
    // Faults that only make sense on a successful answer default to the answer stage.
    const stageOf = (f: BsfFault) => f.stage ?? (f.action.kind === 'body' || f.action.kind === 'noRspauth' || f.action.kind === 'badRspauth' ? 'answer' : undefined);
    const i = faults.findIndex((f) => stageOf(f) === undefined || stageOf(f) === stage);
    const f = faults[i];
    if (f === undefined) return null;
    const left = (f.times ?? 1) - 1;
    if (left <= 0) faults.splice(i, 1);
    else f.times = left;
    return f.action;
  }

  function challenge(sub: Sub, corrupt: boolean, stale: boolean, gbaU: boolean, staleNonce: boolean): { header: string; nonce: string } {
    // TS 33.102 C.3: a fresh SQN for every vector (here simply SQN_HE + 1).
    if (!stale) sub.sqn = sub.sqn >= SQN_MAX ? 1n : sub.sqn + 1n;
    const sqn = bigIntToSqn(stale ? 1n : sub.sqn);
    const rand = random(16);
    const m = milenage(sub.rec.k, sub.rec.opc, rand, sqn, AMF);
    let autn = buildAutn(sub.rec.k, sub.rec.opc, rand, sqn, AMF);
    if (gbaU) autn = toggleGbaUMac(autn, m.ik); // TS 33.220 5.3.2: MAC* for GBA_U
    if (corrupt) autn = concatBytes(autn.slice(0, 15), Uint8Array.of((autn[15] ?? 0) ^ 0x01));
    const nonce = akaNonce(rand, autn, random(8));
    const opaque = toHex(random(8));
    // Kept one more lifetime past expiry, so that a late answer learns stale=true.
    for (const [k, p] of pending) if (p.created + 2 * nonceLifetimeMs < now()) pending.delete(k);
    while (pending.size >= MAX_PENDING) {
      const oldest = pending.keys().next().value;
      if (oldest === undefined) break;
      pending.delete(oldest);
    }
    pending.set(nonce, { impi: sub.rec.impi, rand, xres: m.res, ck: m.ck, ik: m.ik, opaque, created: now(), gbaU });
    return { nonce, header: `Digest realm=${quote(realm)}, nonce=${quote(nonce)}, algorithm=AKAv1-MD5, qop="auth-int", opaque=${quote(opaque)}${staleNonce ? ', stale=true' : ''}` };
  }

  type Reply = { status: number; headers?: Record<string, string | string[]>; body?: string } | { drop: true } | { hang: true };

  function handle(req: http.IncomingMessage, body: Uint8Array, ctx: { delayMs: number }): Reply {
    const plain = (status: number, text: string): Reply => ({ status, headers: { 'Content-Type': 'text/plain' }, body: text + '\n' });
    if (req.method !== 'GET') return { status: 405, headers: { Allow: 'GET' }, body: '' };
    if (req.url !== '/') return plain(404, 'not found');
    if (body.length > 0) return plain(400, 'GET with a body');
    const ua = req.headers['user-agent'] ?? '';
    // TS 24.109 5.2.1 / TS 33.220 4.5.2: the UE advertises GBA with a "3gpp-gba" product token, and a
    // GBA_U-capable ME adds "3gpp-gba-uicc" (TS 33.220 5.3.2 step 1).
    const tokens = [...ua.matchAll(UA_TOKENS)].map((t) => t[1] ?? '');
    if (tokens.length === 0) return plain(400, 'User-Agent lacks the 3gpp-gba product token');
    const meWantsGbaU = tokens.includes('-uicc');
    const auth = req.headers.authorization;
    if (auth === undefined) return plain(400, 'Authorization with the IMPI is required');
    const p = parseDigestAuthorization(auth);
    if (p === null) return plain(400, 'malformed Authorization');
    const username = p.get('username');
    if (username === undefined) return plain(400, 'no username');
    const nonce = p.get('nonce') ?? '';
    const responseValue = p.get('response') ?? '';
    const pend = nonce === '' ? undefined : pending.get(nonce);
    const stage = nonce === '' && responseValue === '' ? 'challenge' : 'answer';
    let fault = takeFault(stage);
    if (fault?.kind === 'delay') {
      ctx.delayMs = fault.ms;
      fault = null;
    }
    if (fault?.kind === 'status') return { status: fault.status, headers: { 'Content-Type': 'text/plain' }, body: fault.body ?? '' };
    if (fault?.kind === 'drop') return { drop: true };
    if (fault?.kind === 'hang') return { hang: true };

    const sub = subs.get(pend?.impi ?? username);
    if (sub === undefined || sub.rec.impi !== username) {
      if (pend !== undefined) {
        pending.delete(nonce); // username changed mid-exchange: the challenge is spent
        return fresh(subs.get(pend.impi), fault, meWantsGbaU);
      }
      return plain(404, 'unknown subscriber'); // the HSS does not know this IMPI
    }
    if (stage === 'challenge' || pend === undefined) return fresh(sub, fault, meWantsGbaU);

    // A digest response: check every field exactly (RFC 3310 3.3, RFC 7616 3.4), one use per nonce.
    pending.delete(nonce);
    // RFC 7616 3.5: an answer to a nonce past its lifetime gets a fresh challenge marked stale.
    if (now() - pend.created > nonceLifetimeMs) return fresh(sub, fault, meWantsGbaU, true);
    const uri = p.get('uri');
    const qop = p.get('qop');
    const nc = p.get('nc');
    const cnonce = p.get('cnonce');
    const algorithm = p.get('algorithm');
    // The algorithm must be echoed (RFC 7616 3.4: "algorithm" as in the challenge; RFC 3310 3.2 AKAv1-MD5),
    // and the opaque exactly as sent.
    if (p.get('realm') !== realm || uri !== '/' || qop !== 'auth-int' || nc !== '00000001' || cnonce === undefined || cnonce === '' || algorithm !== 'AKAv1-MD5' || p.get('opaque') !== pend.opaque) {
      return fresh(sub, fault, meWantsGbaU);
    }
    const autsB64 = p.get('auts');
    const input = { username, realm, method: 'GET', uri, nonce, nc, cnonce, body: new Uint8Array() };
    if (autsB64 !== undefined) {
      // Resync (RFC 3310 3.4, TS 33.102 6.3.5): the response uses an empty password; verify MAC-S.
      if (!ctEqualHex(akaDigest({ ...input, password: new Uint8Array() }), responseValue)) return fresh(sub, fault, meWantsGbaU);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(autsB64) || autsB64.length % 4 !== 0) return plain(400, 'malformed auts');
      const auts = new Uint8Array(Buffer.from(autsB64, 'base64'));
      const sqnMs = auts.length === 14 ? openAuts(sub.rec.k, sub.rec.opc, pend.rand, auts) : null;
      if (sqnMs === null) return plain(403, 'resynchronisation failed');
      sub.sqn = sqnToBigInt(sqnMs); // the next vector uses SQN_MS + 1
      return fresh(sub, fault, meWantsGbaU);
    }
    if (!ctEqualHex(akaDigest({ ...input, password: pend.xres }), responseValue)) return fresh(sub, fault, meWantsGbaU);

    // Success: B-TID = base64(RAND)@BSF domain (TS 33.220 4.5.2 step 9), Ks = CK || IK.
    const btid = `${toBase64(pend.rand)}@${realm}`;
    const expiresAt = Math.floor(now() / 1000) * 1000 + lifetimeSec * 1000;
    keyStore.put({ btid, ks: concatBytes(pend.ck, pend.ik), rand: pend.rand, impi: username, expiresAt, gbaU: pend.gbaU });
    const xml = fault?.kind === 'body' ? fault.body : bootstrappingInfo(btid, lifetimeString(expiresAt));
    const headers: Record<string, string> = { 'Content-Type': fault?.kind === 'body' ? (fault.contentType ?? BSF_CONTENT_TYPE) : BSF_CONTENT_TYPE };
    if (fault?.kind !== 'noRspauth') {
      let rspauth = akaDigest({ ...input, method: '', password: pend.xres, body: new TextEncoder().encode(xml) });
      if (fault?.kind === 'badRspauth') rspauth = createHash('md5').update(rspauth).digest('hex');
      headers['Authentication-Info'] = `rspauth=${quote(rspauth)}, cnonce=${quote(cnonce)}, nc=${nc}, qop=auth-int`;
    }
    return { status: 200, headers, body: xml };
  }

  function fresh(sub: Sub | undefined, fault: BsfFault['action'] | null, meWantsGbaU: boolean, staleNonce = false): Reply {
    if (sub === undefined) return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'unknown subscriber\n' };
    // GBA_U only for a GBA_U subscriber whose ME asked for it; otherwise an ordinary GBA_ME vector.
    const c = challenge(sub, fault?.kind === 'corruptAutn', fault?.kind === 'staleSqn', sub.rec.gbaU && meWantsGbaU, staleNonce);
    const www = fault?.kind === 'challenge' ? fault.values : [c.header];
    return { status: 401, headers: { 'WWW-Authenticate': www, 'Content-Type': 'text/plain' }, body: 'authentication required\n' };
  }

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 65536) chunks.push(c);
    });
    req.on('end', () => {
      let reply: Reply;
      const ctx = { delayMs: 0 };
      try {
        reply = handle(req, new Uint8Array(Buffer.concat(chunks)), ctx);
      } catch {
        reply = { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'internal error\n' };
      }
      const status = 'status' in reply ? reply.status : 0;
      const imei = req.headers['x-tmus-imei'];
      log.push({ method: req.method ?? '', path: req.url ?? '', userAgent: req.headers['user-agent'], imei: typeof imei === 'string' ? imei : undefined, status });
      if (log.length > maxLog) log.splice(0, log.length - maxLog);
      setTimeout(() => {
        if ('drop' in reply) {
          req.socket.destroy();
          return;
        }
        if ('hang' in reply) return;
        const body = reply.body ?? '';
        res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' });
        res.end(body);
      }, latencyMs + ctx.delayMs);
    });
  };

  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, onRequest) : http.createServer(onRequest);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // Bound headers like a real front end would.
  server.maxHeadersCount = 64;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${opts.tls ? 'https' : 'http'}://${host}:${port}/`;

  return {
    url,
    realm,
    keyStore,
    log,
    inject(f) {
      faults.push({ ...f });
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    sqn(impi) {
      const s = subs.get(impi);
      if (!s) throw new Error('unknown IMPI');
      return bigIntToSqn(s.sqn);
    },
    setSqn(impi, sqn) {
      const s = subs.get(impi);
      if (!s) throw new Error('unknown IMPI');
      s.sqn = sqnToBigInt(sqn);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
