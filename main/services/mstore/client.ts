// The mstore client: every endpoint of the relay (mstore-protocol.md) over AuthenticatedHttp, which does
// the GBA digest dance underneath. Requests are built and responses parsed by main/protocol/mstore; this
// layer adds the status mapping, pagination, bulk result bookkeeping and greeting activation logic.
import { fromBase64 } from '../../../shared/bytes.js';
import type { BulkItemResult, FolderKind, FolderQuota, Greeting, GreetingType, Profile, Voicemail } from '../../../shared/domain/mstore.js';
import { AudioError, HttpError, throwIfAborted } from '../../errors.js';
import { scanAmr } from '../../protocol/mstore/amr-frames.js';
import { bulkDeleteBody, bulkUpdateBody, greetingMultipart, jsonBytes, pinChangeBody, searchBody, vvmOnBody } from '../../protocol/mstore/bodies.js';
import { contentDispositionFilename, sanitizeFilename } from '../../protocol/mstore/filename.js';
import { pinRejection } from '../../protocol/mstore/pin.js';
import {
  isNwkErr, parseBulkResponse, parseJson, parseObject, parseProfile, parseQuota, parseSearchPage, toGreeting, toVoicemail,
  type ObjectEntry, type ObjectMapper, type Page, type RejectedObject,
} from '../../protocol/mstore/responses.js';
import {
  FLAG_GREETING_ON, FLAG_SEEN, bulkDeleteUrl, bulkUpdateUrl, flagUrl, folderUrl, objectPathProblem, objectUrl, objectsUrl, profileUrl,
  quotaUrl, searchUrl, umsBase, type UrlTrust,
} from '../../protocol/mstore/urls.js';
import type { AuthenticatedHttp } from '../contracts.js';
import type { Clock, HttpResponse, Logger, OpOptions, Random } from '../ports.js';

/** The product token the relay insists on (TS 33.222 5.3.0; anything else gets 504). */
export const USER_AGENT = '3gpp-gba';

/** What the client needs. */
export interface MstoreClientDeps {
  http: AuthenticatedHttp;
  /** Configured relay base URL: the only host requests ever go to. */
  server: string;
  /** E.164 MSISDN (from settings or the card's IMPU), resolved lazily. */
  msisdn: () => Promise<string>;
  clock: Clock;
  random: Random;
  logger?: Logger;
}

/** A listing: the objects that parsed, and the ones skipped with the reason. */
export interface Listing<T> {
  items: ObjectEntry<T>[];
  rejected: RejectedObject[];
}

/** Per-item outcome of a bulk operation. */
export interface BulkOutcome {
  results: BulkItemResult[];
  /** True when the relay answered MSTORE_RLY-MST_NWKERR and the results come from re-listing. */
  relisted: boolean;
}

/** A downloaded payload, decoded. */
export interface Payload {
  bytes: Uint8Array;
  contentType: string;
  /** Server-suggested name, sanitised; null when none. */
  filename: string | null;
}

/** Options of a payload download. */
export interface DownloadOptions extends OpOptions {
  /**
   * Decoded size the listing gave (`payloadPart.size`). The relay ends payloads at connection close without
   * a Content-Length (HTTP/1.0), so a cut connection looks like a short body: a size mismatch is an error.
   */
  expectedSize?: number;
}

/** Options of a greeting upload. */
export interface UploadOptions extends OpOptions {
  subject?: string;
  type?: GreetingType;
  /** Make it the one active greeting after upload. */
  activate?: boolean;
}

function header(r: HttpResponse, name: string): string | undefined {
  return r.headers[name.toLowerCase()]?.[0];
}

/** The mstore API client. */
export class MstoreClient {
  private ums: string | null = null;
  private readonly trust: UrlTrust;
  /**
   * Ids this client has seen on the server, per folder (the last full listing, plus objects read one by
   * one, minus confirmed deletions). A bulk delete answered with MSTORE_RLY-MST_NWKERR carries no results,
   * and a re-listing cannot tell "deleted now" from "never existed": this set is what tells them apart.
   */
  private readonly known: Record<FolderKind, Set<string>> = { voicemail: new Set(), greeting: new Set() };
  /** Payload path and listed size of every object seen in a listing or metadata read, by id (for downloadById). */
  private readonly payloadRefs = new Map<string, { path: string; size: number }>();

  constructor(private readonly deps: MstoreClientDeps) {
    // URLs from the server may name any host (the relay does not rewrite them): only their path is used.
    // Each unexpected host is logged once, at debug level.
    const seenHosts = new Set<string>();
    this.trust = {
      server: deps.server,
      onUnexpectedHost: (host) => {
        if (seenHosts.has(host) || seenHosts.size >= 16) return;
        seenHosts.add(host);
        deps.logger?.debug('server URL names another host (only its path is used)', { host });
      },
    };
  }

  private async base(): Promise<string> {
    this.ums ??= umsBase(this.deps.server, await this.deps.msisdn());
    return this.ums;
  }

  private async send(method: string, url: string, opts: OpOptions, body?: { bytes: Uint8Array; type: string }): Promise<HttpResponse> {
    throwIfAborted(opts.signal);
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT };
    if (body) headers['Content-Type'] = body.type;
    const started = this.deps.clock.monotonic();
    const res = await this.deps.http.request({ method, url, headers, ...(body && { body: body.bytes }) }, opts);
    this.deps.logger?.debug('mstore request', { method, url, status: res.status, ms: Math.round(this.deps.clock.monotonic() - started) });
    return res;
  }

  private json(method: string, url: string, value: unknown, opts: OpOptions): Promise<HttpResponse> {
    return this.send(method, url, opts, { bytes: jsonBytes(value), type: 'application/json' });
  }

  /** Maps a non-2xx status to a typed error. */
  private fail(res: HttpResponse, what: string): never {
    const s = res.status;
    let nwk = false;
    try {
      nwk = isNwkErr(parseJson(res.body, what));
    } catch {
      // not JSON: keep nwk false
    }
    // The operation goes in detail (the CLI prints it), not in the message: the window words its own.
    const detail = { status: s, operation: what, ...(nwk && { error: 'MSTORE_RLY-MST_NWKERR' }) };
    if (s === 401) throw new HttpError('http.unauthorized', 'The voicemail server refused our credentials', { hint: 'Check the SIM and the GBA bootstrap step by step (diagnostics).', action: 'runDiagnostics', detail });
    if (s === 403) throw new HttpError('http.forbidden', 'The voicemail server refused the request', { detail });
    if (s === 404) throw new HttpError('http.notFound', 'Not found on the voicemail server', { hint: 'List again: it may have been deleted.', action: 'refreshList', detail });
    if (s >= 500) throw new HttpError('http.server', `The voicemail server failed (error ${s})`, { hint: 'The carrier\'s server failed; try again later.', action: 'retryLater', detail, retryable: true });
    throw new HttpError('http.server', `The voicemail server rejected the request (${s})`, { hint: nwk ? 'The relay called the request malformed (MSTORE_RLY-MST_NWKERR).' : 'Unexpected status from the relay.', detail });
  }

  private ok(res: HttpResponse, what: string): HttpResponse {
    if (res.status < 200 || res.status > 299) this.fail(res, what);
    return res;
  }

  private checkId(id: string): void {
    const p = objectPathProblem(id);
    if (p !== null) throw new HttpError('http.notFound', `Not a valid voicemail or greeting id (${p})`, { hint: 'Use an id from a listing.', action: 'refreshList', detail: { id: id.slice(0, 80) } });
  }

  // ---- profile ----

  /** GET the VVM service profile. */
  async getProfile(opts: OpOptions = {}): Promise<Profile> {
    const res = this.ok(await this.send('GET', profileUrl(await this.base()), opts), 'profile');
    return parseProfile(res.body);
  }

  /** Activates (true) or deactivates visual voicemail: PUT with only `vvmon`. */
  async setVvmOn(on: boolean, opts: OpOptions = {}): Promise<void> {
    this.ok(await this.json('PUT', profileUrl(await this.base()), vvmOnBody(on), opts), on ? 'activate' : 'deactivate');
  }

  /** Changes the voicemail PIN; a refusal is HttpError('mstore.pinRejected') with detail.reason. */
  async changePin(oldPin: string, newPin: string, opts: OpOptions = {}): Promise<void> {
    const res = await this.json('PUT', profileUrl(await this.base()), pinChangeBody(oldPin, newPin), opts);
    if (res.status === 403) {
      const r = pinRejection(header(res, 'reason-phrase'));
      // The rule that refused it is said once (the hint), not repeated in the message.
      throw new HttpError('mstore.pinRejected', 'The voicemail PIN was not changed', { hint: r.message, detail: { reason: r.reason } });
    }
    this.ok(res, 'PIN change');
  }

  // ---- folders ----

  /** The folder's twelve quota attributes. */
  async getQuota(kind: FolderKind, opts: OpOptions = {}): Promise<FolderQuota> {
    const res = this.ok(await this.send('GET', quotaUrl(await this.base(), kind), opts), 'folder quota');
    return parseQuota(res.body);
  }

  /** Pages of a folder, newest first, following the cursor (maxEntries 100; 204 = empty). */
  async *pages<T>(kind: FolderKind, map: ObjectMapper<T>, opts: OpOptions = {}): AsyncGenerator<Page<T>> {
    const ums = await this.base();
    let cursor: string | undefined;
    const seen = new Set<string>();
    let done = 0;
    for (let n = 0; n < 1000; n++) {
      throwIfAborted(opts.signal);
      const res = this.ok(await this.json('POST', searchUrl(ums), searchBody(folderUrl(ums, kind), cursor), opts), 'search');
      if (res.status === 204) return;
      const page = parseSearchPage(res.body, map, this.trust);
      done += page.items.length;
      opts.onProgress?.({ phase: 'list', done });
      yield page;
      if (page.cursor === null) return;
      // A cursor that repeats would loop forever: treat it as a server fault.
      if (seen.has(page.cursor)) throw new HttpError('http.badResponse', 'The server repeated a page cursor while listing', { hint: 'Try again later.' });
      seen.add(page.cursor);
      cursor = page.cursor;
    }
    throw new HttpError('http.badResponse', 'The server sent too many pages while listing', { hint: 'Try again later.' });
  }

  private async listAll<T extends { id: string }>(kind: FolderKind, map: ObjectMapper<T>, opts: OpOptions): Promise<Listing<T>> {
    const items: ObjectEntry<T>[] = [];
    const rejected: RejectedObject[] = [];
    for await (const p of this.pages(kind, map, opts)) {
      items.push(...p.items);
      rejected.push(...p.rejected);
    }
    // A complete listing replaces what we knew of the folder (skipped objects exist too).
    this.known[kind] = new Set([...items.map((e) => e.item.id), ...rejected.flatMap((r) => (r.id === null ? [] : [r.id]))]);
    for (const e of items) this.rememberPayload(e);
    for (const r of rejected) this.deps.logger?.warn('mstore: skipped a malformed object', { id: r.id, reason: r.reason });
    return { items, rejected };
  }

  /** Every voicemail (malformed ones reported in `rejected`). */
  listVoicemails(opts: OpOptions = {}): Promise<Listing<Voicemail>> {
    return this.listAll('voicemail', toVoicemail, opts);
  }

  /** Every greeting. */
  listGreetings(opts: OpOptions = {}): Promise<Listing<Greeting>> {
    return this.listAll('greeting', toGreeting, opts);
  }

  // ---- objects ----

  private async getObject<T extends { id: string }>(kind: FolderKind, id: string, map: ObjectMapper<T>, opts: OpOptions): Promise<ObjectEntry<T>> {
    this.checkId(id);
    const res = this.ok(await this.send('GET', objectUrl(await this.base(), id), opts), kind);
    const entry = parseObject(res.body, map, this.trust);
    this.known[kind].add(entry.item.id);
    this.rememberPayload(entry);
    return entry;
  }

  private rememberPayload(e: { item: { id: string; size?: number }; payloadPath: string }): void {
    if (e.item.size !== undefined) this.payloadRefs.set(e.item.id, { path: e.payloadPath, size: e.item.size });
  }

  /**
   * Downloads a voicemail's or greeting's audio by id. The payload path and listed size come from the last
   * listing or metadata read of this client, else from a metadata read now; the size catches a payload cut
   * at connection close (see DownloadOptions.expectedSize).
   */
  async downloadById(kind: FolderKind, id: string, opts: OpOptions = {}): Promise<Payload> {
    let ref = this.payloadRefs.get(id);
    if (!ref) {
      const e = kind === 'voicemail' ? await this.getVoicemail(id, opts) : await this.getGreeting(id, opts);
      ref = { path: e.payloadPath, size: e.item.size };
    }
    return this.download(ref.path, { ...opts, expectedSize: ref.size });
  }

  /** Metadata of one voicemail. */
  getVoicemail(id: string, opts: OpOptions = {}): Promise<ObjectEntry<Voicemail>> {
    return this.getObject('voicemail', id, toVoicemail, opts);
  }

  /** Metadata of one greeting. */
  getGreeting(id: string, opts: OpOptions = {}): Promise<ObjectEntry<Greeting>> {
    return this.getObject('greeting', id, toGreeting, opts);
  }

  /** Downloads a payload (path from the listing's payloadPart href), decoding base64 transfer encoding. */
  async download(payloadPath: string, opts: DownloadOptions = {}): Promise<Payload> {
    this.checkId(payloadPath);
    opts.onProgress?.({ phase: 'download', transferredBytes: 0 });
    const res = this.ok(await this.send('GET', objectUrl(await this.base(), payloadPath), opts), 'download');
    let bytes = res.body;
    const cte = header(res, 'content-transfer-encoding')?.trim().toLowerCase();
    if (cte === 'base64') {
      const text = new TextDecoder('latin1').decode(res.body).replace(/[\r\n]/g, '');
      try {
        bytes = fromBase64(text);
      } catch {
        throw new HttpError('http.badResponse', 'The downloaded audio is not valid base64', { hint: 'Try the download again.', retryable: true });
      }
    } else if (cte !== undefined && cte !== 'binary' && cte !== '8bit' && cte !== '7bit') {
      throw new HttpError('http.badResponse', 'The downloaded audio has an unsupported transfer encoding', { detail: { encoding: cte.slice(0, 40) } });
    }
    if (opts.expectedSize !== undefined && bytes.length !== opts.expectedSize) {
      throw new HttpError('http.badResponse', `The download got ${bytes.length} bytes where the server listed ${opts.expectedSize} (cut off?)`, {
        hint: 'The connection may have dropped; try the download again.',
        detail: { receivedBytes: bytes.length, expectedBytes: opts.expectedSize },
        retryable: true,
      });
    }
    const cd = header(res, 'content-disposition');
    const suggested = cd === undefined ? null : contentDispositionFilename(cd);
    opts.onProgress?.({ phase: 'download', transferredBytes: bytes.length, totalBytes: bytes.length });
    return { bytes, contentType: header(res, 'content-type') ?? 'application/octet-stream', filename: suggested === null ? null : sanitizeFilename(suggested, 'download.amr') };
  }

  /**
   * Downloads several payloads with up to `concurrency` requests in flight so network round trips overlap.
   * Safe with one card: the GBA service runs one bootstrap at a time per card. Results keep the input order; progress counts finished items.
   */
  async downloadMany(payloadPaths: string[], opts: OpOptions & { concurrency?: number; sizes?: number[] } = {}): Promise<Payload[]> {
    const out: Payload[] = new Array<Payload>(payloadPaths.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < payloadPaths.length) {
        const i = next++;
        throwIfAborted(opts.signal);
        const expectedSize = opts.sizes?.[i];
        out[i] = await this.download(payloadPaths[i] ?? '', { ...(opts.signal && { signal: opts.signal }), ...(expectedSize !== undefined && { expectedSize }) });
        done++;
        opts.onProgress?.({ phase: 'download', done, total: payloadPaths.length });
      }
    };
    const n = Math.max(1, Math.min(opts.concurrency ?? 4, payloadPaths.length));
    await Promise.all(Array.from({ length: n }, worker));
    return out;
  }

  // ---- bulk ----

  private isKnown(id: string): boolean {
    return this.known.voicemail.has(id) || this.known.greeting.has(id);
  }

  private async bulk(kind: 'update' | 'delete', ids: string[], opts: OpOptions, flagOp?: 'AddFlag' | 'RemoveFlag'): Promise<BulkOutcome> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return { results: [], relisted: false };
    unique.forEach((id) => this.checkId(id));
    // A delete answered with NWKERR can only be read against what existed before it: learn that first
    // for ids this client has not listed (an update can be read from the flags after it, so needs nothing).
    let existedBefore: Set<string> | null = null;
    if (kind === 'delete') {
      if (!unique.every((id) => this.isKnown(id))) await this.refreshKnown(opts);
      existedBefore = new Set(unique.filter((id) => this.isKnown(id)));
    }
    const ums = await this.base();
    const results: BulkItemResult[] = [];
    let relisted = false;
    // The relay takes at most 100 objects per request (TCL configuration).
    for (let i = 0; i < unique.length; i += 100) {
      const chunk = unique.slice(i, i + 100);
      const urls = chunk.map((id) => objectUrl(ums, id));
      const res =
        kind === 'delete'
          ? await this.json('DELETE', bulkDeleteUrl(ums), bulkDeleteBody(urls), opts)
          : await this.json('POST', bulkUpdateUrl(ums), bulkUpdateBody(urls, flagOp ?? 'AddFlag', [FLAG_SEEN]), opts);
      // Read the body whatever the status: 5xx bodies may carry the real result in NWK_RSP.
      let outcome;
      try {
        outcome = parseBulkResponse(res.body, this.trust);
      } catch (e) {
        if (res.status < 200 || res.status > 299) this.fail(res, kind === 'delete' ? 'delete' : 'update');
        throw e;
      }
      if (outcome.kind === 'nwkErr') {
        // Valid objects were changed but no results came back: re-list to learn the real state.
        relisted = true;
        results.push(...(await this.resultsFromListing(kind, chunk, flagOp, existedBefore, opts)));
        continue;
      }
      for (const id of chunk) {
        const r = outcome.items.find((x) => x.id === id);
        results.push(r ?? { id, ok: false, code: null, reason: 'no result from the server' });
      }
    }
    if (kind === 'delete') for (const r of results) if (r.ok) this.forget(r.id);
    return { results, relisted };
  }

  private forget(id: string): void {
    this.known.voicemail.delete(id);
    this.known.greeting.delete(id);
    this.payloadRefs.delete(id);
  }

  /** Lists both folders, one after the other (each request bootstraps on the card, which does one thing at a time). */
  private async refreshKnown(opts: OpOptions): Promise<Map<string, boolean>> {
    const vms = await this.listVoicemails(opts);
    const grs = await this.listGreetings(opts);
    const present = new Map<string, boolean>();
    for (const v of vms.items) present.set(v.item.id, v.item.read);
    for (const g of grs.items) present.set(g.item.id, true);
    for (const r of [...vms.rejected, ...grs.rejected]) if (r.id !== null && !present.has(r.id)) present.set(r.id, false);
    return present;
  }

  private async resultsFromListing(
    kind: 'update' | 'delete',
    ids: string[],
    flagOp: 'AddFlag' | 'RemoveFlag' | undefined,
    existedBefore: Set<string> | null,
    opts: OpOptions,
  ): Promise<BulkItemResult[]> {
    const present = await this.refreshKnown(opts);
    return ids.map((id): BulkItemResult => {
      const has = present.has(id);
      if (kind === 'delete') {
        if (has) return { id, ok: false, code: null, reason: 'not deleted (still listed)' };
        // Absent now: deleted by this request only if it was there before it.
        if (existedBefore?.has(id) === true) return { id, ok: true, code: null, reason: 'deleted (confirmed by listing)' };
        return { id, ok: false, code: null, reason: 'no such object' };
      }
      if (!has) return { id, ok: false, code: null, reason: 'no such object' };
      return present.get(id) === (flagOp === 'AddFlag') ? { id, ok: true, code: null, reason: 'OK (confirmed by listing)' } : { id, ok: false, code: null, reason: 'not changed' };
    });
  }

  /** Marks voicemails read (adds `\Seen`) or unread, through bulkUpdate. */
  setRead(ids: string[], read: boolean, opts: OpOptions = {}): Promise<BulkOutcome> {
    return this.bulk('update', ids, opts, read ? 'AddFlag' : 'RemoveFlag');
  }

  /** Deletes objects (voicemails or greetings) through bulkDelete (DELETE with a body). */
  delete(ids: string[], opts: OpOptions = {}): Promise<BulkOutcome> {
    return this.bulk('delete', ids, opts);
  }

  // ---- greetings ----

  /** Sets (PUT) or clears (DELETE) `$CNS-Greeting-On` on one greeting. */
  async setGreetingFlag(id: string, on: boolean, opts: OpOptions = {}): Promise<void> {
    this.checkId(id);
    this.ok(await this.send(on ? 'PUT' : 'DELETE', flagUrl(await this.base(), id, FLAG_GREETING_ON), opts), on ? 'activate greeting' : 'deactivate greeting');
  }

  /** Makes `id` the one active greeting: sets its flag, then clears it on every other active greeting. */
  async makeActive(id: string, opts: OpOptions = {}): Promise<void> {
    await this.activateAmong(id, (await this.listGreetings(opts)).items, opts);
  }

  /** Throws http.forbidden with action deleteGreeting when the greeting folder is at its quota. */
  private async failIfGreetingsFull(opts: OpOptions): Promise<void> {
    const q = await this.getQuota('greeting', opts).catch(() => null);
    const used = q?.GreetingsOccupied ?? null;
    const max = q?.GreetingsQuota ?? null;
    if (used !== null && max !== null && used >= max) {
      throw new HttpError('http.forbidden', `${used} of ${max} greetings: the greeting folder is full`, { hint: 'Delete a greeting first.', action: 'deleteGreeting', detail: { occupied: used, quota: max } });
    }
  }

  /** makeActive against a listing already in hand. */
  private async activateAmong(id: string, greetings: ObjectEntry<Greeting>[], opts: OpOptions): Promise<void> {
    if (!greetings.some((g) => g.item.id === id)) throw new HttpError('http.notFound', 'No such greeting', { hint: 'Use an id from the greeting listing.', action: 'refreshList', detail: { id } });
    await this.setGreetingFlag(id, true, opts);
    for (const g of greetings) if (g.item.id !== id && g.item.active) await this.setGreetingFlag(g.item.id, false, opts);
  }

  /**
   * Uploads an AMR-NB greeting (the multipart layout of the client notes). The server returns no id: the
   * new greeting is found by listing again; with `activate` it is then made the one active greeting.
   */
  async uploadGreeting(amr: Uint8Array, opts: UploadOptions = {}): Promise<Greeting | null> {
    const scan = scanAmr(amr);
    if (!scan.ok) throw new AudioError('audio.invalid', `Not an AMR-NB file: ${scan.reason}`, { hint: 'Convert the recording to AMR-NB first.', detail: { offset: scan.offset } });
    const before = new Set((await this.listGreetings(opts)).items.map((g) => g.item.id));
    const ms = this.deps.clock.now();
    const boundary = () => Array.from(this.deps.random.bytes(12), (b) => b.toString(16).padStart(2, '0')).join('');
    const mp = greetingMultipart(
      { folder: 'greeting', durationS: Math.round(scan.durationMs / 1000), date: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'), messageId: String(ms), subject: opts.subject ?? 'custom greeting', type: opts.type ?? 'normal-greeting' },
      amr,
      `outer-${boundary()}`,
      `inner-${boundary()}`,
    );
    opts.onProgress?.({ phase: 'upload', transferredBytes: 0, totalBytes: mp.body.length });
    const posted = await this.send('POST', objectsUrl(await this.base()), opts, { bytes: mp.body, type: mp.contentType });
    // A full greeting folder is refused with a bare 403: say so, with the numbers, when the quota confirms it.
    if (posted.status === 403) await this.failIfGreetingsFull(opts);
    this.ok(posted, 'greeting upload');
    opts.onProgress?.({ phase: 'upload', transferredBytes: mp.body.length, totalBytes: mp.body.length });
    const after = await this.listGreetings(opts);
    const added = after.items.filter((g) => !before.has(g.item.id)).sort((a, b) => b.item.date.localeCompare(a.item.date))[0];
    if (!added) return null;
    if (opts.activate) {
      // The listing just made is current: no third listing.
      await this.activateAmong(added.item.id, after.items, opts);
      return { ...added.item, active: true };
    }
    return added.item;
  }
}
