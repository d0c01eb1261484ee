// The simulated mStoreRelay (product code: demo mode runs on it; tests check the client against it).
// A raw socket server (node:net, or node:tls with a test certificate) speaking HTTP/1.0 the way the
// real relay does (mstore-protocol.md, mstore-client-notes.md): status line `HTTP/1.0`, one request per
// connection, closed after the response, sometimes no Content-Length. It is deliberately STRICT: every
// quirk the real server has is enforced, so a client that passes here behaves on the real thing.
// It writes its JSON exactly as the protocol notes show it and never uses the client's parsing code: the
// digest, Host and URL parsing below are its own, from RFC 7616 / RFC 7230 / RFC 3986.
// Like a real NAF it is a deployment, not a constant: its NAF FQDN (realm `3GPP-bootstrapping@<fqdn>`, and
// the NAF_Id it asks the BSF's key store for) is the host it was reached at (the Host header), unless it
// is configured with a public name; the URLs it writes name that host, or the hosts a scenario gives.
import net from 'node:net';
import type { z } from 'zod';
import tls from 'node:tls';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ScenarioSchema, ScenarioVoicemailSchema, defaultProfile, type Scenario, type ScenarioInput } from './scenario.js';

/** A voicemail in scenario form (defaults not yet applied), for {@link RelayHandle.addVoicemail}. */
export type ScenarioVoicemailInput = z.input<typeof ScenarioVoicemailSchema>;

type Attr = { name: string; value: string[] };
type Folder = 'voicemail' | 'greeting';

/** One stored object. `\Recent` is never stored: it is derived from the absence of `\Seen`. */
interface Stored {
  id: string;
  folder: Folder;
  from: string;
  dateMs: number;
  expires: string | null;
  duration: number;
  flags: Set<string>;
  audio: Uint8Array;
  filename: string;
  type: string;
  subject: string;
}

/** A fault to inject into matching requests. */
export interface FaultRule {
  method?: string;
  /** Substring of the raw request target. */
  pathIncludes?: string;
  /** 'probe' = the unauthenticated request, 'authenticated' (default) = after the digest checked out. */
  stage?: 'probe' | 'authenticated';
  /** How many matching requests to hit (default: every one). */
  times?: number;
  action:
    | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
    | { kind: 'delay'; ms: number }
    | { kind: 'drop' }
    | { kind: 'dropMidBody' }
    /** HTTP/1.0 without Content-Length, closed cleanly after half the body: the cut cannot be seen at the HTTP level. */
    | { kind: 'truncateNoLength' }
    | { kind: 'hang' }
    | { kind: 'raw'; bytes: string }
    /** Carry the request out, then answer `{"error":"MSTORE_RLY-MST_NWKERR"}` (the real relay's lost bulk results). */
    | { kind: 'applyThenNwkErr' };
}

/** Options of {@link startRelay}. */
export interface RelayOptions {
  scenario: ScenarioInput;
  /**
   * Ks_NAF for a B-TID and the NAF FQDN the request was for (the simulated BSF's key store over Zn,
   * TS 33.220 4.5.3), or null when the B-TID is unknown or expired.
   */
  nafKey: (btid: string, nafFqdn: string) => Uint8Array | null;
  /**
   * The NAF FQDN this relay keys for and names in its realm, whatever Host it is reached at (a relay
   * configured with its public name, reached through an alias or a proxy). Default: each request's Host.
   */
  publicName?: string;
  /** How long a challenge nonce can be answered (default 5 minutes); later, a fresh challenge with stale=true. */
  nonceLifetimeMs?: number;
  /** Most entries kept in stats.log, the oldest dropped first (default 1000: demo sessions run for days). */
  maxLogEntries?: number;
  /** Path prefix of the relay (default /phone20/mStoreRelay). */
  basePath?: string;
  /** Serve HTTPS with this certificate (PEM). */
  tls?: { key: string; cert: string };
  host?: string;
  port?: number;
  /** Added before every response (ms). */
  latencyMs?: number;
  faults?: FaultRule[];
  /** Wall clock for dates of uploads and the PIN-change rule (default Date.now). */
  now?: () => number;
  /** Called after every change of state (demo mode persists it). */
  onChange?: (state: Scenario) => void;
}

/** One request as the relay saw it (no secrets: the Authorization value is never kept). */
export interface RelayLogEntry {
  method: string;
  /** Raw request target, exactly as sent (percent-encoding kept). */
  target: string;
  status: number;
  /** True when the digest checked out (the status is the endpoint's answer, not a challenge). */
  authenticated: boolean;
  /** The request carried an Authorization header (its value is never kept). */
  sentAuthorization: boolean;
  userAgent: string | null;
  contentType: string | null;
  bodyBytes: number;
  /** SHA-256 of the body (first 16 hex digits), '' without a body: lets a test match a probe to its request. */
  bodyDigest: string;
}

/** Request counters, for tests and the benchmark. */
export interface RelayStats {
  connections: number;
  probes: number;
  authenticated: number;
  rejected: number;
  /** The latest requests answered (at most maxLogEntries), in order, with what tests check the client's quirks against. */
  log: RelayLogEntry[];
}

/** A running relay. */
export interface RelayHandle {
  /** Base URL to configure as the server, e.g. `https://127.0.0.1:40123/phone20/mStoreRelay`. */
  readonly url: string;
  /** The same base URL under another host name that reaches this relay (e.g. `localhost`). */
  urlAt(host: string): string;
  readonly port: number;
  readonly stats: RelayStats;
  /** Current state in scenario form (ids and audio included). */
  snapshot(): Scenario;
  setFaults(rules: FaultRule[]): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
  // ---- scenario hooks (library sync tests, issue 9): what happens on the carrier's side between two syncs ----
  /** A new voicemail arrives (scenario form, validated); returns its id. */
  addVoicemail(v: ScenarioVoicemailInput): string;
  /** The object disappears, as after a delete on the phone or the server's expiry; false when unknown. */
  removeObject(id: string): boolean;
  /** A flag set or cleared elsewhere (the phone marks a voicemail read: `\Seen`); false when unknown. */
  setObjectFlag(id: string, flag: string, on: boolean): boolean;
}

const VM_FOLDER = '27a29814-dd8f-43ee-b768-19af98bf1d07';
const GR_FOLDER = 'c1a7c823-fdd1-4857-8d44-b315444d2a83';
const FOLDER_ID: Record<Folder, string> = { voicemail: VM_FOLDER, greeting: GR_FOLDER };
const FOLDER_PATH: Record<Folder, string> = { voicemail: '/VV-Mail/Inbox', greeting: '/VV-Mail/Greetings' };
/** The backend origin the production relay names inside its extended URLs (mstore-protocol.md). */
const BACKEND = 'http://wsg.mstore.msg.eng.t-mobile.com:8082';
const DEFAULT_NONCE_LIFETIME_MS = 5 * 60_000;
const DEFAULT_MAX_LOG = 1000;
const MAX_NONCES = 10_000;
const MAX_GREETING_MS = 100_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const NWKERR = '{"error":"MSTORE_RLY-MST_NWKERR"}';
const MAX_HEADER = 16 * 1024;
const MAX_BODY = 8 * 1024 * 1024;
const VM_QUOTA = 45;
const GREETING_QUOTA = 9;
const TOTAL_STORAGE_KIB = 167770;
const AMR_SIZES: Record<number, number> = { 0: 13, 1: 14, 2: 16, 3: 18, 4: 20, 5: 21, 6: 27, 7: 32, 8: 6, 15: 1 };

function greetingName(dateMs: number): string {
  return `greeting-${new Date(dateMs).toISOString().replace(/\D/g, '').slice(0, 14)}.amr`;
}

function md5(s: string): string {
  return createHash('md5').update(s, 'utf8').digest('hex');
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Independent AMR-NB check (RFC 4867 5.1/5.3): magic, known frame types, whole frames. Returns frame count or -1. */
function amrFrames(a: Uint8Array): number {
  const magic = '#!AMR\n';
  if (a.length <= magic.length) return -1;
  for (let i = 0; i < magic.length; i++) if (a[i] !== magic.charCodeAt(i)) return -1;
  let n = 0;
  for (let o = magic.length; o < a.length; n++) {
    const b = a[o] ?? 0;
    const size = AMR_SIZES[(b >> 3) & 15];
    if (size === undefined || (b & 0x83) !== 0 || o + size > a.length) return -1;
    o += size;
  }
  return n;
}

/** Strict base64 with LF or CRLF line breaks of at most 76 characters. */
function decodeWrappedBase64(text: string): Uint8Array | null {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  for (const l of lines) if (l.length > 76 || !/^[A-Za-z0-9+/]*={0,2}$/.test(l)) return null;
  const joined = lines.join('');
  if (joined.length % 4 !== 0) return null;
  return new Uint8Array(Buffer.from(joined, 'base64'));
}

interface Parsed {
  method: string;
  target: string;
  version: string;
  headers: Map<string, string>;
  rawHeaders: string[];
  body: Buffer;
}

interface Reply {
  status: number;
  text: string;
  headers: [string, string][];
  body: Buffer;
  /** Leave out Content-Length (HTTP/1.0: the body ends when the connection closes). */
  noLength?: boolean;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 413: 'Request Entity Too Large', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Time-out',
};

function reply(status: number, body: string | Buffer = '', headers: [string, string][] = []): Reply {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const h: [string, string][] = [...headers];
  if (b.length > 0 && !h.some(([k]) => k.toLowerCase() === 'content-type')) h.push(['Content-Type', 'application/json']);
  return { status, text: STATUS_TEXT[status] ?? 'Status', headers: h, body: b };
}

function nwkErr(): Reply {
  return reply(400, NWKERR);
}

/** Parses `Digest a=b, c="d"` remembering which values were quoted (the relay chokes on a quoted nc). */
function parseDigest(h: string): Map<string, { value: string; quoted: boolean }> | null {
  const m = /^Digest\s+(.*)$/is.exec(h.trim());
  if (!m?.[1]) return null;
  const out = new Map<string, { value: string; quoted: boolean }>();
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*(?:,|$)/gy;
  const s = m[1];
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const p = re.exec(s);
    if (!p || p[0].length === 0 || p[1] === undefined) return null;
    out.set(p[1].toLowerCase(), p[2] !== undefined ? { value: p[2].replace(/\\(.)/g, '$1'), quoted: true } : { value: p[3] ?? '', quoted: false });
    pos = re.lastIndex;
  }
  return out;
}

/** Host header (RFC 7230 5.4: uri-host [ ":" port ]) -> lower-case host without brackets or root dot, and the port. */
function parseHostHeader(h: string): { host: string; port: number | null; v6: boolean } | null {
  const m = /^(?:\[([0-9A-Fa-f:.]{2,45})\]|([A-Za-z0-9.-]{1,253}))(?::(\d{1,5}))?$/.exec(h);
  if (!m) return null;
  const host = (m[1] ?? m[2] ?? '').toLowerCase().replace(/\.$/, '');
  if (host === '') return null;
  return { host, port: m[3] === undefined ? null : Number(m[3]), v6: m[1] !== undefined };
}

/** RFC 3986 2.1 and 6.2.2.1: percent-escapes are case-insensitive; compare them in upper case. */
function normalizePct(s: string): string {
  return s.replace(/%[0-9a-fA-F]{2}/g, (e) => e.toUpperCase());
}

/** Starts the simulated relay on loopback. */
export async function startRelay(opts: RelayOptions): Promise<RelayHandle> {
  const scenario = ScenarioSchema.parse(opts.scenario);
  const now = opts.now ?? Date.now;
  const basePath = (opts.basePath ?? '/phone20/mStoreRelay').replace(/\/+$/, '');
  const publicName = opts.publicName?.toLowerCase();
  const nonceLifetimeMs = opts.nonceLifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS;
  const maxLog = opts.maxLogEntries ?? DEFAULT_MAX_LOG;
  const scheme = opts.tls ? 'https' : 'http';
  const msisdn = scenario.msisdn;
  const telEnc = encodeURIComponent(`tel:${msisdn}`);
  const umsPath = `${basePath}/oemclient/nms/v1/ums/${telEnc}`;
  let faults: (FaultRule & { used: number })[] = (opts.faults ?? []).map((f) => ({ ...f, used: 0 }));
  let latency = opts.latencyMs ?? 0;
  /** Outstanding challenges: nonce -> when it was issued, for which realm, with which opaque. One use each. */
  const nonces = new Map<string, { issued: number; realm: string; opaque: string }>();
  const stats: RelayStats = { connections: 0, probes: 0, authenticated: 0, rejected: 0, log: [] };
  const sockets = new Set<net.Socket>();

  // ---- state ----
  let pin = scenario.pin;
  let pinHistory = [...scenario.pinHistory];
  let pinChangedAt = scenario.pinChangedAt;
  const profile: Attr[] = (scenario.profile ?? defaultProfile()).map((a) => ({ name: a.name, value: [...a.value] }));
  const objects: Stored[] = [];
  let seq = 0;
  const newId = (folder: Folder, dateMs: number) => md5(`${folder}:${dateMs}:${seq++}:${msisdn}`);
  const audioOf = (o: { audioBase64?: string | undefined }) => new Uint8Array(Buffer.from(o.audioBase64 ?? '', 'base64'));
  const storeVoicemail = (v: Scenario['voicemails'][number]): string => {
    const dateMs = Date.parse(v.date);
    const audio = audioOf(v);
    const frames = amrFrames(audio);
    const flags = new Set<string>();
    if (v.read) flags.add('\\Seen');
    if (v.keep) flags.add('$MarkNotToDelete');
    const id = v.id ?? newId('voicemail', dateMs);
    objects.push({
      id, folder: 'voicemail', from: v.from, dateMs, expires: v.expires ?? (v.keep ? null : isoOf(dateMs + 30 * 86400_000)),
      duration: v.duration ?? Math.max(0, Math.round((frames * 20) / 1000)), flags, audio,
      filename: v.filename ?? `voicemail-${isoOf(dateMs).replace(/\D/g, '').slice(0, 14)}.amr`, type: '', subject: '',
    });
    return id;
  };
  for (const v of scenario.voicemails) storeVoicemail(v);
  for (const g of scenario.greetings) {
    const dateMs = Date.parse(g.date);
    const audio = audioOf(g);
    const frames = amrFrames(audio);
    const flags = new Set<string>(['\\Seen']);
    if (g.active) flags.add('$CNS-Greeting-On');
    objects.push({
      id: g.id ?? newId('greeting', dateMs), folder: 'greeting', from: msisdn.slice(1), dateMs, expires: null,
      duration: g.duration ?? Math.max(0, Math.round((frames * 20) / 1000)), flags, audio, filename: greetingName(dateMs), type: g.type, subject: g.subject,
    });
  }

  function snapshot(): Scenario {
    return ScenarioSchema.parse({
      msisdn, pin, pinHistory, pinChangedAt, profile, pageSize: scenario.pageSize, ...(scenario.urls !== undefined && { urls: scenario.urls }),
      voicemails: objects.filter((o) => o.folder === 'voicemail').map((o) => ({
        id: o.id, from: o.from, date: isoOf(o.dateMs), ...(o.expires !== null && { expires: o.expires }), duration: o.duration,
        read: o.flags.has('\\Seen'), keep: o.flags.has('$MarkNotToDelete'), filename: o.filename, audioBase64: Buffer.from(o.audio).toString('base64'),
      })),
      greetings: objects.filter((o) => o.folder === 'greeting').map((o) => ({
        id: o.id, date: isoOf(o.dateMs), duration: o.duration, active: o.flags.has('$CNS-Greeting-On'), type: o.type, subject: o.subject,
        audioBase64: Buffer.from(o.audio).toString('base64'),
      })),
    });
  }
  const changed = () => opts.onChange?.(snapshot());

  // ---- URLs as the real relay writes them: its public origin with an explicit port, then the backend ----
  // `origin` is set per request (see routeFor) from the scenario or the Host header the request came with.
  let origin = '';
  const backend = scenario.urls?.backendOrigin ?? BACKEND;
  const extended = (p: string) => `${origin}${basePath}?path=${backend}/oemclient/nms/v1/ums/${telEnc}${p}`;
  let listenOrigin = '';
  function originFor(req: Parsed): string {
    if (scenario.urls?.publicOrigin !== undefined) return scenario.urls.publicOrigin;
    const h = parseHostHeader(req.headers.get('host') ?? '');
    if (h === null) return listenOrigin;
    return `${scheme}://${h.v6 ? `[${h.host}]` : h.host}:${h.port ?? (scheme === 'https' ? 443 : 80)}`;
  }
  /** The NAF FQDN a request is for: the configured public name, else its Host (null: no usable Host). */
  function nafFqdnFor(req: Parsed): string | null {
    if (publicName !== undefined) return publicName;
    return parseHostHeader(req.headers.get('host') ?? '')?.host ?? null;
  }

  function objectJson(o: Stored): unknown {
    const a = (name: string, value: string): Attr => ({ name, value: [value] });
    const vm = o.folder === 'voicemail';
    const flags = [...o.flags];
    if (!o.flags.has('\\Seen')) flags.push('\\Recent');
    const date = isoOf(o.dateMs);
    const msgId = vm ? `${date}-conn:${o.id.slice(0, 16)}` : String(o.dateMs);
    const attrs: Attr[] = [
      a('content-duration', String(o.duration)),
      a('Content-Transfer-Encoding', 'base64'),
      a('content-type', 'multipart/mixed; boundary="====outer123=="'),
      a('date', date),
      a('Direction', 'In'),
      ...(vm && o.expires !== null ? [a('expires', o.expires)] : []),
      a('from', vm ? `${o.from}@tmo.com` : msisdn.slice(1)),
      ...(vm ? [a('importance', 'normal')] : []),
      a('message-context', vm ? 'voice-message' : 'x-voice-grtng'),
      a('Message-Id', msgId),
      a('mime-version', '1.0'),
      ...(vm ? [a('return-number', `${o.from}@tmo.com`), a('sensitivity', 'personal'), a('sourcenode', 'VMAS')] : [a('subject', o.subject)]),
      a('to', msisdn.slice(1)),
      ...(vm ? [] : [a('x-cns-greeting-type', o.type)]),
    ];
    return {
      parentFolder: extended(`/folders/${FOLDER_ID[o.folder]}`),
      attributes: { attribute: attrs },
      flags: { flag: flags, resourceURL: extended(`/objects/${o.id}/flags`) },
      resourceURL: extended(`/objects/${o.id}`),
      path: `${FOLDER_PATH[o.folder]}/${o.id}`,
      payloadURL: extended(`/objects/${o.id}/payload`),
      payloadPart: [
        {
          contentType: 'audio/amr',
          size: String(o.audio.length),
          contentEncoding: 'base64',
          contentDisposition: `attachment; filename="${o.filename}"`,
          href: extended(`/objects/${o.id}/payload/payloadParts/part1`),
        },
      ],
      correlationId: msgId,
    };
  }

  const sorted = (folder: Folder) => objects.filter((o) => o.folder === folder).sort((x, y) => y.dateMs - x.dateMs || (x.id < y.id ? -1 : 1));

  function quota(folder: Folder): unknown {
    const a = (name: string, v: number): Attr => ({ name, value: [String(v)] });
    const occupied = Math.floor(objects.reduce((n, o) => n + o.audio.length, 0) / 1024);
    const vms = objects.filter((o) => o.folder === 'voicemail').length;
    const grs = objects.filter((o) => o.folder === 'greeting');
    const attrs =
      folder === 'voicemail'
        ? [a('OccupiedStorage', occupied), a('TotalStorage', TOTAL_STORAGE_KIB), a('FaxOccupiedMessages', 0), a('FaxMessagesQuota', VM_QUOTA), a('VMOccupiedMessages', vms), a('VMMessagesQuota', VM_QUOTA)]
        : [
            a('OccupiedStorage', occupied), a('TotalStorage', TOTAL_STORAGE_KIB), a('GreetingsOccupied', grs.length), a('GreetingsQuota', GREETING_QUOTA),
            a('NormalGreetingOccupied', grs.filter((g) => g.type === 'normal-greeting').length), a('NormalGreetingQuota', GREETING_QUOTA),
            a('VoiceSignatureOccupied', grs.filter((g) => g.type === 'voice-signature').length), a('VoiceSignatureQuota', GREETING_QUOTA),
          ];
    return { folder: { parentFolder: extended(`/folders/${FOLDER_ID[folder]}`), attributes: { attribute: attrs, resourceURL: extended(`/folders/${FOLDER_ID[folder]}`) } } };
  }

  // ---- endpoint handlers (after authentication) ----
  const json = (v: unknown) => JSON.stringify(v);
  function parseJsonBody(req: Parsed): unknown {
    try {
      return JSON.parse(req.body.toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isJsonType = (req: Parsed) => /^application\/json\s*(;.*)?$/i.test(req.headers.get('content-type') ?? '');

  /** Object path (relative to /objects/) from a resourceURL the client sent: its own plain base URL only. */
  function idFromClientUrl(url: unknown): string | null {
    if (typeof url !== 'string') return null;
    const m = /^https?:\/\/[^/]+(\/.*)$/.exec(url);
    if (!m?.[1]) return null;
    const path = normalizePct(m[1]);
    const prefix = `${umsPath}/objects/`;
    return path.startsWith(prefix) ? path.slice(prefix.length) : null;
  }
  const wellFormed = (id: string) => /^[0-9a-f]{32}$/.test(id);

  function handleProfile(req: Parsed): Reply {
    if (req.method === 'GET') return reply(200, json({ vvmserviceProfile: { attributes: { attribute: profile } } }));
    if (req.method !== 'PUT') return reply(405);
    if (!isJsonType(req)) return nwkErr();
    const body = parseJsonBody(req);
    const list = isRecord(body) && isRecord(body.vvmserviceProfile) && isRecord(body.vvmserviceProfile.attributes) ? body.vvmserviceProfile.attributes.attribute : undefined;
    if (!Array.isArray(list) || list.length === 0) return nwkErr();
    const attrs = new Map<string, string>();
    for (const a of list) {
      if (!isRecord(a) || typeof a.name !== 'string' || !Array.isArray(a.value) || a.value.length !== 1 || typeof a.value[0] !== 'string') return nwkErr();
      // An attribute named twice (OLD_PWD twice, say) is a malformed request, not a last-one-wins.
      if (attrs.has(a.name)) return nwkErr();
      attrs.set(a.name, a.value[0]);
    }
    if (attrs.has('OLD_PWD') || attrs.has('PWD')) {
      // A PIN change carries OLD_PWD and PWD and nothing else.
      if (attrs.size !== 2 || !attrs.has('OLD_PWD') || !attrs.has('PWD')) return nwkErr();
      const reason = pinProblem(attrs.get('OLD_PWD') ?? '', attrs.get('PWD') ?? '');
      if (reason !== null) return reply(403, '', [['reason-phrase', reason]]);
      pinHistory = [...pinHistory, pin].slice(-5);
      pin = attrs.get('PWD') ?? pin;
      pinChangedAt = now();
      changed();
      return reply(200);
    }
    const writable = new Set(['vvmon', 'nut', 'Language', 'V2t_Language', 'V2E_ON', 'SMSDirectLink', 'cosname']);
    for (const [name, value] of attrs) {
      if (!writable.has(name)) return nwkErr();
      if (['vvmon', 'nut', 'V2E_ON', 'SMSDirectLink'].includes(name) && !/^(true|false)$/i.test(value)) return nwkErr();
    }
    for (const [name, value] of attrs) {
      const existing = profile.find((p) => p.name === name);
      if (existing) existing.value = [value];
      else profile.push({ name, value: [value] });
    }
    changed();
    return reply(200);
  }

  function pinProblem(oldPin: string, newPin: string): string | null {
    const vvm = profile.find((p) => p.name === 'vvmon')?.value[0]?.toLowerCase() === 'true';
    if (!vvm) return 'VVM Not Active';
    if (oldPin !== pin) return 'Invalid OLD PIN';
    if (!/^\d*$/.test(newPin)) return 'PIN has invalid Character';
    if (newPin.length < 4) return 'PIN length too Short';
    if (newPin.length > 9) return 'PIN length too Long';
    if (/^(\d)\1+$/.test(newPin)) return 'PIN has Repeated Digits';
    const d = [...newPin].map(Number);
    const step = (d[1] ?? 0) - (d[0] ?? 0);
    if ((step === 1 || step === -1) && d.every((x, i) => i === 0 || x - (d[i - 1] ?? 0) === step)) return 'PIN has Consecutive Numbers';
    if (msisdn.endsWith(newPin.slice(-4)) && newPin.length >= 4 && msisdn.slice(-4) === newPin.slice(-4)) return 'PIN last 4 digit match MSISDN';
    if (newPin === pin || pinHistory.includes(newPin)) return 'PIN in Use';
    if (pinChangedAt !== null && now() - pinChangedAt < 86400_000) return 'PIN recently Changed';
    return null;
  }

  function handleSearch(req: Parsed): Reply {
    if (req.method !== 'POST') return reply(405);
    if (!isJsonType(req)) return nwkErr();
    const body = parseJsonBody(req);
    const sc = isRecord(body) && isRecord(body.selectionCriteria) ? body.selectionCriteria : null;
    if (!sc) return nwkErr();
    const max = sc.maxEntries;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100) return nwkErr();
    const scope = isRecord(sc.searchScope) ? sc.searchScope.resourceURL : undefined;
    const m = typeof scope === 'string' ? /^https?:\/\/[^/]+(\/.*)$/.exec(scope) : null;
    const scopePath = m?.[1] === undefined ? null : normalizePct(m[1]);
    const folder: Folder | null = scopePath === `${umsPath}/folders/${VM_FOLDER}` ? 'voicemail' : scopePath === `${umsPath}/folders/${GR_FOLDER}` ? 'greeting' : null;
    if (folder === null) return nwkErr();
    const crit = isRecord(sc.searchCriteria) ? sc.searchCriteria : null;
    const c0 = crit && Array.isArray(crit.criterion) && isRecord(crit.criterion[0]) ? crit.criterion[0] : null;
    if (!crit || crit.operator !== 'Not' || !c0 || c0.type !== 'PurgedObject') return nwkErr();
    const sort = isRecord(sc.sortCriteria) && Array.isArray(sc.sortCriteria.criterion) && isRecord(sc.sortCriteria.criterion[0]) ? sc.sortCriteria.criterion[0] : null;
    if (!sort || sort.type !== 'Date' || sort.order !== 'Descending') return nwkErr();
    const all = sorted(folder);
    let start = 0;
    if (sc.fromCursor !== undefined) {
      const cm = typeof sc.fromCursor === 'string' ? /^(\d+):(\d+):D$/.exec(sc.fromCursor) : null;
      if (!cm) return nwkErr();
      start = Number(cm[2]);
      if (start > all.length) return nwkErr();
    }
    const size = Math.min(max, scenario.pageSize);
    const page = all.slice(start, start + size);
    if (page.length === 0) return reply(204);
    const next = start + size < all.length ? all[start + size] : undefined;
    const list: Record<string, unknown> = { object: page.map(objectJson) };
    if (next) list.cursor = `${next.dateMs}:${start + size}:D`;
    // Like the real relay, some responses end at connection close without a Content-Length.
    return { ...reply(200, json({ objectList: list })), noLength: stats.authenticated % 2 === 0 };
  }

  function bulkReply(results: unknown[], failures: boolean): Reply {
    const body = json({ bulkResponseList: { response: results } });
    // With any failed item the relay answers 5xx and wraps the list, stringified, in NWK_RSP.
    return failures ? reply(500, json({ NWK_RSP: body })) : reply(200, body);
  }

  function handleBulk(req: Parsed, op: 'update' | 'delete'): Reply {
    if (req.method !== (op === 'update' ? 'POST' : 'DELETE')) return reply(405);
    if (!isJsonType(req)) return nwkErr();
    const body = parseJsonBody(req);
    const root = isRecord(body) ? body[op === 'update' ? 'bulkUpdate' : 'bulkDelete'] : undefined;
    const refs = isRecord(root) && isRecord(root.objects) ? root.objects.objectReference : undefined;
    if (!isRecord(root) || !Array.isArray(refs) || refs.length === 0 || refs.length > 100) return nwkErr();
    let operation: 'AddFlag' | 'RemoveFlag' | null = null;
    let flags: string[] = [];
    if (op === 'update') {
      if (root.operation !== 'AddFlag' && root.operation !== 'RemoveFlag') return nwkErr();
      operation = root.operation;
      const f = isRecord(root.flags) ? root.flags.flag : undefined;
      if (!Array.isArray(f) || f.length === 0 || !f.every((x): x is string => typeof x === 'string')) return nwkErr();
      flags = f;
    }
    const urls: string[] = [];
    for (const r of refs) {
      if (!isRecord(r) || typeof r.resourceURL !== 'string') return nwkErr();
      if (!urls.includes(r.resourceURL)) urls.push(r.resourceURL);
    }
    let nonsense = false;
    let failures = false;
    const results: unknown[] = [];
    for (const url of urls) {
      const id = idFromClientUrl(url);
      if (id === null || !wellFormed(id)) {
        nonsense = true;
        continue;
      }
      const idx = objects.findIndex((o) => o.id === id);
      const obj = objects[idx];
      let ok = obj !== undefined;
      if (obj && operation) {
        for (const f of flags) {
          // Only \Seen goes through bulkUpdate; the greeting flag only through the flag endpoint.
          if (f !== '\\Seen') ok = false;
        }
        if (ok) {
          for (const f of flags) {
            if (operation === 'AddFlag') obj.flags.add(f);
            else obj.flags.delete(f);
          }
        }
      } else if (obj) {
        objects.splice(idx, 1);
      }
      if (ok) results.push({ code: '200', reason: 'OK', success: { resourceURL: url } });
      else {
        failures = true;
        results.push({ code: '400', reason: 'Internal server error', failure: { serviceException: { messageId: 'SVC3000', text: 'Internal Server Error for %1 Address', variables: [url] } } });
      }
    }
    changed();
    // A semantically invalid object path: valid objects were changed, but no results come back.
    if (nonsense) return nwkErr();
    // The server lists results in an arbitrary order: reverse them so clients cannot rely on request order.
    return bulkReply(results.reverse(), failures);
  }

  function handleFlag(req: Parsed, id: string, flagEnc: string): Reply {
    if (req.method !== 'PUT' && req.method !== 'DELETE') return reply(405);
    let flag: string;
    try {
      flag = decodeURIComponent(flagEnc);
    } catch {
      return nwkErr();
    }
    // The literal `$` must arrive percent-encoded (%24), as the reference client sends it.
    if (!flagEnc.startsWith('%24') || flag !== '$CNS-Greeting-On') return nwkErr();
    const obj = objects.find((o) => o.id === id);
    if (!obj || obj.folder !== 'greeting') return nwkErr();
    if (req.body.length > 0) return nwkErr();
    if (req.method === 'PUT') obj.flags.add(flag);
    else obj.flags.delete(flag);
    changed();
    return reply(200);
  }

  function handleUpload(req: Parsed): Reply {
    if (req.method !== 'POST') return reply(405);
    const ct = /^multipart\/form-data;\s*boundary=("?)([A-Za-z0-9'()+_,./:=?-]{1,70})\1\s*$/i.exec(req.headers.get('content-type') ?? '');
    if (!ct?.[2]) return nwkErr();
    const outer = splitMultipart(req.body, ct[2]);
    if (!outer || outer.length !== 2) return nwkErr();
    const [root, att] = outer as [Part, Part];
    if (!/^form-data;\s*name="root-fields"$/i.test(root.headers.get('content-disposition') ?? '')) return nwkErr();
    if (!/^application\/json(;\s*charset=utf-8)?$/i.test(root.headers.get('content-type') ?? '')) return nwkErr();
    let meta: unknown;
    try {
      meta = JSON.parse(root.body.toString('utf8')) as unknown;
    } catch {
      return nwkErr();
    }
    const obj = isRecord(meta) && isRecord(meta.object) ? meta.object : null;
    if (!obj || typeof obj.parentFolderPath !== 'string') return nwkErr();
    if (obj.parentFolderPath === '/VV-Mail/Inbox') return reply(403, NWKERR);
    if (obj.parentFolderPath !== '/VV-Mail/Greetings') return nwkErr();
    if (!/^form-data;\s*name="attachments"$/i.test(att.headers.get('content-disposition') ?? '')) return nwkErr();
    const ict = /^multipart\/mixed;\s*boundary=("?)([A-Za-z0-9'()+_,./:=?-]{1,70})\1$/i.exec(att.headers.get('content-type') ?? '');
    if (!ict?.[2] || ict[2] === ct[2]) return nwkErr();
    const inner = splitMultipart(att.body, ict[2]);
    if (!inner || inner.length !== 1 || !inner[0]) return nwkErr();
    const audioPart = inner[0];
    if (!/^attachment;\s*filename="[^"/\\]+"$/i.test(audioPart.headers.get('content-disposition') ?? '')) return nwkErr();
    if ((audioPart.headers.get('content-transfer-encoding') ?? '').toLowerCase() !== 'base64') return nwkErr();
    if ((audioPart.headers.get('content-type') ?? '').toLowerCase() !== 'audio/amr') return nwkErr();
    const audio = decodeWrappedBase64(audioPart.body.toString('latin1'));
    if (!audio) return nwkErr();
    const frames = amrFrames(audio);
    if (frames <= 0) return nwkErr();
    // Custom greetings are at most 100 s (TCL VVM configuration: custom greeting max 100 s).
    if (frames * 20 > MAX_GREETING_MS) return nwkErr();
    const attrs = isRecord(obj.attributes) && Array.isArray(obj.attributes.attribute) ? obj.attributes.attribute : [];
    const attr = (name: string): string | undefined => {
      for (const a of attrs) if (isRecord(a) && a.name === name && Array.isArray(a.value) && typeof a.value[0] === 'string') return a.value[0];
      return undefined;
    };
    const type = attr('x-cns-greeting-type') ?? 'normal-greeting';
    if (type !== 'normal-greeting' && type !== 'voice-signature') return nwkErr();
    if (objects.filter((o) => o.folder === 'greeting').length >= GREETING_QUOTA) return reply(403, NWKERR);
    const flagList = isRecord(obj.flags) && Array.isArray(obj.flags.flag) ? obj.flags.flag : [];
    const dateAttr = attr('date');
    // `date` is an ISO instant ending in Z like every date the relay writes; anything else is refused.
    if (dateAttr !== undefined && !ISO_INSTANT.test(dateAttr)) return nwkErr();
    const dateMs = dateAttr !== undefined ? Date.parse(dateAttr) : now();
    if (Number.isNaN(dateMs)) return nwkErr();
    const flags = new Set<string>();
    if (flagList.includes('\\Seen')) flags.add('\\Seen');
    objects.push({
      id: newId('greeting', dateMs), folder: 'greeting', from: msisdn.slice(1), dateMs, expires: null,
      duration: Math.round((frames * 20) / 1000), flags, audio, filename: greetingName(dateMs), type, subject: attr('subject') ?? '',
    });
    changed();
    return reply(201);
  }

  /** Routes an authenticated request, writing URLs under the origin this request reached. */
  function routeFor(req: Parsed): Reply {
    origin = originFor(req);
    return route(req);
  }

  function route(req: Parsed): Reply {
    // Percent-escapes in either case mean the same (RFC 3986 2.1), as on any real server.
    const t = normalizePct(req.target);
    if (!t.startsWith(`${umsPath}/`)) return t.startsWith(`${basePath}/oemclient/nms/v1/ums/`) ? reply(403, NWKERR) : reply(404);
    const rest = t.slice(umsPath.length);
    if (rest === '/vvmserviceProfile') return handleProfile(req);
    const folderM = /^\/folders\/([0-9a-f-]{36})(.*)$/.exec(rest);
    if (folderM) {
      const folder: Folder | null = folderM[1] === VM_FOLDER ? 'voicemail' : folderM[1] === GR_FOLDER ? 'greeting' : null;
      if (folder === null) return nwkErr();
      // Only the quota view exists, and only with its query encoded into the path.
      if (folderM[2] !== '%3FattrFilter%3DQuota' || req.method !== 'GET') return reply(504);
      return reply(200, json(quota(folder)));
    }
    if (rest === '/objects') return handleUpload(req);
    if (rest === '/objects/operations/search') return handleSearch(req);
    if (rest === '/objects/operations/bulkUpdate') return handleBulk(req, 'update');
    if (rest === '/objects/operations/bulkDelete') return handleBulk(req, 'delete');
    const objM = /^\/objects\/([^/]+)(\/.*)?$/.exec(rest);
    if (!objM?.[1]) return nwkErr();
    const id = objM[1];
    const sub = objM[2] ?? '';
    if (!wellFormed(id)) return nwkErr();
    const flagM = /^\/flags\/([^/]+)$/.exec(sub);
    if (flagM?.[1]) return handleFlag(req, id, flagM[1]);
    if (req.method !== 'GET') return reply(405);
    const obj = objects.find((o) => o.id === id);
    if (!obj) return reply(404, NWKERR);
    if (sub === '') return reply(200, json({ object: objectJson(obj) }));
    if (sub === '/payload/payloadParts/part1' || sub === '/payload') {
      const b64 = Buffer.from(obj.audio).toString('base64').replace(/(.{76})/g, '$1\r\n');
      return {
        ...reply(200, b64, [
          ['Content-Type', 'audio/amr'],
          ['Content-Transfer-Encoding', 'base64'],
          ['Content-Disposition', `attachment; filename="${obj.filename}"`],
        ]),
        noLength: true,
      };
    }
    return nwkErr();
  }

  // ---- HTTP/1.0 on a raw socket ----
  function expectedUri(req: Parsed): string | null {
    const host = req.headers.get('host');
    if (!host) return null;
    try {
      return decodeURIComponent(`${scheme}://${host}${req.target}`);
    } catch {
      return null;
    }
  }

  function checkAuth(req: Parsed, auth: string, fqdn: string): Reply | null {
    // A quoted nc breaks the relay's parser: 400 with the generic error, not a 401.
    if (/(^|[\s,])nc\s*=\s*"/i.test(auth)) return nwkErr();
    const d = parseDigest(auth);
    if (!d) return nwkErr();
    const get = (k: string) => d.get(k)?.value;
    const challenge = (stale = false) => challengeReply(fqdn, stale);
    const username = get('username');
    const nonce = get('nonce');
    const realm = realmOf(fqdn);
    if (!username || !nonce || get('realm') !== realm || get('qop') !== 'auth' || (get('algorithm') ?? 'MD5').toUpperCase() !== 'MD5') return challenge();
    const issued = nonces.get(nonce);
    if (issued === undefined) return challenge(); // unknown or already used: nonces are one-time
    nonces.delete(nonce);
    if (issued.realm !== realm) return challenge();
    // RFC 7616 3.5: a nonce past its lifetime is refused with stale=true (the client may retry at once).
    if (now() - issued.issued > nonceLifetimeMs) return challenge(true);
    // RFC 7616 3.3/3.4: opaque "MUST be returned by the client unchanged".
    if (get('opaque') !== issued.opaque) return challenge();
    const uri = get('uri');
    if (uri === undefined || uri !== expectedUri(req)) return challenge();
    const key = opts.nafKey(username, fqdn);
    if (!key) return challenge();
    const nc = get('nc');
    const cnonce = get('cnonce');
    const response = get('response');
    if (!nc || !/^[0-9a-f]{8}$/i.test(nc) || !cnonce || !response) return challenge();
    const ha1 = md5(`${username}:${realm}:${Buffer.from(key).toString('base64')}`);
    const ha2 = md5(`${req.method}:${uri}`);
    const expected = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
    // RFC 7616 3.4.1: request-digest is lower-case hex; upper case is a different string, refused.
    const a = Buffer.from(expected);
    const b = Buffer.from(response);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return challenge();
    return null;
  }

  function realmOf(fqdn: string): string {
    return `3GPP-bootstrapping@${fqdn}`;
  }

  function challengeReply(fqdn: string, stale = false): Reply {
    const nonce = randomBytes(24).toString('base64');
    const opaque = randomBytes(12).toString('hex');
    const realm = realmOf(fqdn);
    nonces.set(nonce, { issued: now(), realm, opaque });
    // Long-expired ones first (kept one more lifetime so a late answer learns stale=true), then the oldest
    // beyond the cap: a client that never answers costs bounded memory.
    for (const [k, v] of nonces) {
      if (now() - v.issued <= 2 * nonceLifetimeMs && nonces.size <= MAX_NONCES) break;
      nonces.delete(k);
    }
    return reply(401, '', [['WWW-Authenticate', `Digest realm="${realm}", nonce="${nonce}", algorithm=MD5, qop="auth", opaque="${opaque}"${stale ? ', stale=true' : ''}`]]);
  }

  function matchFault(req: Parsed, stage: 'probe' | 'authenticated'): FaultRule['action'] | null {
    for (const f of faults) {
      if ((f.stage ?? 'authenticated') !== stage) continue;
      if (f.method && f.method !== req.method) continue;
      if (f.pathIncludes && !req.target.includes(f.pathIncludes)) continue;
      if (f.times !== undefined && f.used >= f.times) continue;
      f.used++;
      return f.action;
    }
    return null;
  }

  function needsBody(req: Parsed): boolean {
    const rest = normalizePct(req.target).slice(umsPath.length);
    return (req.method === 'PUT' && rest === '/vvmserviceProfile') || (req.method === 'POST' && rest.startsWith('/objects')) || (req.method === 'DELETE' && rest === '/objects/operations/bulkDelete');
  }

  async function handle(req: Parsed): Promise<Reply | FaultRule['action']> {
    // Anything but the GBA product token times out at the real relay.
    if (req.headers.get('user-agent') !== '3gpp-gba') return reply(504);
    if (/^HTTP\/1\.[01]$/.test(req.version) === false) return reply(400);
    // A real query string is not understood (the quota filter must be encoded into the path).
    if (req.target.includes('?')) return reply(504);
    // The NAF identity comes from the Host the client contacted (HTTP/1.0 clients must send it here).
    const fqdn = nafFqdnFor(req);
    if (fqdn === null) return reply(400);
    const auth = req.headers.get('authorization');
    if (auth === undefined) {
      stats.probes++;
      // The unauthenticated probe must carry the same body as the real request.
      if (needsBody(req) && req.body.length === 0) return nwkErr();
      const f = matchFault(req, 'probe');
      if (f) return f;
      return challengeReply(fqdn);
    }
    const denied = checkAuth(req, auth, fqdn);
    if (denied) return denied;
    stats.authenticated++;
    const f = matchFault(req, 'authenticated');
    if (f) return f;
    return routeFor(req);
  }

  function serialize(r: Reply): Buffer {
    const lines = [`HTTP/1.0 ${r.status} ${r.text}`, 'Server: mStoreRelay', 'Connection: close', ...r.headers.map(([k, v]) => `${k}: ${v}`)];
    if (!r.noLength) lines.push(`Content-Length: ${r.body.length}`);
    return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), r.body]);
  }

  function onConnection(socket: net.Socket): void {
    stats.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(30_000, () => socket.destroy());
    let buf = Buffer.alloc(0);
    let done = false;
    const fail = (status: number) => {
      done = true;
      socket.end(serialize(reply(status)));
    };
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      buf = Buffer.concat([buf, chunk]);
      const headEnd = buf.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (buf.length > MAX_HEADER) fail(400);
        return;
      }
      const head = buf.subarray(0, headEnd).toString('latin1').split('\r\n');
      const [method = '', target = '', version = ''] = (head[0] ?? '').split(' ');
      const headers = new Map<string, string>();
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        if (i <= 0) return fail(400);
        const k = line.slice(0, i).trim().toLowerCase();
        if (headers.has(k)) return fail(400);
        headers.set(k, line.slice(i + 1).trim());
      }
      if (headers.has('transfer-encoding')) return fail(400);
      const lenHeader = headers.get('content-length');
      const len = lenHeader === undefined ? 0 : /^\d{1,9}$/.test(lenHeader) ? Number(lenHeader) : -1;
      if (len < 0) return fail(400);
      if (len > MAX_BODY) return fail(413);
      if (buf.length < headEnd + 4 + len) return;
      done = true;
      const req: Parsed = { method, target, version, headers, rawHeaders: head.slice(1), body: buf.subarray(headEnd + 4, headEnd + 4 + len) };
      void respond(socket, req);
    });
  }

  function pushLog(e: RelayLogEntry): void {
    stats.log.push(e);
    if (stats.log.length > maxLog) stats.log.splice(0, stats.log.length - maxLog);
  }

  function logEntry(req: Parsed, status: number, authenticated: boolean): RelayLogEntry {
    return {
      method: req.method, target: req.target, status, authenticated, sentAuthorization: req.headers.has('authorization'),
      userAgent: req.headers.get('user-agent') ?? null, contentType: req.headers.get('content-type') ?? null, bodyBytes: req.body.length,
      bodyDigest: req.body.length === 0 ? '' : createHash('sha256').update(req.body).digest('hex').slice(0, 16),
    };
  }

  async function respond(socket: net.Socket, req: Parsed): Promise<void> {
    let out: Reply | FaultRule['action'];
    try {
      out = await handle(req);
    } catch {
      out = reply(500, NWKERR);
    }
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if ('kind' in out) {
      switch (out.kind) {
        case 'hang':
          return;
        case 'drop':
          socket.destroy();
          return;
        case 'delay': {
          const ms = out.ms;
          await new Promise((r) => setTimeout(r, ms));
          out = routeFor(req);
          break;
        }
        case 'dropMidBody': {
          const r = routeFor(req);
          const bytes = serialize({ ...r, headers: [...r.headers], noLength: false });
          const headLen = bytes.indexOf('\r\n\r\n') + 4;
          socket.write(bytes.subarray(0, headLen + Math.floor((bytes.length - headLen) / 2)), () => socket.destroy());
          pushLog(logEntry(req, r.status, true));
          return;
        }
        case 'raw':
          socket.end(Buffer.from(out.bytes, 'latin1'));
          return;
        case 'truncateNoLength': {
          const r = routeFor(req);
          socket.end(serialize({ ...r, body: r.body.subarray(0, Math.floor(r.body.length / 2)), noLength: true }));
          pushLog(logEntry(req, r.status, true));
          return;
        }
        case 'applyThenNwkErr':
          routeFor(req);
          out = nwkErr();
          break;
        case 'status':
          out = reply(out.status, out.body ?? '', Object.entries(out.headers ?? {}));
          break;
      }
    }
    if (!('status' in out)) return;
    if (req.headers.has('authorization') && (out.status === 401 || out.status === 400 || out.status === 504)) stats.rejected++;
    pushLog(logEntry(req, out.status, req.headers.has('authorization') && out.status !== 401));
    socket.end(serialize(out));
  }

  const server = opts.tls ? tls.createServer({ key: opts.tls.key, cert: opts.tls.cert }, onConnection) : net.createServer(onConnection);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  listenOrigin = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${listenOrigin}${basePath}`,
    urlAt: (name: string) => `${scheme}://${name}:${port}${basePath}`,
    port,
    stats,
    snapshot,
    setFaults: (rules) => {
      faults = rules.map((f) => ({ ...f, used: 0 }));
    },
    setLatency: (ms) => {
      latency = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    // ---- scenario hooks (see RelayHandle) ----
    addVoicemail: (v) => {
      const id = storeVoicemail(ScenarioVoicemailSchema.parse(v));
      changed();
      return id;
    },
    removeObject: (id) => {
      const i = objects.findIndex((o) => o.id === id);
      if (i < 0) return false;
      objects.splice(i, 1);
      changed();
      return true;
    },
    setObjectFlag: (id, flag, on) => {
      const o = objects.find((x) => x.id === id);
      if (!o) return false;
      if (on) o.flags.add(flag);
      else o.flags.delete(flag);
      changed();
      return true;
    },
  };
}

interface Part {
  headers: Map<string, string>;
  body: Buffer;
}

/**
 * Strict multipart parser: `--B CRLF headers CRLF CRLF body CRLF --B ... --B-- CRLF`. Every part must
 * carry a Content-Length that matches its body exactly (the real relay relies on it). Null when anything
 * does not fit.
 */
function splitMultipart(data: Buffer, boundary: string): Part[] | null {
  const parts: Part[] = [];
  let pos = 0;
  const open = Buffer.from(`--${boundary}\r\n`, 'latin1');
  if (!data.subarray(0, open.length).equals(open)) return null;
  pos = open.length;
  for (;;) {
    const headEnd = data.indexOf('\r\n\r\n', pos, 'latin1');
    if (headEnd < 0) return null;
    const headers = new Map<string, string>();
    for (const line of data.subarray(pos, headEnd).toString('latin1').split('\r\n')) {
      const i = line.indexOf(':');
      if (i <= 0) return null;
      headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    const len = headers.get('content-length');
    if (len === undefined || !/^\d{1,9}$/.test(len)) return null;
    const start = headEnd + 4;
    const end = start + Number(len);
    if (end > data.length) return null;
    parts.push({ headers, body: data.subarray(start, end) });
    const next = `\r\n--${boundary}`;
    if (data.subarray(end, end + next.length).toString('latin1') !== next) return null;
    pos = end + next.length;
    const tail = data.subarray(pos, pos + 2).toString('latin1');
    if (tail === '--') {
      const rest = data.subarray(pos + 2).toString('latin1');
      return rest === '\r\n' || rest === '' ? parts : null;
    }
    if (tail !== '\r\n') return null;
    pos += 2;
  }
}
