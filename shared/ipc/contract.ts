// The one typed contract between the renderer and main. Every channel is named `domain:verb`, takes one
// object argument and answers a Result (shared/result.ts). main/ipc/handle.ts validates every request
// against `req` before an implementation sees it; the preload and the web-harness shim are generated
// from shared/ipc/channels.ts, and the renderer's `window.api` type is derived from this file.
// Secrets may travel renderer -> main (the SIM PIN the user types, a voicemail PIN change) but never
// main -> renderer: no response or event schema below has a field for one.
import { z } from 'zod';
import type { Result } from '../result.js';
import { AppErrorSchema } from '../errors.js';
import { SettingsSchema } from '../settings.js';
import { BulkItemResultSchema, FolderQuotaSchema, GreetingSchema, GreetingTypeSchema, ObjectIdSchema, ProfileSchema, VoicemailSchema } from '../domain/mstore.js';

/** Identifies one long operation; the renderer makes it with `crypto.randomUUID()`. */
export const OpId = z.uuid();

/** Binary payloads cross IPC as Uint8Array (structured clone), never Buffer or file paths. */
export const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array');

/** A list of object ids for bulk operations (the relay accepts at most 100 per request). */
export const ObjectIds = z.array(ObjectIdSchema).min(1).max(100);

/** SIM PIN: 4 to 8 digits (TS 31.101 9.5.1 / ISO 7816-4 VERIFY). */
export const SimPin = z.string().regex(/^\d{4,8}$/);

/** Voicemail (mailbox) PIN: digits only; the relay enforces its own length and history rules. */
export const MailboxPin = z.string().regex(/^\d{4,15}$/);

/** What the reader and card are doing, as the status bar shows it. */
export const CardState = z.enum([
  'serviceUnavailable', // pcscd / the smart-card service is not running
  'noReader',
  'absent', // reader present, no card
  'locked', // card present, PIN needed
  'ready', // card present and usable
  'blocked', // PIN blocked: PUK needed
]);

/** The card status pushed on `card:status` and answered by `card:status`. */
export const CardStatus = z.object({
  state: CardState,
  reader: z.string().nullable(),
  /** True when the engine runs the built-in simulated SIM and carrier. */
  demo: z.boolean(),
  /** True when a SIM PIN for this card is stored in the OS keychain. */
  pinStored: z.boolean(),
  /** PIN attempts left, when the card said so. */
  triesLeft: z.number().int().min(0).max(15).nullable(),
});

/** What the card says about its subscriber (no keys, no secrets). */
export const CardInfo = z.object({
  reader: z.string(),
  app: z.enum(['ISIM', 'USIM']),
  impi: z.string(),
  impu: z.array(z.string()),
  msisdn: z.string().nullable(),
  gba: z.enum(['GBA_U', 'GBA_ME']),
  /** The card's ICCID (EF_ICCID), as printed on the card. */
  iccid: z.string().max(32).optional(),
  /** PIN1: enabled, verified in this session, attempts left when the card says. Never the PIN itself. */
  pin: z.object({ enabled: z.boolean(), verified: z.boolean(), triesLeft: z.number().int().min(0).max(15).nullable() }).optional(),
});

/** A PC/SC reader and whether a card is in it (the reader picker). */
export const ReaderEntry = z.object({ name: z.string().max(256), cardPresent: z.boolean() });

/** Playable audio made by main: WAV bytes, waveform peaks for wavesurfer.js, duration in seconds. */
export const PlayableAudio = z.object({
  wav: Bytes,
  /** Normalised peaks in [-1, 1], one channel. */
  peaks: z.array(z.number().min(-1).max(1)),
  durationSec: z.number().min(0),
  /**
   * A same-origin path serving the same WAV with HTTP Range support (`/media/audio/<id>`), when the host
   * has such a route (Electron's app:// protocol, the web harness); else null and the renderer plays `wav`.
   */
  url: z.string().regex(/^\/media\/audio\/[^/?#]+$/).nullable(),
});

/** Quotas of both folders (storage in KiB, as the relay reports it). */
export const Quota = z.object({ voicemail: FolderQuotaSchema, greeting: FolderQuotaSchema });

/** Export formats: the original AMR, or decoded and re-encoded by main (ffmpeg). */
export const ExportFormat = z.enum(['wav', 'mp3', 'flac', 'opus', 'amr']);

/**
 * Result of an export: how many files were written; `cancelled` when the user closed the folder dialog;
 * the items that failed and why (the others were still written); the folder, for display only (the
 * renderer never sends a path back: `export:showFolder` opens the folder main remembered).
 */
export const ExportOutcome = z.object({
  written: z.number().int().min(0),
  cancelled: z.boolean(),
  failed: z.array(z.object({ id: ObjectIdSchema, reason: z.string().max(1000) })).max(100),
  folder: z.string().max(4096).nullable(),
});

/** Recording uploads are bounded: 100 s of the largest sensible container is far below this. */
const MAX_RECORDING_BYTES = 16 * 1024 * 1024;

/** A recording or imported file as MediaRecorder or the file picker gave it; main encodes it to AMR-NB. */
const RecordingBytes = Bytes.refine((a) => a.byteLength > 0 && a.byteLength <= MAX_RECORDING_BYTES, 'recording empty or too large');

/**
 * An encoded greeting handed back for upload (from `greeting:preview`): AMR-NB MR122 is 32 bytes per
 * 20 ms frame, so 100 s is 160 006 bytes; main checks the frames themselves.
 */
const EncodedGreetingBytes = Bytes.refine((a) => a.byteLength > 6 && a.byteLength <= 6 + 5000 * 32, 'encoded greeting empty or too large');

/** A greeting's subject as the user names it (shown in the greeting list); one line. */
const GreetingSubject = z
  .string()
  .max(120)
  .refine((s) => !Array.from(s).some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f'), 'one line of text');

/** How main turns a recording into a greeting; the same options for preview and upload. */
const GreetingEncoding = {
  /** Remove leading and trailing silence (default true). */
  trimSilence: z.boolean().optional(),
  /** Cut audio longer than 100 s to 100 s instead of failing with audio.tooLong (default true). */
  trimToLimit: z.boolean().optional(),
};

/** What the caller will hear: the encoded greeting decoded back, plus the AMR bytes to upload unchanged. */
export const GreetingPreview = PlayableAudio.extend({
  /** The AMR-NB file exactly as `greeting:upload` with `amr` will send it to the server. */
  amr: Bytes,
  /** Duration of the AMR (frames x 20 ms), in seconds. */
  encodedDurationSec: z.number().min(0),
  /** True when the input was cut to the 100 s limit. */
  truncated: z.boolean(),
});

/** One certificate of an extra CA as the window shows it before trusting it (settings:describeCa). */
export const CaSummarySchema = z
  .object({ subject: z.string().max(4096), issuer: z.string().max(4096), validFrom: z.string().max(64), validTo: z.string().max(64), fingerprint256: z.string().max(128), isCa: z.boolean() })
  .strict();

/** One diagnostics step's outcome (main/services/diagnostics): what was found, or the error that stopped the run. */
export const DiagnosticStep = z.object({
  id: z.string().max(32),
  title: z.string().max(80),
  status: z.enum(['ok', 'failed', 'skipped']),
  detail: z.string().max(2000),
  error: AppErrorSchema.optional(),
});

/** One HTTP request of the app as the request log keeps it: no headers, no bodies, no query. */
export const RequestLogEntry = z.object({
  at: z.string().max(40),
  method: z.string().max(16),
  url: z.string().max(600),
  status: z.number().int().nullable(),
  ms: z.number().min(0),
  error: z.string().max(64).optional(),
});

/** A diagnostics run: the steps in order and the recent requests. Progress: phase `<step id>:<running|ok|failed>`. */
export const DiagnosticsReport = z.object({ ok: z.boolean(), steps: z.array(DiagnosticStep).max(32), requests: z.array(RequestLogEntry).max(500) });


/** A voicemail of the local library (issue 9): what the server said plus local state. */
export const LibraryVoicemail = z.object({
  id: ObjectIdSchema,
  /** Caller as the server gave it (digits, '' when withheld). */
  from: z.string().max(64),
  date: z.string().max(64),
  expires: z.string().max(64).nullable(),
  duration: z.number().int().min(0),
  size: z.number().int().min(0),
  filename: z.string().max(255),
  /** Marked kept on the server ($MarkNotToDelete). */
  keep: z.boolean(),
  read: z.boolean(),
  /** A local read-state change waits for the next sync. */
  readPending: z.boolean(),
  /** The audio is stored in the library (playable and exportable offline). */
  stored: z.boolean(),
  /** Epoch ms when a sync noticed the server no longer has it (archived only), else null. */
  goneFromServerAt: z.number().nullable(),
  firstSeen: z.number(),
  notes: z.string().max(10_000),
  labels: z.array(z.string().max(100)).max(64),
});

/** Counts of the library shown. */
export const LibraryStats = z.object({
  voicemails: z.number().int().min(0),
  unread: z.number().int().min(0),
  stored: z.number().int().min(0),
  goneFromServer: z.number().int().min(0),
  pendingReadChanges: z.number().int().min(0),
  lastSyncAt: z.number().nullable(),
});

/** `library:list`: the library of the card's line, or offline the line synced last (never the ICCID). */
export const LibraryListing = z.object({
  /** The line's number; null when this data folder has no library yet. */
  msisdn: z.string().max(32).nullable(),
  /** True when it is the line of the card in the reader; false: offline, the last line used. */
  live: z.boolean(),
  voicemails: z.array(LibraryVoicemail).max(100_000),
  stats: LibraryStats.nullable(),
});

/** Background sync as the window shows it (pushed on `sync:status`). */
export const SyncStatus = z.object({
  /** 'stopped': no card; 'idle': waiting for the next check; 'syncing': checking now. */
  state: z.enum(['stopped', 'idle', 'syncing']),
  lastSyncAt: z.number().nullable(),
  lastError: AppErrorSchema.nullable(),
  nextAt: z.number().nullable(),
  progress: z.object({ phase: z.string().max(64), done: z.number().int().min(0).optional(), total: z.number().int().min(0).optional() }).nullable(),
});

/** What `sync:now` did. */
export const SyncSummary = z.object({
  newVoicemails: z.number().int().min(0),
  downloaded: z.number().int().min(0),
  goneFromServer: z.number().int().min(0),
  failed: z.number().int().min(0),
  complete: z.boolean(),
});

/** Per-item results of `library:archiveDelete` (deleted from the server only with a verified local copy). */
export const ArchiveDeleteOutcome = z.object({ results: z.array(BulkItemResultSchema).max(100_000), relisted: z.boolean() });

/** Every channel: request schema and the schema of the value inside the Result. */
export const contract = {
  'card:status': { req: z.object({}).strict(), res: CardStatus },
  'card:info': { req: z.object({ opId: OpId }).strict(), res: CardInfo },
  'card:readers': { req: z.object({ opId: OpId }).strict(), res: z.array(ReaderEntry).max(64) },
  'card:unlock': { req: z.object({ pin: SimPin, remember: z.boolean(), opId: OpId }).strict(), res: CardStatus },
  'voicemail:list': { req: z.object({ opId: OpId }).strict(), res: z.array(VoicemailSchema) },
  'voicemail:audio': { req: z.object({ id: ObjectIdSchema, opId: OpId }).strict(), res: PlayableAudio },
  'voicemail:markRead': { req: z.object({ ids: ObjectIds, read: z.boolean(), opId: OpId }).strict(), res: z.void() },
  'voicemail:delete': { req: z.object({ ids: ObjectIds, opId: OpId }).strict(), res: z.void() },
  // `sameFolder`: into the folder of this window's previous export, without asking again (a bulk export
  // of more than 100 voicemails is several requests, one folder).
  'voicemail:export': { req: z.object({ ids: ObjectIds, format: ExportFormat, sameFolder: z.boolean().optional(), opId: OpId }).strict(), res: ExportOutcome },
  /** Opens the folder of the last export in the system file manager; takes no path from the renderer. */
  'export:showFolder': { req: z.object({}).strict(), res: z.void() },
  'greeting:list': { req: z.object({ opId: OpId }).strict(), res: z.array(GreetingSchema) },
  'greeting:audio': { req: z.object({ id: ObjectIdSchema, opId: OpId }).strict(), res: PlayableAudio },
  'greeting:preview': {
    req: z.object({ audio: RecordingBytes, mimeType: z.string().min(1).max(100), ...GreetingEncoding, opId: OpId }).strict(),
    res: GreetingPreview,
  },
  'greeting:upload': {
    // Either the recording (main encodes it, as for a preview) or the AMR a preview returned, uploaded
    // byte for byte: what the user heard is what callers hear.
    req: z.union([
      z.object({ type: GreetingTypeSchema, audio: RecordingBytes, mimeType: z.string().min(1).max(100), ...GreetingEncoding, activate: z.boolean(), subject: GreetingSubject.optional(), opId: OpId }).strict(),
      z.object({ type: GreetingTypeSchema, amr: EncodedGreetingBytes, activate: z.boolean(), subject: GreetingSubject.optional(), opId: OpId }).strict(),
    ]),
    res: z.void(),
  },
  'greeting:activate': { req: z.object({ id: ObjectIdSchema, opId: OpId }).strict(), res: z.void() },
  'greeting:delete': { req: z.object({ id: ObjectIdSchema, opId: OpId }).strict(), res: z.void() },
  'profile:get': { req: z.object({ opId: OpId }).strict(), res: ProfileSchema },
  'profile:setActive': { req: z.object({ active: z.boolean(), opId: OpId }).strict(), res: z.void() },
  'profile:changePin': { req: z.object({ oldPin: MailboxPin, newPin: MailboxPin, opId: OpId }).strict(), res: z.void() },
  'quota:get': { req: z.object({ opId: OpId }).strict(), res: Quota },
  'settings:get': { req: z.object({}).strict(), res: SettingsSchema },
  'settings:set': { req: z.object({ settings: SettingsSchema.strict() }).strict(), res: SettingsSchema },
  // An extra CA described before the user trusts it (subject, issuer, validity, fingerprint); nothing is stored.
  'settings:describeCa': { req: z.object({ pem: z.string().max(64 * 1024) }).strict(), res: z.object({ certificates: z.array(CaSummarySchema).min(1).max(16) }).strict() },
  'pin:store': { req: z.object({ pin: SimPin }).strict(), res: z.void() },
  'pin:forget': { req: z.object({}).strict(), res: z.void() },
  'diagnostics:run': { req: z.object({ opId: OpId }).strict(), res: DiagnosticsReport },
  /** Shows the app's log file in the file manager; `shown` false where the host cannot (the web harness). */
  'log:reveal': { req: z.object({}).strict(), res: z.object({ shown: z.boolean() }) },
  /** `search`: words to find in callers, notes and labels; '' lists everything. */
  'library:list': { req: z.object({ search: z.string().max(200) }).strict(), res: LibraryListing },
  'library:setNote': { req: z.object({ id: ObjectIdSchema, notes: z.string().max(10_000) }).strict(), res: z.void() },
  /** Read state in the library at once (offline too); the next sync sends it to the server. */
  'library:markRead': { req: z.object({ ids: ObjectIds, read: z.boolean() }).strict(), res: z.void() },
  /** Deletes from the server only voicemails whose library copy is verified by checksum; 'all' = every one the server lists. */
  'library:archiveDelete': { req: z.object({ ids: z.union([ObjectIds, z.literal('all')]), opId: OpId }).strict(), res: ArchiveDeleteOutcome },
  'sync:now': { req: z.object({ opId: OpId }).strict(), res: SyncSummary },
  'sync:status': { req: z.object({}).strict(), res: SyncStatus },
  'op:cancel': { req: z.object({ opId: OpId }).strict(), res: z.void() },
} as const;

/** Progress of a long operation: ky's shape plus a phase (style.md section 4). */
export const OpProgress = z.object({
  opId: OpId,
  phase: z.string().max(64),
  transferredBytes: z.number().int().min(0).optional(),
  totalBytes: z.number().int().min(0).optional(),
  /** Items done and in total, for operations over several items (export, bulk delete). */
  done: z.number().int().min(0).optional(),
  total: z.number().int().min(0).optional(),
});

/** Push events from main, each with its own schema. */
export const events = {
  'op:progress': OpProgress,
  'card:status': CardStatus,
  /** The library changed (a sync, a note, another line): list it again. */
  'library:changed': z.object({}).strict(),
  'sync:status': SyncStatus,
  /** The user clicked a new-voicemail notification: show that voicemail. */
  'notify:open': z.object({ id: ObjectIdSchema }).strict(),
} as const;

/** A channel name. */
export type Channel = keyof typeof contract;
/** The request of a channel. */
export type Req<C extends Channel> = z.infer<(typeof contract)[C]['req']>;
/** The value a successful call of a channel carries. */
export type ResValue<C extends Channel> = z.infer<(typeof contract)[C]['res']>;
/** The answer of a channel: always a Result, never a thrown error. */
export type Res<C extends Channel> = Result<ResValue<C>>;
/** A push event name. */
export type EventName = keyof typeof events;
/** The payload of a push event. */
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/** Inferred view types, for components. */
export type CardStatusValue = z.infer<typeof CardStatus>;
/** See {@link CardInfo}. */
export type CardInfoValue = z.infer<typeof CardInfo>;
/** See {@link DiagnosticsReport}. */
export type DiagnosticsReportValue = z.infer<typeof DiagnosticsReport>;
/** See {@link DiagnosticStep}. */
export type DiagnosticStepValue = z.infer<typeof DiagnosticStep>;
/** See {@link ReaderEntry}. */
export type ReaderEntryValue = z.infer<typeof ReaderEntry>;
/** See {@link PlayableAudio}. */
export type PlayableAudioValue = z.infer<typeof PlayableAudio>;
/** The value of `greeting:preview`. */
export type GreetingPreviewValue = z.infer<typeof GreetingPreview>;
/** See {@link Quota}. */
export type QuotaValue = z.infer<typeof Quota>;
/** See {@link ExportOutcome}. */
export type ExportOutcomeValue = z.infer<typeof ExportOutcome>;
/** See {@link ExportFormat}. */
export type ExportFormatValue = z.infer<typeof ExportFormat>;
/** See {@link OpProgress}. */
export type OpProgressValue = z.infer<typeof OpProgress>;
/** See {@link LibraryVoicemail}. */
export type LibraryVoicemailValue = z.infer<typeof LibraryVoicemail>;
/** See {@link LibraryListing}. */
export type LibraryListingValue = z.infer<typeof LibraryListing>;
/** See {@link SyncStatus}. */
export type SyncStatusValue = z.infer<typeof SyncStatus>;
/** See {@link SyncSummary}. */
export type SyncSummaryValue = z.infer<typeof SyncSummary>;

/**
 * The API the renderer sees as `window.api`: one method per channel (no generic invoke), each taking
 * the channel's request and resolving to its Result; plus event subscriptions returning an unsubscribe.
 */
export type Api = { [C in Channel as ApiMethodName<C>]: (req: Req<C>) => Promise<Res<C>> } & {
  /** Progress of one operation; returns the unsubscribe function. */
  onProgress(opId: string, cb: (p: OpProgressValue) => void): () => void;
  /** Card presence and PIN state changes; returns the unsubscribe function. */
  onCardStatus(cb: (s: CardStatusValue) => void): () => void;
  /** The library changed; returns the unsubscribe function. */
  onLibraryChanged(cb: () => void): () => void;
  /** Background sync state changes; returns the unsubscribe function. */
  onSyncStatus(cb: (s: SyncStatusValue) => void): () => void;
  /** A notification was clicked: open this voicemail; returns the unsubscribe function. */
  onNotifyOpen(cb: (e: { id: string }) => void): () => void;
};

/** `voicemail:markRead` -> `voicemailMarkRead`. */
export type ApiMethodName<C extends string> = C extends `${infer D}:${infer V}` ? `${D}${Capitalize<V>}` : never;
