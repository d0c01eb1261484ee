// Incremental sync of one line's mailbox into its local library (issue 9):
//   1. list every page of the voicemail and greeting folders (both at once: their bootstraps pipeline on the card);
//   2. record each COMPLETE listing in one transaction: new objects, refreshed server fields and read state
//      (a change made on the phone shows up here), objects no longer listed marked gone (kept locally);
//   3. send the read-state changes made locally (queued while offline), and at the same time
//   4. download only the payloads not stored yet, several at once, each checked against the listed size
//      and stored under its SHA-256 before its row points at it.
// No per-object metadata GET: the payload paths and sizes are in the listing. One failed item never stops
// the others; what was stored stays stored, so a cancelled or killed sync resumes where it stopped.
import type { Greeting, Voicemail } from '../../../shared/domain/mstore.js';
import type { AppError } from '../../../shared/errors.js';
import { CancelledError, throwIfAborted, toAppError } from '../../errors.js';
import { FifoLock } from '../card/fifo-lock.js';
import type { BulkOutcome, DownloadOptions, Listing, Payload } from '../mstore/client.js';
import type { Clock, Logger, OpOptions, Progress } from '../ports.js';
import type { LibraryPort, LibraryVoicemail, MissingPayload } from './ports.js';

/** The part of the mstore client sync uses (MstoreClient fits as is). */
export interface SyncMstorePort {
  listVoicemails(opts?: OpOptions): Promise<Listing<Voicemail>>;
  listGreetings(opts?: OpOptions): Promise<Listing<Greeting>>;
  download(payloadPath: string, opts?: DownloadOptions): Promise<Payload>;
  setRead(ids: string[], read: boolean, opts?: OpOptions): Promise<BulkOutcome>;
}

/** What sync needs. */
export interface SyncDeps {
  mstore: SyncMstorePort;
  library: LibraryPort;
  clock: Clock;
  logger?: Logger;
}

/** Options of one sync. */
export interface SyncOptions {
  signal?: AbortSignal;
  /** Phases 'list', 'push', 'download' (done/total, transferredBytes). */
  onProgress?: (p: Progress) => void;
  /** Folders to sync (default both). */
  folders?: readonly ('voicemail' | 'greeting')[];
  /** Downloads in flight at once (default 6: enough to keep one card busy while the round trips of the others overlap). */
  concurrency?: number;
}

/** One item (or step) that failed; the rest of the sync went on. */
export interface SyncFailure {
  kind: 'voicemail' | 'greeting';
  /** Object id, or null when a whole step failed (a greeting listing). */
  id: string | null;
  stage: 'list' | 'download' | 'store' | 'push';
  error: AppError;
}

/** What one sync did. */
export interface SyncReport {
  /** Voicemails listed for the first time (their payload stored unless a failure names them). */
  newItems: LibraryVoicemail[];
  newGreetings: string[];
  /** Payloads downloaded and stored. */
  downloaded: number;
  /** Bytes of those payloads. */
  bytes: number;
  /** Voicemails whose server read state, keep flag or expiry changed elsewhere since the last sync. */
  updatedFlags: string[];
  /** Local read-state changes the server accepted. */
  pushedFlags: string[];
  /** Objects the server no longer lists (deleted or expired): marked, kept locally. */
  goneFromServer: string[];
  /** Objects marked gone before that the server lists again. */
  returned: string[];
  failures: SyncFailure[];
  /** True when every step and item succeeded. */
  complete: boolean;
  startedAt: number;
  finishedAt: number;
}

/** One sync at a time per library folder in this process (the window's scheduler and a CLI call alike). */
const locks = new Map<string, FifoLock>();

function lockFor(dir: string): FifoLock {
  let l = locks.get(dir);
  if (l === undefined) {
    l = new FifoLock();
    locks.set(dir, l);
  }
  return l;
}

function isCancel(e: unknown): boolean {
  return toAppError(e).code === 'op.cancelled';
}

/** Syncs the mailbox into the library; see the file comment. Throws only on cancel or when the voicemail listing fails. */
export async function syncMailbox(deps: SyncDeps, opts: SyncOptions = {}): Promise<SyncReport> {
  return lockFor(deps.library.dir).run(() => syncLocked(deps, opts), opts.signal);
}

async function syncLocked(deps: SyncDeps, opts: SyncOptions): Promise<SyncReport> {
  const { mstore, library, clock, logger } = deps;
  const { signal } = opts;
  const folders = new Set(opts.folders ?? ['voicemail', 'greeting']);
  const startedAt = clock.now();
  const failures: SyncFailure[] = [];
  const progress = (p: Progress) => opts.onProgress?.(p);
  throwIfAborted(signal);

  // 1. Both listings at once.
  progress({ phase: 'list' });
  const lo: OpOptions = signal ? { signal } : {};
  const [vl, gl] = await Promise.allSettled([
    folders.has('voicemail') ? mstore.listVoicemails(lo) : Promise.resolve(null),
    folders.has('greeting') ? mstore.listGreetings(lo) : Promise.resolve(null),
  ]);
  throwIfAborted(signal);
  // Without a complete voicemail listing nothing can be decided: nothing is changed.
  if (vl.status === 'rejected') throw vl.reason;

  // 2. Record the listings.
  const at = clock.now();
  const report: SyncReport = { newItems: [], newGreetings: [], downloaded: 0, bytes: 0, updatedFlags: [], pushedFlags: [], goneFromServer: [], returned: [], failures, complete: false, startedAt, finishedAt: startedAt };
  const newVoicemails: string[] = [];
  if (vl.value !== null) {
    const rejected = vl.value.rejected.flatMap((r) => (r.id === null ? [] : [r.id]));
    const ch = library.recordVoicemailListing(vl.value.items, rejected, at);
    newVoicemails.push(...ch.added);
    report.updatedFlags.push(...ch.updated);
    report.goneFromServer.push(...ch.gone);
    report.returned.push(...ch.returned);
  }
  if (gl.status === 'rejected') {
    if (isCancel(gl.reason)) throw new CancelledError();
    failures.push({ kind: 'greeting', id: null, stage: 'list', error: toAppError(gl.reason) });
  } else if (gl.value !== null) {
    const rejected = gl.value.rejected.flatMap((r) => (r.id === null ? [] : [r.id]));
    const ch = library.recordGreetingListing(gl.value.items, rejected, at);
    report.newGreetings.push(...ch.added);
    report.goneFromServer.push(...ch.gone);
    report.returned.push(...ch.returned);
  }

  // 3 and 4 at once: the pushes are a couple of requests that pipeline with the downloads.
  const pushing = folders.has('voicemail') ? pushReadChanges(deps, report, signal, progress) : Promise.resolve();
  const missing = library.missingPayloads().filter((m) => folders.has(m.kind));
  const downloading = downloadAll(deps, missing, report, opts, progress);
  const settled = await Promise.allSettled([pushing, downloading]);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;

  report.newItems = newVoicemails.flatMap((id) => {
    const v = library.getVoicemail(id);
    return v === null ? [] : [v];
  });
  report.finishedAt = clock.now();
  try {
    library.recordSync(report.finishedAt);
  } catch (e) {
    // The disk filled up (or turned read-only) at the very end: everything above stands, say so.
    failures.push({ kind: 'voicemail', id: null, stage: 'store', error: toAppError(e) });
  }
  report.complete = failures.length === 0;
  logger?.info('library sync', {
    new: newVoicemails.length, downloaded: report.downloaded, updated: report.updatedFlags.length, pushed: report.pushedFlags.length,
    gone: report.goneFromServer.length, failures: failures.length, ms: report.finishedAt - startedAt,
  });
  return report;
}

async function pushReadChanges(deps: SyncDeps, report: SyncReport, signal: AbortSignal | undefined, progress: (p: Progress) => void): Promise<void> {
  const pending = deps.library.pendingReadChanges();
  if (pending.length === 0) return;
  progress({ phase: 'push', done: 0, total: pending.length });
  let done = 0;
  for (const read of [true, false]) {
    const ids = pending.filter((p) => p.read === read).map((p) => p.id);
    if (ids.length === 0) continue;
    try {
      const r = await deps.mstore.setRead(ids, read, signal ? { signal } : {});
      const ok = r.results.filter((x) => x.ok).map((x) => x.id);
      deps.library.confirmServerRead(ok.map((id) => ({ id, read })));
      report.pushedFlags.push(...ok);
      for (const f of r.results.filter((x) => !x.ok)) {
        report.failures.push({ kind: 'voicemail', id: f.id, stage: 'push', error: { code: 'mstore.partial', message: `The server did not change the read state (${f.reason})`, retryable: true } });
      }
    } catch (e) {
      if (isCancel(e)) throw new CancelledError();
      // Stays queued: the next sync tries again.
      const error = toAppError(e);
      for (const id of ids) report.failures.push({ kind: 'voicemail', id, stage: 'push', error });
    }
    done += ids.length;
    progress({ phase: 'push', done, total: pending.length });
  }
}

async function downloadAll(deps: SyncDeps, missing: MissingPayload[], report: SyncReport, opts: SyncOptions, progress: (p: Progress) => void): Promise<void> {
  const { signal } = opts;
  const total = missing.length;
  if (total === 0) return;
  let next = 0;
  let done = 0;
  let diskError: AppError | null = null;
  progress({ phase: 'download', done: 0, total, transferredBytes: 0 });
  const worker = async (): Promise<void> => {
    while (next < total && diskError === null) {
      throwIfAborted(signal);
      const m = missing[next++];
      if (m === undefined) break;
      let stage: 'download' | 'store' = 'download';
      try {
        const p = await deps.mstore.download(m.payloadPath, { expectedSize: m.size, ...(signal && { signal }) });
        throwIfAborted(signal);
        stage = 'store';
        await deps.library.storePayload(m.kind, m.id, p.bytes);
        report.downloaded++;
        report.bytes += p.bytes.length;
      } catch (e) {
        if (isCancel(e) || signal?.aborted) throw new CancelledError();
        const error = toAppError(e);
        report.failures.push({ kind: m.kind, id: m.id, stage, error });
        // The library's disk is the problem (full, read-only): every further item would fail the same way
        // after a download for nothing. Stop; what is stored stays, nothing partial is left.
        if (stage === 'store' && error.code === 'fs.failed') diskError = error;
      }
      done++;
      progress({ phase: 'download', done, total, transferredBytes: report.bytes });
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 6, total));
  const results = await Promise.allSettled(Array.from({ length: n }, worker));
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  if (diskError !== null) {
    const failedIds = new Set(report.failures.map((f) => f.id));
    for (const m of missing.slice(next)) if (!failedIds.has(m.id)) report.failures.push({ kind: m.kind, id: m.id, stage: 'store', error: diskError });
  }
}
