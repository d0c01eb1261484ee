// The local voicemail library (issue 9): the user's permanent copy of every voicemail and greeting the
// server ever listed, one library per line (ICCID + MSISDN, so two SIMs never mix). Services and front ends
// see it through these ports; main/adapters/library implements them over SQLite (WAL, FTS5) and a
// content-addressed payload folder (SHA-256, atomic writes).
//
// Invariants every implementation keeps, whatever moment the process dies at:
// - a row references a payload only after that payload's file is complete and durable (no row without its
//   file, no partial file under a payload name);
// - one row per server object (the object path is the key) and one file per distinct payload (no duplicate);
// - nothing the server once said is dropped: an object the server no longer lists is marked, never removed.
import type { Greeting, Voicemail } from '../../../shared/domain/mstore.js';

/** Which line a library belongs to. Both parts are required: a SIM moved to another number gets a new library. */
export interface LibraryKey {
  /** EF_ICCID digits (19-20 digits, the card's serial). */
  iccid: string;
  /** E.164 number of the line (`+1...`). */
  msisdn: string;
}

/** A voicemail as the library holds it: everything the server said plus local state. */
export interface LibraryVoicemail {
  /** Server object path (the id every server call takes). */
  id: string;
  /** Caller as the server gave it (digits, '' when withheld). */
  from: string;
  /** ISO instant the voicemail was left. */
  date: string;
  /** Server expiry (ISO instant) or null. */
  expires: string | null;
  /** Seconds, as the server listed. */
  duration: number;
  /** Payload size in bytes as the server listed it. */
  size: number;
  /** Server file name (sanitised). */
  filename: string;
  contentType: string;
  /** `$MarkNotToDelete` as last listed. */
  keep: boolean;
  /** Read state as the user sees it: a local change not yet sent wins over the server's. */
  read: boolean;
  /** `\Seen` as the server last listed it. */
  serverRead: boolean;
  /** A local read-state change waiting for the next sync (null: nothing pending). */
  readPending: boolean | null;
  /** Payload path on the server (from the listing's payloadPart href). */
  payloadPath: string;
  /** SHA-256 (hex) of the stored original AMR, or null while it is not downloaded yet. */
  sha256: string | null;
  /** Epoch ms: first listed by the server. */
  firstSeen: number;
  /** Epoch ms: last listed by the server. */
  lastSeenOnServer: number;
  /** Epoch ms when a sync noticed the server no longer lists it (deleted or expired), else null. */
  goneFromServerAt: number | null;
  /** Local free text (never sent to the server). */
  notes: string;
  /** Local labels, sorted, unique. */
  labels: string[];
}

/** A greeting as the library holds it. */
export interface LibraryGreeting {
  id: string;
  date: string;
  duration: number;
  active: boolean;
  type: string;
  subject: string;
  size: number;
  filename: string;
  payloadPath: string;
  sha256: string | null;
  firstSeen: number;
  lastSeenOnServer: number;
  goneFromServerAt: number | null;
}

/** One object of a complete server listing, with the payload path the listing gave. */
export interface ListedObject<T> {
  item: T;
  payloadPath: string;
}

/** What recording a complete listing changed. */
export interface ListingChanges {
  /** Ids listed for the first time. */
  added: string[];
  /** Ids whose server read state changed since the last listing (a change made elsewhere), or whose flags/expiry changed. */
  updated: string[];
  /** Ids a previous listing had and this one has not: now marked gone (kept locally). */
  gone: string[];
  /** Ids marked gone before that the server lists again. */
  returned: string[];
}

/** A payload the library still needs. */
export interface MissingPayload {
  kind: 'voicemail' | 'greeting';
  id: string;
  payloadPath: string;
  /** Listed size: the download must match it. */
  size: number;
}

/** Filters of {@link LibraryPort.listVoicemails}. All optional; newest first. */
export interface VoicemailQuery {
  /** Full-text search over caller, notes and labels (FTS5; plain words, prefix match). */
  search?: string;
  /** Only these ids. */
  ids?: string[];
  /** ISO instant or date: voicemails left at or after it. */
  since?: string;
  /** ISO instant or date: voicemails left before it. */
  until?: string;
  /** Caller digits (exact, '+' ignored). */
  caller?: string;
  /** true: only those the server no longer has; false: only those it still lists. */
  goneFromServer?: boolean;
  unread?: boolean;
  limit?: number;
}

/** Counts for badges and status lines. */
export interface LibraryStats {
  voicemails: number;
  unread: number;
  /** Voicemails whose payload is stored. */
  stored: number;
  goneFromServer: number;
  greetings: number;
  /** Read-state changes waiting for a sync. */
  pendingReadChanges: number;
  /** Epoch ms of the last completed sync, or null. */
  lastSyncAt: number | null;
}

/** Outcome of startup recovery (also run by {@link LibraryPort.verify}). */
export interface RecoveryReport {
  /** Temporary files of interrupted writes, removed. */
  removedTemp: number;
  /** Payload files no row references (a crash between the file and its row), removed once older than a grace period. */
  removedOrphans: number;
  /** Rows whose payload file was missing or damaged: their payload reference is dropped (downloaded again while the server has it). */
  droppedPayloads: string[];
}

/**
 * One line's library. Methods are synchronous where the store is (SQLite through better-sqlite3) so a
 * caller can never interleave half an update; payload writes are atomic and happen before the row that
 * references them. Errors are FsError('fs.failed') with detail.errno (ENOSPC, EACCES, EROFS, ...) for
 * disk problems; nothing already stored is lost by a failed write.
 */
export interface LibraryPort {
  readonly key: LibraryKey;
  /** Folder holding this library (for diagnostics; never shown to the renderer). */
  readonly dir: string;

  // ---- sync bookkeeping ----
  /**
   * Records a COMPLETE listing of a folder in one transaction: new objects added (first seen now), known
   * ones refreshed (last seen now, server fields, server read state unless a local change is pending),
   * objects no longer listed marked gone. `alsoPresent`: ids the server listed but that could not be
   * parsed (never marked gone because of a parse problem).
   */
  recordVoicemailListing(items: ListedObject<Voicemail>[], alsoPresent: string[], at: number): ListingChanges;
  recordGreetingListing(items: ListedObject<Greeting>[], alsoPresent: string[], at: number): ListingChanges;
  /** Objects still listed by the server whose payload is not stored yet. */
  missingPayloads(): MissingPayload[];
  /**
   * Stores a payload and attaches it to its row: hash, write once (temp + fsync + rename, off the event
   * loop), then the row, in that order. Resolves with the SHA-256 (hex). The caller has checked the size
   * against the listing.
   */
  storePayload(kind: 'voicemail' | 'greeting', id: string, bytes: Uint8Array): Promise<string>;
  /** Local read-state changes waiting to be sent (only for objects the server still lists). */
  pendingReadChanges(): { id: string; read: boolean }[];
  /** The server confirmed these read states: pending cleared, server state updated. */
  confirmServerRead(changes: { id: string; read: boolean }[]): void;
  /** This client deleted these objects on the server: marked gone now (kept locally), without waiting for a listing. */
  recordServerDeleted(ids: string[], at: number): void;
  /** Records a completed sync (for lastSyncAt). */
  recordSync(at: number): void;

  // ---- reading ----
  listVoicemails(q?: VoicemailQuery): LibraryVoicemail[];
  getVoicemail(id: string): LibraryVoicemail | null;
  listGreetings(opts?: { includeGone?: boolean }): LibraryGreeting[];
  /** The stored original AMR of a payload, checked against its SHA-256; null when not stored. */
  readPayload(sha256: string): Uint8Array | null;
  /** True when the payload file exists, has the recorded size and (with `full`) hashes to its name. */
  hasPayload(sha256: string, full?: boolean): boolean;
  /** Absolute path of a stored payload (for `--on-new` and playback from disk), or null. */
  payloadFile(sha256: string): string | null;
  stats(): LibraryStats;

  // ---- local changes ----
  /** Marks read/unread locally; queued for the next sync (a no-op change clears the queue entry). */
  markRead(ids: string[], read: boolean): void;
  setNotes(id: string, notes: string): void;
  setLabels(id: string, labels: string[]): void;

  // ---- maintenance ----
  /** Re-checks every payload file (size, and hash with `full`) and sweeps leftovers; see RecoveryReport. */
  verify(full?: boolean): RecoveryReport;
  close(): void;
}

/** Opens (creating and migrating as needed) libraries under one data folder. */
export interface LibraryStorePort {
  /** Opens the library of one line; startup recovery runs before it is returned. */
  open(key: LibraryKey): LibraryPort;
  /** Lines that have a library in this data folder. */
  lines(): LibraryKey[];
}
