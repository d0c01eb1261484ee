// The window's own wording of errors: a sentence per error code and what to do per action code
// (AppError.action), for people rather than for the command line. Branches on codes only, never on the
// message text; the services' messages are shown only for codes whose message carries the specifics
// (which file, which item), and those messages are kept free of CLI words by test/main/messages-scan.
import type { AppError, ErrorAction, ErrorCode } from '../shared/errors.js';

/** Where an action can take the user in the window. */
export type WindowDestination = 'settings' | 'diagnostics' | 'log' | 'pin';

/** An error as the window shows it. */
export interface WindowMessage {
  /** One sentence: what went wrong. */
  text: string;
  /** What to do about it, when there is something. */
  hint: string | null;
  /** A button that takes the user there, when the fix is somewhere in the window. */
  go: WindowDestination | null;
}

/** null: the service's message is the most specific thing to say (and is free of CLI words). */
const TEXT: Record<ErrorCode, string | null> = {
  'card.serviceUnavailable': 'The smart-card service is not running.',
  'card.noReader': 'No smart-card reader found.',
  'card.absent': 'There is no SIM in the reader.',
  'card.removed': 'The SIM was removed (or reset by another program) during the operation.',
  'card.apdu': 'The SIM answered a command with an error.',
  'card.noIsim': 'This card has no ISIM or USIM application: it is not a usable SIM.',
  'card.pinRequired': 'The SIM is locked with its PIN.',
  'card.pinWrong': 'The SIM did not accept that PIN.',
  'card.pinBlocked': 'The SIM PIN is blocked.',
  'card.unsupported': 'The SIM lacks a function VVM Desk needs.',
  'gba.bsfUnreachable': 'The carrier’s authentication server (BSF) could not be reached.',
  'gba.bsfRefused': 'The carrier’s authentication server (BSF) refused this SIM.',
  'gba.networkNotAuthentic': 'The authentication server could not prove it is the carrier’s: nothing was sent.',
  'gba.syncFailure': 'The SIM and the carrier could not agree on a sequence number.',
  'gba.malformed': 'The carrier’s authentication server sent something that could not be read.',
  'gba.bootstrapFailed': 'Signing in with the SIM (GBA) failed.',
  'gba.realmMismatch': null,
  'http.unauthorized': 'The voicemail server did not accept the SIM’s credentials.',
  'http.forbidden': 'The voicemail server refused the request.',
  'http.notFound': 'That item is no longer on the voicemail server.',
  'http.server': 'The carrier’s voicemail server failed.',
  'http.badResponse': 'The voicemail server sent an answer that could not be read.',
  'mstore.pinRejected': 'The voicemail PIN was not changed.',
  'mstore.partial': null,
  'net.offline': 'No connection to the server: check the network.',
  'net.tls': 'The server’s certificate is not trusted, so nothing was sent.',
  'net.timeout': 'The server did not answer in time.',
  'audio.ffmpegMissing': 'The audio converter (ffmpeg) is not available.',
  'audio.codecMissing': 'The audio converter lacks a codec needed here.',
  'audio.invalid': null,
  'audio.tooLong': 'The greeting is longer than the 100 seconds the carrier allows.',
  'audio.empty': 'The recording is silent or empty.',
  'audio.failed': 'Converting the audio failed.',
  'fs.exists': null,
  'fs.failed': null,
  'keychain.unavailable': 'The system keychain is not available, so the PIN cannot be remembered.',
  'config.invalid': null,
  'op.cancelled': 'Cancelled.',
  'ipc.invalidRequest': 'The window sent a request the app did not understand.',
  internal: 'Something went wrong inside VVM Desk.',
};

/** What to do, worded for the window. */
const ACTION: Record<ErrorAction, { hint: string; go?: WindowDestination }> = {
  startSmartCardService: { hint: 'Start the smart-card service: on Linux pcscd (sudo systemctl start pcscd), on Windows the “Smart Card” service.' },
  connectReader: { hint: 'Connect a PC/SC smart-card reader with the SIM in it (a SIM-to-card adapter fits a standard slot).' },
  chooseReader: { hint: 'Pick one of the connected readers in Settings.', go: 'settings' },
  insertSim: { hint: 'Insert the SIM into the reader.' },
  enterSimPin: { hint: 'Enter the SIM PIN. A PIN the SIM refuses is never tried again.', go: 'pin' },
  unblockSimPin: { hint: 'Unblock the SIM with the PUK from your carrier (call 611 or use a phone), then insert it again.' },
  setPhoneNumber: { hint: 'The SIM does not hold its phone number: enter it in Settings.', go: 'settings' },
  checkBsf: { hint: 'Check the BSF address in Settings.', go: 'settings' },
  checkServer: { hint: 'Check the voicemail server address in Settings.', go: 'settings' },
  setNafFqdn: { hint: 'If this server is the carrier’s under another name, set the NAF name in Settings; otherwise check the server address.', go: 'settings' },
  trustCa: { hint: 'For a private or test server, add its CA certificate in Settings.', go: 'settings' },
  checkNetwork: { hint: 'Check the network connection; Diagnostics shows which step fails.', go: 'diagnostics' },
  runDiagnostics: { hint: 'Diagnostics checks the SIM and the sign-in step by step.', go: 'diagnostics' },
  retryLater: { hint: 'Try again later.' },
  refreshList: { hint: 'Refresh the list: it may have been deleted meanwhile.' },
  deleteGreeting: { hint: 'Delete a greeting first.' },
  shortenGreeting: { hint: 'Record a shorter greeting, or keep “cut at 100 s” on.' },
  installFfmpeg: { hint: 'Reinstall VVM Desk, or install ffmpeg from your system’s packages.' },
  chooseOtherFile: { hint: 'Use another audio file (WAV, MP3, M4A, FLAC, Ogg/Opus, WebM or AMR).' },
  chooseOtherFolder: { hint: 'Choose another folder, or remove the file that is in the way.' },
  reportBug: { hint: 'This is a bug in VVM Desk; please report it with the log.', go: 'log' },
  openLog: { hint: 'The details are in the log.', go: 'log' },
};

/** The action a code implies when the error names none. */
const DEFAULT_ACTION: Partial<Record<ErrorCode, ErrorAction>> = {
  'card.serviceUnavailable': 'startSmartCardService',
  'card.noReader': 'connectReader',
  'card.absent': 'insertSim',
  'card.removed': 'insertSim',
  'card.pinRequired': 'enterSimPin',
  'card.pinWrong': 'enterSimPin',
  'card.pinBlocked': 'unblockSimPin',
  'gba.bsfUnreachable': 'checkNetwork',
  'gba.bsfRefused': 'checkBsf',
  'gba.bootstrapFailed': 'runDiagnostics',
  'gba.syncFailure': 'runDiagnostics',
  'gba.realmMismatch': 'setNafFqdn',
  'http.unauthorized': 'runDiagnostics',
  'http.server': 'retryLater',
  'http.notFound': 'refreshList',
  'net.offline': 'checkNetwork',
  'net.timeout': 'checkNetwork',
  'net.tls': 'trustCa',
  'audio.ffmpegMissing': 'installFfmpeg',
  'audio.codecMissing': 'installFfmpeg',
  'audio.tooLong': 'shortenGreeting',
  'ipc.invalidRequest': 'reportBug',
  internal: 'openLog',
};

/** The error's text, with the specifics some codes carry in `detail` worded here. */
function textOf(e: AppError): string {
  const d = e.detail ?? {};
  if (e.action === 'deleteGreeting' && typeof d.occupied === 'number' && typeof d.quota === 'number') return `${d.occupied} of ${d.quota} greetings: the greeting folder is full.`;
  return TEXT[e.code] ?? e.message;
}

/** Words an error for the window. */
export function describeError(e: AppError): WindowMessage {
  const action = e.action ?? DEFAULT_ACTION[e.code];
  if (e.code === 'mstore.pinRejected') {
    // The rule that refused the PIN, said once: the service puts it in the hint.
    return { text: TEXT['mstore.pinRejected'] ?? e.message, hint: e.hint ?? null, go: null };
  }
  if (e.code === 'op.cancelled') return { text: TEXT['op.cancelled'] ?? 'Cancelled.', hint: null, go: null };
  if (action !== undefined) {
    const a = ACTION[action];
    if (e.action === 'deleteGreeting' && typeof e.detail?.occupied === 'number' && typeof e.detail.quota === 'number') {
      return { text: `${e.detail.occupied} of ${e.detail.quota} greetings: delete one first.`, hint: null, go: null };
    }
    return { text: textOf(e), hint: a.hint, go: a.go ?? null };
  }
  // No action code: the text per code; the service's hint only where the service's message is shown too
  // (both are worded for either front end there).
  return { text: textOf(e), hint: TEXT[e.code] === null ? (e.hint ?? null) : null, go: null };
}
