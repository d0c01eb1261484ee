// The mailbox as its front ends see it: one owner of the card session, GBA and the mstore session
// (main/services/mailbox/mailbox.ts), and the types its operations hand back. The window's channel
// implementations (main/ipc) map these to the IPC contract; the CLI prints them.
import type { DiagnosticsOptions, DiagnosticsResult } from '../diagnostics/diagnostics.js';
import type { RequestLogEntry } from '../diagnostics/request-log.js';
import type { CardInfoValue, CardStatusValue, ExportFormatValue } from '../../../shared/ipc/contract.js';
import type { FolderQuota, Greeting, GreetingType, Profile, Voicemail } from '../../../shared/domain/mstore.js';
import type { Settings } from '../../../shared/settings.js';
import type { OpOptions } from '../ports.js';
import type { LibraryKey } from '../library/ports.js';
import type { MailboxSession } from './ports.js';

/** Card state as the mailbox knows it, without the keychain part (the IPC layer adds it). */
export type EngineCardStatus = Omit<CardStatusValue, 'pinStored'> & {
  /** ICCID of the card in the reader (EF_ICCID), or null without a card. Never shown to the renderer. */
  iccid: string | null;
};

/** A recording or imported file and how to encode it (trimming defaults to on, as for microphone recordings). */
export interface GreetingRecording {
  audio: Uint8Array;
  mimeType: string;
  trimSilence?: boolean;
  trimToLimit?: boolean;
}

/** Playable audio as the mailbox hands it to the channel implementations (which add the media URL). */
export interface EngineAudio {
  wav: Uint8Array;
  peaks: { min: number[]; max: number[] };
  durationSec: number;
}

/** A previewed greeting as the mailbox hands it to the channel implementation (which adds the media URL). */
export interface EngineGreetingPreview extends EngineAudio {
  amr: Uint8Array;
  encodedDurationSec: number;
  truncated: boolean;
}

/** Outcome of exporting voicemails: files written, and the ids that failed (an id no longer listed fails too). */
export interface MailboxExportOutcome {
  written: number;
  failed: { id: string; reason: string }[];
}

/**
 * What the desktop needs from the mailbox. main/app/desktop.ts builds one over the real services (or
 * over the in-process simulated SIM and carrier in demo mode). Every long call takes OpOptions and
 * checks its signal; errors are the classes in main/errors.ts.
 */
export interface Mailbox {
  cardStatus(): EngineCardStatus;
  /** Tries to open the card (and with it the session) so the status is current; never throws. */
  probe(opts: OpOptions): Promise<void>;
  /** Subscribes to card status changes; returns the unsubscribe function. */
  watchCardStatus(listener: (s: EngineCardStatus) => void): () => void;
  cardInfo(opts: OpOptions): Promise<CardInfoValue>;
  /**
   * The open session with a verified card and the line it serves (ICCID + MSISDN: the library's key), for
   * background work (library sync) over the same session as every other operation.
   */
  openLine(opts: OpOptions): Promise<{ session: MailboxSession; key: LibraryKey }>;
  /** Runs the diagnostics steps over the current session (see main/services/diagnostics). */
  diagnose(opts: OpOptions & { onStep?: DiagnosticsOptions['onStep'] }): Promise<DiagnosticsResult>;
  /** The recent requests, without secrets (the Diagnostics view's request log). */
  requests(): RequestLogEntry[];
  /** The readers the card service sees, with card presence (for the reader picker). */
  listReaders(opts: OpOptions): Promise<{ name: string; cardPresent: boolean }[]>;
  /**
   * VERIFY PIN (TS 31.101 9.5.1). Throws CardError card.pinWrong / card.pinBlocked. 'notNeeded' when
   * the card never asked (PIN disabled or already verified): the PIN was not checked.
   */
  unlock(pin: string, opts: OpOptions): Promise<'verified' | 'notNeeded'>;
  listVoicemails(opts: OpOptions): Promise<Voicemail[]>;
  /** Downloads and decodes one voicemail: WAV for playback plus peaks (min/max per bucket) and duration. */
  voicemailAudio(id: string, opts: OpOptions): Promise<EngineAudio>;
  setRead(ids: string[], read: boolean, opts: OpOptions): Promise<void>;
  deleteVoicemails(ids: string[], opts: OpOptions): Promise<void>;
  /** Writes the voicemails into `dir`; throws when nothing could be written, else reports the failures. */
  exportVoicemails(ids: string[], format: ExportFormatValue, dir: string, opts: OpOptions): Promise<MailboxExportOutcome>;
  listGreetings(opts: OpOptions): Promise<Greeting[]>;
  /** Downloads and decodes one greeting, like {@link Mailbox.voicemailAudio}. */
  greetingAudio(id: string, opts: OpOptions): Promise<EngineAudio>;
  /**
   * Encodes the recording to AMR-NB exactly as {@link Mailbox.uploadGreeting} would and decodes the
   * result back: what callers will hear (WAV + peaks), and the AMR to upload unchanged.
   */
  previewGreeting(input: GreetingRecording, opts: OpOptions): Promise<EngineGreetingPreview>;
  /**
   * Uploads a greeting and, when asked, makes it the only active greeting: a recording is encoded to
   * AMR-NB first; an `amr` from {@link Mailbox.previewGreeting} is checked and sent byte for byte.
   */
  uploadGreeting(input: { type: GreetingType; activate: boolean; subject?: string | undefined } & (GreetingRecording | { amr: Uint8Array }), opts: OpOptions): Promise<void>;
  activateGreeting(id: string, opts: OpOptions): Promise<void>;
  deleteGreeting(id: string, opts: OpOptions): Promise<void>;
  getProfile(opts: OpOptions): Promise<Profile>;
  setVvmActive(active: boolean, opts: OpOptions): Promise<void>;
  changeMailboxPin(oldPin: string, newPin: string, opts: OpOptions): Promise<void>;
  getQuota(opts: OpOptions): Promise<{ voicemail: FolderQuota; greeting: FolderQuota }>;
  getSettings(): Settings;
  setSettings(s: Settings): Promise<Settings>;
}
