// What the library makes possible beyond sync: freeing the server inbox without losing anything
// ("archive, then delete"), and bulk export straight from the library (no card or network needed).
import type { BulkItemResult } from '../../../shared/domain/mstore.js';
import { FsError, throwIfAborted } from '../../errors.js';
import { exportItemOf, type ExportOptions, type ExportResult, type ExportService } from '../audio/export.js';
import type { BulkOutcome } from '../mstore/client.js';
import type { Clock, OpOptions } from '../ports.js';
import type { LibraryPort, LibraryVoicemail, VoicemailQuery } from './ports.js';

/** What archive-then-delete needs from the mstore client. */
export interface ArchiveMstorePort {
  delete(ids: string[], opts?: OpOptions): Promise<BulkOutcome>;
}

/** Outcome of {@link archiveThenDelete}: one result per voicemail asked about. */
export interface ArchiveDeleteReport {
  results: BulkItemResult[];
  /** The server gave no per-item results; they were confirmed by listing again. */
  relisted: boolean;
}

/**
 * Deletes voicemails from the server, but only those whose local copy is verified: stored, and its file
 * hashes to the recorded SHA-256 right now. Everything else is reported and left on the server.
 * `ids` 'all' means every voicemail the server still lists. Deleted ones are marked gone at once.
 */
export async function archiveThenDelete(
  deps: { mstore: ArchiveMstorePort; library: LibraryPort; clock: Clock },
  ids: string[] | 'all',
  opts: OpOptions = {},
): Promise<ArchiveDeleteReport> {
  const { library } = deps;
  const rows: (LibraryVoicemail | { id: string; missing: true })[] =
    ids === 'all' ? library.listVoicemails({ goneFromServer: false }) : [...new Set(ids)].map((id) => library.getVoicemail(id) ?? { id, missing: true as const });
  const results: BulkItemResult[] = [];
  const verified: string[] = [];
  for (const r of rows) {
    throwIfAborted(opts.signal);
    if ('missing' in r) results.push({ id: r.id, ok: false, code: null, reason: 'not in the library (sync first)' });
    else if (r.goneFromServerAt !== null) results.push({ id: r.id, ok: false, code: null, reason: 'no longer on the server' });
    else if (r.sha256 === null || !library.hasPayload(r.sha256, true)) results.push({ id: r.id, ok: false, code: null, reason: 'no verified local copy (sync first); left on the server' });
    else verified.push(r.id);
  }
  let relisted = false;
  if (verified.length > 0) {
    opts.onProgress?.({ phase: 'delete', done: 0, total: verified.length });
    const out = await deps.mstore.delete(verified, opts);
    relisted = out.relisted;
    library.recordServerDeleted(out.results.filter((r) => r.ok).map((r) => r.id), deps.clock.now());
    results.push(...out.results);
    opts.onProgress?.({ phase: 'delete', done: verified.length, total: verified.length });
  }
  return { results, relisted };
}

/** Which voicemails of the library to export. */
export type LibrarySelection = Pick<VoicemailQuery, 'ids' | 'since' | 'until' | 'caller' | 'search' | 'goneFromServer'>;

/**
 * Exports voicemails from the library with the existing exporter (same formats, names, tags and atomic
 * writes as `voicemail export`); the manifest adds read state, SHA-256, notes and the server's file name.
 * Voicemails whose audio is not in the library fail by id; the others are exported.
 */
export async function exportFromLibrary(deps: { library: LibraryPort; exporter: ExportService }, sel: LibrarySelection, opts: ExportOptions): Promise<ExportResult> {
  const rows = deps.library.listVoicemails(sel);
  const notStored = rows.filter((r) => r.sha256 === null);
  const stored = rows.filter((r) => r.sha256 !== null);
  const byId = new Map(stored.map((r) => [r.id, r]));
  const items = stored.map((r) => ({ ...exportItemOf(r), library: { read: r.read, sha256: r.sha256 ?? '', notes: r.notes, serverFilename: r.filename } }));
  const fetchPayload = (id: string): Promise<Uint8Array> => {
    const sha = byId.get(id)?.sha256 ?? null;
    const bytes = sha === null ? null : deps.library.readPayload(sha);
    if (bytes === null) {
      return Promise.reject(new FsError('fs.failed', 'The library copy of this voicemail is missing or damaged.', { hint: 'Sync again while the server still has it.', detail: { id: id.slice(0, 200) } }));
    }
    return Promise.resolve(bytes);
  };
  const result = items.length > 0 ? await deps.exporter.export(items, fetchPayload, opts) : { files: [], failed: [] };
  for (const r of notStored) {
    result.failed.push({ id: r.id, error: { code: 'fs.failed', message: 'Not in the library yet (its audio was never downloaded).', hint: 'Sync first.', retryable: true } });
  }
  return result;
}
