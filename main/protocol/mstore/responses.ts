// zod schemas for every mstore response body (mstore-protocol.md) and the parsers that turn them into
// the domain types of shared/domain/mstore.ts. Pure: bytes in, values out. Anything unexpected becomes
// HttpError('http.badResponse') with what was wrong, never a crash.
import { z } from 'zod';
import { HttpError } from '../../errors.js';
import { FolderQuotaSchema, QUOTA_ATTRIBUTES, type BulkItemResult, type FolderQuota, type Greeting, type Profile, type Voicemail } from '../../../shared/domain/mstore.js';
import { contentDispositionFilename, sanitizeFilename } from './filename.js';
import { FLAG_GREETING_ON, FLAG_KEEP, FLAG_SEEN, objectPathFromUrl, type UrlTrust } from './urls.js';

/** The error body of a malformed request (and of bulk requests naming nonsense objects). */
export const NWKERR = 'MSTORE_RLY-MST_NWKERR';

const Attribute = z.object({ name: z.string(), value: z.array(z.string()) });
const AttributeList = z.object({ attribute: z.array(Attribute) });

/** `{"vvmserviceProfile":{"attributes":{"attribute":[...]}}}`. */
export const ProfileResponseSchema = z.object({ vvmserviceProfile: z.object({ attributes: AttributeList }) });

/** `{"folder":{"attributes":{"attribute":[...]}}}` with the quota attributes. */
export const FolderResponseSchema = z.object({
  folder: z.object({ parentFolder: z.string().optional(), attributes: AttributeList.extend({ resourceURL: z.string().optional() }) }),
});

/** One payload part of an object. `size` is a decimal string. */
export const PayloadPartSchema = z.object({
  contentType: z.string(),
  size: z.string().regex(/^\d{1,12}$/),
  contentEncoding: z.string().optional(),
  contentDisposition: z.string().optional(),
  href: z.string(),
});

/** The `object` value (GET /objects/<path>, and each item of a search page). */
export const ObjectSchema = z.object({
  parentFolder: z.string().optional(),
  attributes: AttributeList,
  flags: z.object({ flag: z.array(z.string()), resourceURL: z.string().optional() }).optional(),
  resourceURL: z.string(),
  path: z.string().optional(),
  payloadURL: z.string().optional(),
  payloadPart: z.array(PayloadPartSchema).min(1),
  correlationId: z.string().optional(),
});

/** A search page: objects are validated one by one, so a bad one does not hide the rest. */
export const ObjectListSchema = z.object({ objectList: z.object({ object: z.array(z.unknown()).default([]), cursor: z.string().min(1).optional() }) });

const BulkResponseItem = z.object({
  code: z.union([z.string().regex(/^\d{3}$/), z.number().int()]),
  reason: z.string().optional(),
  success: z.object({ resourceURL: z.string() }).optional(),
  failure: z.object({ serviceException: z.object({ messageId: z.string().optional(), text: z.string().optional(), variables: z.array(z.string()).optional() }).optional() }).optional(),
});
/** `{"bulkResponseList":{"response":[...]}}`. */
export const BulkResponseListSchema = z.object({ bulkResponseList: z.object({ response: z.array(BulkResponseItem) }) });

const NwkRspSchema = z.object({ NWK_RSP: z.string() });
const ErrorBodySchema = z.object({ error: z.string() });

function bad(message: string, detail?: Record<string, string | number>): HttpError {
  return new HttpError('http.badResponse', message, { hint: 'The server sent something this app does not understand; try again later.', ...(detail && { detail }) });
}

/**
 * Largest JSON body parsed for a profile, a folder quota, one object or a bulk result: real ones are a few
 * KiB. A search page may be larger ({@link MAX_PAGE_JSON_BYTES}). Anything bigger is refused before any
 * parsing, so a hostile body costs nothing but its download (itself capped by maxResponseBytes).
 */
export const MAX_SMALL_JSON_BYTES = 256 * 1024;
/** Largest search page parsed (a page holds at most a few hundred objects of about 1 KiB). */
export const MAX_PAGE_JSON_BYTES = 8 * 1024 * 1024;

/** Parses a JSON body of at most `maxBytes`; too large, malformed or non-UTF-8 is http.badResponse. */
export function parseJson(body: Uint8Array, what: string, maxBytes = MAX_SMALL_JSON_BYTES): unknown {
  if (body.length > maxBytes) throw bad(`${what}: response is larger than ${maxBytes} bytes`, { bytes: body.length, limitBytes: maxBytes });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw bad(`${what}: response is not UTF-8`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bad(`${what}: response is not valid JSON`, { bytes: body.length });
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const first = r.error.issues[0];
    throw bad(`${what}: unexpected response (${first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'schema mismatch'})`);
  }
  return r.data;
}

/** True when the body is `{"error":"MSTORE_RLY-MST_NWKERR"}`. */
export function isNwkErr(value: unknown): boolean {
  const r = ErrorBodySchema.safeParse(value);
  return r.success && r.data.error === NWKERR;
}

/** Attribute values by name, repeated names concatenated in order; linear (one push per value). */
function attrMap(list: z.infer<typeof AttributeList>): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const a of list.attribute) {
    let values = m.get(a.name);
    if (values === undefined) m.set(a.name, (values = []));
    for (const v of a.value) values.push(v);
  }
  return m;
}

function first(m: Map<string, string[]>, name: string): string | null {
  return m.get(name)?.[0] ?? null;
}

function bool(v: string | null): boolean | null {
  if (v === null) return null;
  const l = v.trim().toLowerCase();
  return l === 'true' ? true : l === 'false' ? false : null;
}

/** `MigrationDate` `yyyy:MM:dd:HH:mm` (UTC) as an ISO instant, or null. */
function migrationDate(v: string | null): string | null {
  const m = v === null ? null : /^(\d{4}):(\d{2}):(\d{2}):(\d{2}):(\d{2})$/.exec(v);
  if (!m) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z`;
}

/** GET /vvmserviceProfile. Booleans in any case; unknown attributes kept. */
export function parseProfile(body: Uint8Array): Profile {
  const p = validate(ProfileResponseSchema, parseJson(body, 'profile'), 'profile');
  const m = attrMap(p.vvmserviceProfile.attributes);
  return {
    vvmOn: bool(first(m, 'vvmon')),
    blocked: bool(first(m, 'isblocked')),
    newUserTutorial: bool(first(m, 'nut')),
    language: first(m, 'Language'),
    cosName: first(m, 'cosname'),
    migrationDate: migrationDate(first(m, 'MigrationDate')),
    migrationStatus: bool(first(m, 'MigrationStatus')),
    attributes: Object.fromEntries(m),
  };
}

/** GET /folders/<id>%3FattrFilter%3DQuota: the twelve integer attributes (absent ones null). */
export function parseQuota(body: Uint8Array): FolderQuota {
  const f = validate(FolderResponseSchema, parseJson(body, 'folder quota'), 'folder quota');
  const m = attrMap(f.folder.attributes);
  const out: Record<string, number | null> = {};
  for (const name of QUOTA_ATTRIBUTES) {
    const v = first(m, name);
    if (v !== null && !/^-?\d{1,15}$/.test(v.trim())) throw bad(`folder quota: ${name} is not an integer`);
    out[name] = v === null ? null : Number(v.trim());
  }
  return FolderQuotaSchema.parse(out);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** A listed object with what the client needs besides the domain fields. */
export interface ObjectEntry<T> {
  item: T;
  /** Path to GET for the audio (after `/objects/`, includes `/payloadParts/part1`). */
  payloadPath: string;
}

/** Why one object of a listing was skipped. */
export interface RejectedObject {
  index: number;
  /** Object path when it could be read, else null. */
  id: string | null;
  reason: string;
}

function duration(m: Map<string, string[]>): number {
  const v = first(m, 'content-duration');
  if (v === null) return 0;
  if (!/^\d{1,7}$/.test(v.trim())) throw new RangeError('content-duration is not a whole number of seconds');
  return Number(v.trim());
}

function isoAttr(m: Map<string, string[]>, name: string, required: boolean): string | null {
  const v = first(m, name);
  if (v === null) {
    if (required) throw new RangeError(`missing ${name}`);
    return null;
  }
  if (!ISO_INSTANT.test(v) || Number.isNaN(Date.parse(v))) throw new RangeError(`${name} is not an ISO instant`);
  return v;
}

/** `tel:+1...@host` -> `tel:+1...` (indexOf, not /@.*$/, which backtracks over many `@` before a newline). */
function beforeAt(v: string): string {
  const at = v.indexOf('@');
  return at < 0 ? v : v.slice(0, at);
}

function defaultName(prefix: string, date: string): string {
  return `${prefix}-${date.replace(/\D/g, '').slice(0, 14)}.amr`;
}

/** What voicemails and greetings share: schema check, id and payload path under our server, date, safe name. */
function common(raw: unknown, trust: UrlTrust, kind: 'voicemail' | 'greeting') {
  const r = ObjectSchema.safeParse(raw);
  if (!r.success) throw new RangeError(`schema: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}`.trim());
  const o = r.data;
  const id = objectPathFromUrl(o.resourceURL, trust);
  if (id === null) throw new RangeError('resourceURL holds no valid object path');
  const part = o.payloadPart[0];
  if (part === undefined) throw new RangeError('no payloadPart');
  const payloadPath = objectPathFromUrl(part.href, trust);
  if (payloadPath === null) throw new RangeError('payload href holds no valid object path');
  const m = attrMap(o.attributes);
  const flags = o.flags?.flag ?? [];
  const date = isoAttr(m, 'date', true) ?? '';
  const suggested = part.contentDisposition ? contentDispositionFilename(part.contentDisposition) : null;
  const fallback = defaultName(kind, date);
  return { id, part, payloadPath, m, flags, date, filename: sanitizeFilename(suggested ?? fallback, fallback) };
}

/** One object as a voicemail (throws RangeError with the reason when it does not fit). */
export function toVoicemail(raw: unknown, trust: UrlTrust): ObjectEntry<Voicemail> {
  const { id, part, payloadPath, m, flags, date, filename } = common(raw, trust, 'voicemail');
  return {
    item: {
      id,
      from: beforeAt(first(m, 'from') ?? ''),
      date,
      expires: isoAttr(m, 'expires', false),
      duration: duration(m),
      read: flags.includes(FLAG_SEEN),
      size: Number(part.size),
      filename,
      keep: flags.includes(FLAG_KEEP),
      contentType: part.contentType,
    },
    payloadPath,
  };
}

/** One object as a greeting (throws RangeError with the reason when it does not fit). */
export function toGreeting(raw: unknown, trust: UrlTrust): ObjectEntry<Greeting> {
  const { id, part, payloadPath, m, flags, date, filename } = common(raw, trust, 'greeting');
  return {
    item: {
      id,
      date,
      duration: duration(m),
      active: flags.includes(FLAG_GREETING_ON),
      type: first(m, 'x-cns-greeting-type') ?? 'normal-greeting',
      subject: first(m, 'subject') ?? '',
      size: Number(part.size),
      filename,
    },
    payloadPath,
  };
}

/** One search page: the objects that fit, the ones skipped (and why), and the next cursor. */
export interface Page<T> {
  items: ObjectEntry<T>[];
  rejected: RejectedObject[];
  cursor: string | null;
}

function idOf(raw: unknown, trust: UrlTrust): string | null {
  const r = z.object({ resourceURL: z.string() }).safeParse(raw);
  return r.success ? objectPathFromUrl(r.data.resourceURL, trust) : null;
}

/** Maps one raw object to a domain entry: {@link toVoicemail} or {@link toGreeting}. */
export type ObjectMapper<T> = (raw: unknown, trust: UrlTrust) => ObjectEntry<T>;

/** POST /objects/operations/search (a 200 page; 204 is an empty folder and never reaches here). */
export function parseSearchPage<T>(body: Uint8Array, map: ObjectMapper<T>, trust: UrlTrust): Page<T> {
  const list = validate(ObjectListSchema, parseJson(body, 'search', MAX_PAGE_JSON_BYTES), 'search');
  const items: ObjectEntry<T>[] = [];
  const rejected: RejectedObject[] = [];
  list.objectList.object.forEach((raw, index) => {
    try {
      items.push(map(raw, trust));
    } catch (e) {
      rejected.push({ index, id: idOf(raw, trust), reason: e instanceof Error ? e.message : 'invalid object' });
    }
  });
  return { items, rejected, cursor: list.objectList.cursor ?? null };
}

/** GET /objects/<path>: the single object. */
export function parseObject<T>(body: Uint8Array, map: ObjectMapper<T>, trust: UrlTrust): ObjectEntry<T> {
  const o = validate(z.object({ object: z.unknown() }), parseJson(body, 'object'), 'object');
  try {
    return map(o.object, trust);
  } catch (e) {
    throw bad(`object: ${e instanceof Error ? e.message : 'invalid'}`);
  }
}

/** Outcome of a bulk request: per-item results, or NWKERR (valid objects changed, results unknown). */
export type BulkOutcome = { kind: 'results'; items: BulkItemResult[] } | { kind: 'nwkErr' };

/**
 * bulkUpdate / bulkDelete responses, whatever the HTTP status: `NWK_RSP` (stringified JSON inside a 5xx)
 * is unwrapped; `{"error":"MSTORE_RLY-MST_NWKERR"}` carries no results. Items are matched back to
 * object paths through `success.resourceURL` or `failure.serviceException.variables[0]`.
 */
export function parseBulkResponse(body: Uint8Array, trust: UrlTrust): BulkOutcome {
  let value = parseJson(body, 'bulk');
  const wrapped = NwkRspSchema.safeParse(value);
  if (wrapped.success) {
    try {
      value = JSON.parse(wrapped.data.NWK_RSP) as unknown;
    } catch {
      throw bad('bulk: NWK_RSP is not valid JSON');
    }
  }
  if (isNwkErr(value)) return { kind: 'nwkErr' };
  const list = validate(BulkResponseListSchema, value, 'bulk');
  const items: BulkItemResult[] = [];
  for (const r of list.bulkResponseList.response) {
    const code = typeof r.code === 'number' ? r.code : Number(r.code);
    const url = r.success?.resourceURL ?? r.failure?.serviceException?.variables?.[0];
    const id = url === undefined ? null : objectPathFromUrl(url, trust);
    if (id === null) throw bad('bulk: a result holds no valid object path');
    const ok = code >= 200 && code < 300;
    items.push({ id, ok, code, reason: r.reason ?? r.failure?.serviceException?.text ?? (ok ? 'OK' : 'failed') });
  }
  return { kind: 'results', items };
}
