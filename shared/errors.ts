import { z } from 'zod';

/**
 * Every error code the app can report, grouped by domain. The renderer and the CLI branch on these,
 * never on message text. Keep it a closed list: `toAppError` in main switches over it exhaustively.
 */
export const ERROR_CODES = [
  // PC/SC and the card
  'card.serviceUnavailable', // pcscd (or the OS smart-card service) is not running
  'card.noReader', // no reader, or none matching --reader
  'card.absent', // reader present, no card in it
  'card.removed', // card pulled while a command was running
  'card.apdu', // the card answered a status word we cannot continue from (detail.sw)
  'card.noIsim', // neither ISIM nor USIM on the card
  'card.pinRequired', // PIN needed and none supplied (or no terminal to ask)
  'card.pinWrong', // PIN rejected (detail.triesLeft); never retried
  'card.pinBlocked', // PIN blocked: the PUK from the carrier is needed
  'card.unsupported', // the card lacks a function we need (e.g. GBA_U commands)
  // GBA bootstrapping (Ub) and the NAF key
  'gba.bsfUnreachable', // DNS, connection or TLS failure towards the BSF
  'gba.bsfRefused', // the BSF rejected the IMPI or answered with an unexpected status
  'gba.networkNotAuthentic', // AKA MAC failure: AUTN did not verify on the card
  'gba.syncFailure', // resynchronisation did not converge
  'gba.malformed', // challenge, nonce or BootstrappingInfo XML could not be parsed
  'gba.bootstrapFailed', // any other bootstrap failure
  'gba.realmMismatch', // the NAF's challenge realm names another NAF than ours (detail: realm, expectedRealm, nafFqdn, action)
  // HTTP and the mstore relay
  'http.unauthorized', // the relay rejected our NAF credentials even after a fresh bootstrap
  'http.forbidden', // 403 without a more specific mapping
  'http.notFound',
  'http.server', // 5xx, 504 and other server failures (detail.status)
  'http.badResponse', // malformed or oversized response, schema mismatch, unsafe URL from the server
  'mstore.pinRejected', // voicemail PIN change refused (detail.reason = one of the reason-phrase values)
  'mstore.partial', // a bulk operation failed for some items (detail lists them)
  'net.offline', // DNS or connection refused
  'net.tls', // certificate verification failed
  'net.timeout',
  // Audio and files
  'audio.ffmpegMissing',
  'audio.codecMissing',
  'audio.invalid', // corrupt or truncated AMR / undecodable input (detail says where)
  'audio.tooLong',
  'audio.empty',
  'audio.failed', // ffmpeg failed for another reason
  'fs.exists', // would overwrite an existing file
  'fs.failed', // disk full, permission denied, ...
  'keychain.unavailable',
  'config.invalid',
  'op.cancelled',
  'ipc.invalidRequest',
  'internal',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What the user can do about an error, as a code: each front end words it its own way (the CLI names its
 * options, the window its buttons and fields), so messages from the services stay free of both.
 */
export const ERROR_ACTIONS = [
  'startSmartCardService', // pcscd (Linux) / the Smart Card service (Windows) is not running
  'connectReader', // plug in a PC/SC reader
  'chooseReader', // the configured reader is not there: pick another
  'insertSim', // put the SIM in the reader
  'enterSimPin', // the SIM wants its PIN
  'unblockSimPin', // PIN blocked: PUK from the carrier
  'setPhoneNumber', // the card has no tel: IMPU: give the number
  'checkBsf', // the BSF address (setting) may be wrong
  'checkServer', // the voicemail server address (setting) may be wrong
  'setNafFqdn', // the relay keys for another NAF name: set the NAF FQDN override
  'trustCa', // a private server: add its CA certificate
  'checkNetwork', // offline, DNS, timeout
  'runDiagnostics', // credentials refused: walk the chain
  'retryLater', // the carrier's server failed
  'refreshList', // the item is gone: list again
  'deleteGreeting', // the greeting folder is full
  'shortenGreeting', // over 100 s: record shorter or cut
  'installFfmpeg', // ffmpeg (or a codec in it) missing
  'chooseOtherFile', // the audio file cannot be used
  'chooseOtherFolder', // the folder cannot be written, or the file exists
  'reportBug', // a bug in the app
  'openLog', // internal error: the details are in the log
] as const;

/** One of {@link ERROR_ACTIONS}. */
export type ErrorAction = (typeof ERROR_ACTIONS)[number];

/** Values allowed in {@link AppError.detail}: plain data, never secrets. */
export type ErrorDetail = Record<string, string | number | boolean | null | string[] | number[]>;

/** An error as the renderer and the CLI see it. `message` is user-readable and free of secrets. */
export interface AppError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  /** An action the user can take, if there is one ("Start pcscd", "Insert the SIM", ...). */
  hint?: string;
  /** What the user can do, as a code each front end words itself (see {@link ERROR_ACTIONS}). */
  action?: ErrorAction;
  detail?: ErrorDetail;
}

/** Schema of {@link AppError}, for validating errors that cross a process boundary. */
export const AppErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryable: z.boolean(),
  hint: z.string().optional(),
  action: z.enum(ERROR_ACTIONS).optional(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string()), z.array(z.number())])).optional(),
});
