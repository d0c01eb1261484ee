// The command line's own wording of what to do about an error (AppError.action): it names vvm-desk's
// options and environment variables. The services stay free of those words because the window shows
// their errors too; the renderer words the same actions in renderer/messages.ts.
import type { AppError, ErrorAction } from '../../shared/errors.js';

const HINTS: Record<ErrorAction, string> = {
  startSmartCardService: 'Start the smart-card service: sudo systemctl start pcscd (or pcscd -f); on Windows the "Smart Card" service.',
  connectReader: 'Connect a PC/SC reader; `vvm-desk card readers` lists what pcscd sees.',
  chooseReader: 'Pick a reader with --reader <name or substring>; `vvm-desk card readers` lists them.',
  insertSim: 'Insert the SIM into the reader.',
  enterSimPin: 'Set VVM_SIM_PIN, or run in a terminal to be asked for the SIM PIN. Wrong PINs are never retried.',
  unblockSimPin: 'Unblock the SIM with the PUK from your carrier (a phone can do it), then try again.',
  setPhoneNumber: 'Give the number with --msisdn +1XXXXXXXXXX.',
  checkBsf: 'Check the BSF address: --bsf default | derive | <url>.',
  checkServer: 'Check --server: it must be the mStoreRelay base URL (default https://wsg.t-mobile.com/phone20/mStoreRelay).',
  setNafFqdn: 'If this server is the carrier relay under another name, give its NAF name with --naf-fqdn; otherwise check --server.',
  trustCa: 'For a private or test server, add its CA with --ca <pem file>.',
  checkNetwork: 'Check the network connection (and --bsf / --server).',
  runDiagnostics: 'Run `vvm-desk doctor` to check the SIM and the GBA bootstrap step by step.',
  retryLater: "The carrier's server failed; try again later.",
  refreshList: 'List again (`vvm-desk voicemail list`): it may have been deleted.',
  deleteGreeting: 'Delete a greeting first (`vvm-desk greeting list`, then `greeting delete ID`).',
  shortenGreeting: 'Record a shorter greeting, or cut it to 100 s with --trim-to-limit.',
  installFfmpeg: 'Install ffmpeg (apt-get install ffmpeg) or set FFMPEG_PATH to an ffmpeg binary with the codec.',
  chooseOtherFile: 'Use another audio file (WAV, MP3, M4A, FLAC, Ogg/Opus, WebM or AMR).',
  chooseOtherFolder: 'Choose another --out folder, remove the file, or use --on-exists suffix.',
  reportBug: 'This is a bug in vvm-desk: please report it.',
  openLog: 'Run again with --verbose to see the details.',
};

/** The CLI's hint for an error: its action worded for the command line, else the error's own hint. */
export function cliHintFor(e: AppError): string | undefined {
  return e.action !== undefined ? HINTS[e.action] : e.hint;
}
