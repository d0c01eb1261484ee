// Domain types of the mstore voicemail store as the UI and the CLI see them. Plain data validated with
// zod wherever it crosses a process boundary; the wire format lives in main/protocol/mstore.
import { z } from 'zod';

/** An object path on the relay (what follows `/objects/` in its URLs): the stable id of a voicemail or greeting. */
export const ObjectIdSchema = z.string().min(1).max(512);
/** See {@link ObjectIdSchema}. */
export type ObjectId = z.infer<typeof ObjectIdSchema>;

/** Which mstore folder an object lives in. */
export const FolderKindSchema = z.enum(['voicemail', 'greeting']);
/** See {@link FolderKindSchema}. */
export type FolderKind = z.infer<typeof FolderKindSchema>;

/** A voicemail as listed (metadata only; the audio is downloaded on demand). */
export const VoicemailSchema = z.object({
  /** Object path, used as the id in every later call. */
  id: ObjectIdSchema,
  /** Caller number without the `@domain` suffix the server appends (e.g. `12065550123`). */
  from: z.string(),
  /** Creation time, ISO 8601 instant. */
  date: z.string(),
  /** Expiry time, ISO 8601 instant, or null when the server gave none (kept forever). */
  expires: z.string().nullable(),
  /** Audio duration in whole seconds. */
  duration: z.number().int().nonnegative(),
  /** `\Seen` flag present. */
  read: z.boolean(),
  /** Audio size in bytes (decoded), as the server states it. */
  size: z.number().int().nonnegative(),
  /** Server-provided file name, sanitised for every OS. */
  filename: z.string(),
  /** `$MarkNotToDelete` present: the voicemail never expires. */
  keep: z.boolean(),
  /** Audio MIME type (`audio/amr`). */
  contentType: z.string(),
});
/** See {@link VoicemailSchema}. */
export type Voicemail = z.infer<typeof VoicemailSchema>;

/** Greeting types of GSMA TS.46 2.6.3 as the server names them. */
export const GreetingTypeSchema = z.enum(['normal-greeting', 'voice-signature']);
/** See {@link GreetingTypeSchema}. */
export type GreetingType = z.infer<typeof GreetingTypeSchema>;

/** A custom greeting. */
export const GreetingSchema = z.object({
  id: ObjectIdSchema,
  /** Upload time, ISO 8601 instant. */
  date: z.string(),
  /** Duration in whole seconds. */
  duration: z.number().int().nonnegative(),
  /** `$CNS-Greeting-On` present. */
  active: z.boolean(),
  type: z.string(),
  /** Free text set at upload. */
  subject: z.string(),
  size: z.number().int().nonnegative(),
  filename: z.string(),
});
/** See {@link GreetingSchema}. */
export type Greeting = z.infer<typeof GreetingSchema>;

/** The twelve quota attributes of a folder (storage in KiB). Attributes a folder does not report are null. */
export const FolderQuotaSchema = z.object({
  OccupiedStorage: z.number().int().nullable(),
  TotalStorage: z.number().int().nullable(),
  FaxOccupiedMessages: z.number().int().nullable(),
  FaxMessagesQuota: z.number().int().nullable(),
  VMOccupiedMessages: z.number().int().nullable(),
  VMMessagesQuota: z.number().int().nullable(),
  GreetingsOccupied: z.number().int().nullable(),
  GreetingsQuota: z.number().int().nullable(),
  NormalGreetingOccupied: z.number().int().nullable(),
  NormalGreetingQuota: z.number().int().nullable(),
  VoiceSignatureOccupied: z.number().int().nullable(),
  VoiceSignatureQuota: z.number().int().nullable(),
});
/** See {@link FolderQuotaSchema}. */
export type FolderQuota = z.infer<typeof FolderQuotaSchema>;

/** Names of the twelve quota attributes, in the order the server lists them. */
export const QUOTA_ATTRIBUTES = [
  'OccupiedStorage',
  'TotalStorage',
  'FaxOccupiedMessages',
  'FaxMessagesQuota',
  'VMOccupiedMessages',
  'VMMessagesQuota',
  'GreetingsOccupied',
  'GreetingsQuota',
  'NormalGreetingOccupied',
  'NormalGreetingQuota',
  'VoiceSignatureOccupied',
  'VoiceSignatureQuota',
] as const;

/** The VVM service profile: known attributes typed, every attribute (unknown ones too) kept raw. */
export const ProfileSchema = z.object({
  /** `vvmon`: visual voicemail enabled. */
  vvmOn: z.boolean().nullable(),
  /** `isblocked`. */
  blocked: z.boolean().nullable(),
  /** `nut`: show the new-user tutorial. */
  newUserTutorial: z.boolean().nullable(),
  language: z.string().nullable(),
  cosName: z.string().nullable(),
  /** `MigrationDate` as an ISO instant (the server sends `yyyy:MM:dd:HH:mm` UTC), or null. */
  migrationDate: z.string().nullable(),
  migrationStatus: z.boolean().nullable(),
  /** Every attribute as sent, name -> values (case-exact names). */
  attributes: z.record(z.string(), z.array(z.string())),
});
/** See {@link ProfileSchema}. */
export type Profile = z.infer<typeof ProfileSchema>;

/** Outcome of one item of a bulk operation. */
export const BulkItemResultSchema = z.object({
  id: ObjectIdSchema,
  ok: z.boolean(),
  /** Per-item status code from the server (200 on success), or null when unknown. */
  code: z.number().int().nullable(),
  reason: z.string(),
});
/** See {@link BulkItemResultSchema}. */
export type BulkItemResult = z.infer<typeof BulkItemResultSchema>;

/** The ten `reason-phrase` values the relay gives when it refuses a PIN change. */
export const PIN_REJECT_REASONS = [
  'PIN has Repeated Digits',
  'PIN has Consecutive Numbers',
  'PIN recently Changed',
  'PIN last 4 digit match MSISDN',
  'PIN has invalid Character',
  'PIN in Use',
  'PIN length too Long',
  'PIN length too Short',
  'Invalid OLD PIN',
  'VVM Not Active',
] as const;
/** One of {@link PIN_REJECT_REASONS}. */
export type PinRejectReason = (typeof PIN_REJECT_REASONS)[number];
