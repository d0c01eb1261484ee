// The mailbox use cases: what the window (main/ipc through the Mailbox) and the CLI (main/cli) both do
// with an open session. One code path per intent, so a voicemail exports, plays and uploads the same
// way from either front end.
import type { Greeting, GreetingType, Voicemail } from '../../../shared/domain/mstore.js';
import { HttpError, throwIfAborted, toAppError } from '../../errors.js';
import type { RejectedObject } from '../../protocol/mstore/responses.js';
import type { AudioEngine } from '../audio/engine.js';
import { exportItemOf, type ExportOptions, type ExportResult } from '../audio/export.js';
import { checkEncodedGreeting } from '../audio/greeting.js';
import type { BulkOutcome } from '../mstore/client.js';
import type { OpOptions } from '../ports.js';
import type { MailboxSession } from './ports.js';
import type { EngineAudio } from './types.js';

/** A folder listing: the items that parsed and the objects skipped with the reason. */
export interface ItemListing<T> {
  items: T[];
  rejected: RejectedObject[];
}

/** Lists the voicemail folder (every page). The client remembers each payload path and size. */
export async function listVoicemails(s: MailboxSession, opts: OpOptions): Promise<ItemListing<Voicemail>> {
  const l = await s.client.listVoicemails(opts);
  return { items: l.items.map((e) => e.item), rejected: l.rejected };
}

/** Lists the greetings folder (every page). */
export async function listGreetings(s: MailboxSession, opts: OpOptions): Promise<ItemListing<Greeting>> {
  const l = await s.client.listGreetings(opts);
  return { items: l.items.map((e) => e.item), rejected: l.rejected };
}

/** A voicemail's or greeting's audio (the client knows the payload path and size from its listings). */
export async function payload(s: MailboxSession, kind: 'voicemail' | 'greeting', id: string, opts: OpOptions): Promise<Uint8Array> {
  return (await s.client.downloadById(kind, id, opts)).bytes;
}

/** Playable audio (WAV + waveform peaks) through the playback service's cache. */
export async function play(s: MailboxSession, audio: AudioEngine, kind: 'voicemail' | 'greeting', id: string, opts: OpOptions): Promise<EngineAudio> {
  // Greetings and voicemails share the playback cache; their object ids never collide.
  const a = await audio.playback.prepare(id, (signal) => payload(s, kind, id, { ...opts, ...(signal && { signal }) }), opts);
  return { wav: a.wav, peaks: { min: a.peaks.min, max: a.peaks.max }, durationSec: a.durationMs / 1000 };
}

/** Marks voicemails read or unread (one bulk request); per-item results. */
export function mark(s: MailboxSession, ids: string[], read: boolean, opts: OpOptions): Promise<BulkOutcome> {
  return s.client.setRead(ids, read, opts);
}

/** Deletes voicemails or greetings (one bulk request); per-item results. */
export function remove(s: MailboxSession, ids: string[], opts: OpOptions): Promise<BulkOutcome> {
  return s.client.delete(ids, opts);
}

/** Throws HttpError mstore.partial naming the items that failed, if any did. */
export function checkBulk(outcome: BulkOutcome, what: string): void {
  const failed = outcome.results.filter((r) => !r.ok);
  if (failed.length > 0) {
    throw new HttpError('mstore.partial', `${what} failed for ${failed.length} of ${outcome.results.length}`, { hint: 'Refresh the list and try again.', detail: { failed: failed.map((f) => f.id), reasons: failed.map((f) => f.reason) } });
  }
}

/**
 * Exports voicemails by id: one listing for their metadata and payload paths (no per-object GET), then
 * the exporter (download, decode, encode, tag, write atomically). An id the listing does not have fails
 * as http.notFound; one failure never stops the rest.
 */
export async function exportVoicemails(s: MailboxSession, audio: AudioEngine, ids: string[], opts: ExportOptions): Promise<ExportResult> {
  const listed = new Map((await listVoicemails(s, opts)).items.map((v) => [v.id, v]));
  const known = ids.filter((id) => listed.has(id));
  const items = known.map((id) => exportItemOf(listed.get(id) as Voicemail));
  const r = await audio.exporter.export(items, (id, signal) => payload(s, 'voicemail', id, signal ? { signal } : {}), opts);
  const missing = ids.filter((id) => !listed.has(id)).map((id) => ({ id, error: toAppError(new HttpError('http.notFound', 'No longer on the server', { hint: 'List the voicemails again.' })) }));
  return { ...r, failed: [...r.failed, ...missing] };
}

/** What {@link uploadGreeting} sends: AMR-NB already encoded (a preview, or the CLI's prepared file). */
export interface GreetingUpload {
  amr: Uint8Array;
  type: GreetingType;
  activate: boolean;
  subject: string;
}

/** Uploads an encoded greeting (checked as prepare() checks its output) and, when asked, makes it the one active greeting. */
export async function uploadGreeting(s: MailboxSession, g: GreetingUpload, opts: OpOptions): Promise<Greeting | null> {
  const amr = checkEncodedGreeting(g.amr).amr;
  throwIfAborted(opts.signal);
  return s.client.uploadGreeting(amr, { ...opts, type: g.type, activate: g.activate, subject: g.subject });
}
