// The mailbox: the one long-lived owner of the card session, GBA and the mstore session (card -> GBA ->
// NAF digest -> mstore client, or demo mode's simulated SIM and carrier), with card presence events.
// The window's channels (main/ipc) and background work go through it; its operations are the use cases
// in ./use-cases.ts, which the CLI calls on its one-shot sessions. The session is opened on first use; a
// session whose card could not be opened (PIN needed, no card) is closed and opened afresh on the next
// call, so a PIN typed in the dialog is used.
import type { CardInfoValue } from '../../../shared/ipc/contract.js';
import { LOCAL_ONLY_SETTINGS, type Settings } from '../../../shared/settings.js';
import type { AudioEngine } from '../audio/engine.js';
import type { PreparedGreeting } from '../audio/greeting.js';
import type { Logger, OpOptions, ReaderEvent } from '../ports.js';
import { AppConfigError, CardError, HttpError, throwIfAborted } from '../../errors.js';
import { runDiagnostics } from '../diagnostics/diagnostics.js';
import type { RequestLog } from '../diagnostics/request-log.js';
import type { MailboxSession, OfferablePinSource, SessionOpener } from './ports.js';
import type { EngineCardStatus, GreetingRecording, Mailbox } from './types.js';
import * as useCases from './use-cases.js';

/** What {@link createMailbox} needs. */
export interface MailboxDeps {
  /** Opens an mstore session with the given settings, on the demo card and carrier or the real card. */
  open: SessionOpener;
  audio: AudioEngine;
  pinSource: OfferablePinSource;
  settings: Settings;
  /** Persists settings changed from the UI; optional. */
  saveSettings?(s: Settings): Promise<void>;
  demo: boolean;
  /**
   * Demo mode was chosen only because no card was found at start: the first card inserted (a
   * `cardInserted` from `watchReaders`) ends it, and the engine reopens on the real card.
   */
  demoUntilCard?: boolean;
  logger?: Logger;
  /** Card presence events (a PC/SC watcher, or the demo reader); pulls and inserts update the status. */
  watchReaders?: (listener: (e: ReaderEvent) => void) => () => void;
  /** The requests of every session (the sessions wrap their HTTP with it), for the Diagnostics view. */
  requestLog?: RequestLog;
}

function statusFromError(e: unknown, base: EngineCardStatus): EngineCardStatus | null {
  if (!(e instanceof CardError)) return null;
  const tries = typeof e.detail?.triesLeft === 'number' ? e.detail.triesLeft : null;
  switch (e.code) {
    case 'card.serviceUnavailable':
      return { ...base, state: 'serviceUnavailable', iccid: null, reader: null };
    case 'card.noReader':
      return { ...base, state: 'noReader', iccid: null, reader: null };
    case 'card.absent':
    case 'card.removed':
      return { ...base, state: 'absent', iccid: null };
    case 'card.pinRequired':
    case 'card.pinWrong':
      return { ...base, state: 'locked', triesLeft: tries ?? base.triesLeft };
    case 'card.pinBlocked':
      return { ...base, state: 'blocked', triesLeft: 0 };
    default:
      return null;
  }
}

/** True when `a` and `b` differ at most in settings that need no new session ({@link LOCAL_ONLY_SETTINGS}). */
function sameExceptLocal(a: Settings, b: Settings): boolean {
  const local = new Set<string>(LOCAL_ONLY_SETTINGS);
  const strip = (s: Settings): [string, unknown][] =>
    Object.entries(s)
      .filter(([k, v]) => !local.has(k) && v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** File names and manifest for exports from the window, as the Settings tab set them. */
export function exportNaming(settings: Settings): { template?: string; manifest?: 'json' | 'csv' } {
  return { ...(settings.exportTemplate !== undefined && { template: settings.exportTemplate }), ...(settings.exportManifest !== 'none' && { manifest: settings.exportManifest }) };
}

/** Builds the mailbox; `close()` releases the card, the demo carrier and the reader context. */
export function createMailbox(deps: MailboxDeps): Mailbox & { close(): Promise<void> } {
  let settings = deps.settings;
  let demo = deps.demo;
  let session: Promise<MailboxSession> | null = null;
  let status: EngineCardStatus = { state: 'absent', reader: null, demo, iccid: null, triesLeft: null };
  const listeners = new Set<(s: EngineCardStatus) => void>();

  function setStatus(next: EngineCardStatus): void {
    const changed = JSON.stringify(next) !== JSON.stringify(status);
    status = next;
    if (changed) for (const l of listeners) l(status);
  }

  async function drop(): Promise<void> {
    const s = session;
    session = null;
    if (s) await (await s.catch(() => null))?.close().catch(() => {});
  }

  /** The open session with a verified card; updates the card status either way. */
  async function ready(opts: OpOptions): Promise<MailboxSession> {
    throwIfAborted(opts.signal);
    const current = (session ??= deps.open(settings, demo));
    let s: MailboxSession;
    try {
      s = await current;
      // The card session is shared by every operation, so its opening (a few APDUs) is not tied to one
      // caller's signal: one cancelled operation must not fail the others waiting for the same card.
      const card = await s.cardSession();
      const info = card.info();
      // A session replaced meanwhile (a card inserted in demo mode, new settings) no longer speaks for
      // the card status.
      if (session === current) setStatus({ state: 'ready', reader: info.reader, demo, iccid: info.iccid, triesLeft: info.pin.triesLeft });
    } catch (e) {
      const next = session === current ? statusFromError(e, { ...status, demo }) : null;
      if (next) setStatus(next);
      // A session that failed to open its card is useless: the next call opens a fresh one (unless
      // someone already replaced it).
      if (session === current) await drop();
      throw e;
    }
    throwIfAborted(opts.signal);
    return s;
  }

  /**
   * "Stuck in demo": the app started without a card and one was inserted. If it is a SIM (it opens, or
   * it wants its PIN) the window switches to it: the status below tells the renderer, which reloads its
   * panels. Another kind of card (a bank card, a security key's smart-card interface) leaves the demo be.
   */
  let probing = false;
  async function leaveDemoIfSim(reader: string): Promise<void> {
    if (probing) return;
    probing = true;
    try {
      const candidate = await deps.open(settings, false);
      try {
        await candidate.cardSession();
      } catch (e) {
        const wantsPin = e instanceof CardError && (e.code === 'card.pinRequired' || e.code === 'card.pinWrong' || e.code === 'card.pinBlocked');
        if (!wantsPin) {
          deps.logger?.info('inserted card not usable, staying in demo mode', { reader, code: e instanceof CardError ? e.code : 'internal' });
          return;
        }
      } finally {
        await candidate.close().catch(() => {});
      }
      if (!demo) return;
      demo = false;
      deps.logger?.info('SIM inserted: leaving demo mode', { reader });
      await drop();
      await ready({}).catch(() => {});
      // Pulled again meanwhile, or an error that says nothing about the card: not the demo any more.
      if (status.demo) setStatus({ state: 'absent', reader, demo: false, iccid: null, triesLeft: null });
    } catch (e) {
      deps.logger?.warn('inserted card could not be opened, staying in demo mode', { reader, code: e instanceof CardError ? e.code : 'internal' });
    } finally {
      probing = false;
    }
  }

  // A pulled card ends the session at once (the next operation would fail anyway); an inserted card is
  // opened right away so the window shows its state (and asks for its PIN) without a click.
  const unwatch = deps.watchReaders?.((e) => {
    if (e.kind === 'cardInserted' && demo && deps.demoUntilCard === true) {
      void leaveDemoIfSim(e.reader);
      return;
    }
    if (demo) return; // the demo card is never pulled; other readers' events are not ours
    if (e.kind === 'cardRemoved' || e.kind === 'readerRemoved') {
      if (status.reader !== null && status.reader !== e.reader) return;
      void drop();
      setStatus({ ...status, state: e.kind === 'cardRemoved' ? 'absent' : 'noReader', iccid: null, triesLeft: null });
    } else if (e.kind === 'cardInserted' && status.state !== 'ready') {
      void ready({}).catch(() => {});
    }
  });

  /** Encodes a recording; by default trims silence at both ends and cuts at the carrier's 100 s limit. */
  function encodeGreeting(input: GreetingRecording, opts: OpOptions): Promise<PreparedGreeting> {
    return deps.audio.greeting.prepare(input.audio, { ...opts, trimSilence: input.trimSilence ?? true, trimToLimit: input.trimToLimit ?? true });
  }

  return {
    cardStatus: () => status,
    async probe(opts) {
      // The status reflects the outcome; the error itself is for the operation that needs the card.
      await ready(opts).catch(() => {});
    },
    watchCardStatus(l) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    async cardInfo(opts): Promise<CardInfoValue> {
      const s = await ready(opts);
      const i = (await s.cardSession(opts.signal)).info();
      return { reader: i.reader, app: i.app, impi: i.impi, impu: i.impu, msisdn: i.msisdn, gba: i.gba, iccid: i.iccid, pin: { enabled: i.pin.enabled, verified: i.pin.verified, triesLeft: i.pin.triesLeft } };
    },
    async diagnose(opts) {
      // Over the current session (a card whose PIN was entered stays entered); a step that fails on the
      // card leaves the session to the next operation, which reopens it as for any card error.
      const s = await (session ??= deps.open(settings, demo));
      if (!s.diagnosticsTarget) throw new CardError('card.unsupported', 'This session cannot run diagnostics');
      return runDiagnostics(s.diagnosticsTarget(), { ...(opts.signal && { signal: opts.signal }), ...(opts.onStep && { onStep: opts.onStep }) }, (e) => deps.logger?.error('diagnostics step failed unexpectedly', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
    },
    requests: () => deps.requestLog?.entries() ?? [],
    async listReaders(opts) {
      // Without a session (no card yet) a fresh one lists them; opening it touches no card.
      const s = await (session ??= deps.open(settings, demo));
      throwIfAborted(opts.signal);
      return s.listReaders ? s.listReaders(opts.signal) : [];
    },
    async openLine(opts) {
      const s = await ready(opts);
      const card = await s.cardSession(opts.signal);
      const msisdn = settings.msisdn ?? card.identity.msisdn;
      if (msisdn === null) throw new AppConfigError('config.invalid', 'The card has no phone number (no tel: IMPU)', { hint: 'Give the phone number explicitly (+1XXXXXXXXXX).', action: 'setPhoneNumber' });
      return { session: s, key: { iccid: card.info().iccid, msisdn } };
    },
    async unlock(pin, opts) {
      deps.pinSource.offer(pin, false);
      let unused = true;
      try {
        await drop();
        await ready(opts);
      } finally {
        unused = deps.pinSource.withdraw();
      }
      return unused ? 'notNeeded' : 'verified';
    },
    async listVoicemails(opts) {
      return (await useCases.listVoicemails(await ready(opts), opts)).items;
    },
    async voicemailAudio(id, opts) {
      return useCases.play(await ready(opts), deps.audio, 'voicemail', id, opts);
    },
    async setRead(ids, read, opts) {
      useCases.checkBulk(await useCases.mark(await ready(opts), ids, read, opts), read ? 'Mark as read' : 'Mark as unread');
    },
    async deleteVoicemails(ids, opts) {
      useCases.checkBulk(await useCases.remove(await ready(opts), ids, opts), 'Delete');
    },
    async exportVoicemails(ids, format, dir, opts) {
      // File names and the manifest as the settings say (the window's Settings tab).
      const result = await useCases.exportVoicemails(await ready(opts), deps.audio, ids, { ...opts, format, outDir: dir, onExists: 'suffix', ...exportNaming(settings) });
      // An id the server no longer lists (deleted from another phone, expired) fails; it is never skipped silently.
      const gone = result.failed.filter((f) => f.error.code === 'http.notFound').map((f) => ({ id: f.id, reason: 'No longer on the server' }));
      const failed = result.failed.filter((f) => f.error.code !== 'http.notFound');
      const [firstFailure] = failed;
      if (result.files.length === 0 && firstFailure) {
        deps.logger?.warn('export failed', { code: firstFailure.error.code });
        throw new HttpError('mstore.partial', firstFailure.error.message, { detail: { failed: [...failed.map((f) => f.id), ...gone.map((g) => g.id)] }, ...(firstFailure.error.hint !== undefined && { hint: firstFailure.error.hint }) });
      }
      return { written: result.files.length, failed: [...failed.map((f) => ({ id: f.id, reason: f.error.message })), ...gone] };
    },
    async listGreetings(opts) {
      return (await useCases.listGreetings(await ready(opts), opts)).items;
    },
    async greetingAudio(id, opts) {
      return useCases.play(await ready(opts), deps.audio, 'greeting', id, opts);
    },
    async previewGreeting(input, opts) {
      // No card needed: encoding and decoding are local. The same options as an upload of the recording.
      const p = await encodeGreeting(input, opts);
      return { wav: p.previewWav, peaks: { min: p.previewPeaks.min, max: p.previewPeaks.max }, durationSec: p.durationMs / 1000, amr: p.amr, encodedDurationSec: p.durationMs / 1000, truncated: p.truncated };
    },
    async uploadGreeting(input, opts) {
      const s = await ready(opts);
      // A previewed greeting goes up byte for byte (after the same checks prepare() applies to its output).
      const amr = 'amr' in input ? input.amr : (await encodeGreeting(input, opts)).amr;
      await useCases.uploadGreeting(s, { amr, type: input.type, activate: input.activate, subject: input.subject?.trim() || 'Greeting recorded in VVM Desk' }, opts);
    },
    async activateGreeting(id, opts) {
      await (await ready(opts)).client.makeActive(id, opts);
    },
    async deleteGreeting(id, opts) {
      useCases.checkBulk(await useCases.remove(await ready(opts), [id], opts), 'Delete greeting');
    },
    async getProfile(opts) {
      return (await ready(opts)).client.getProfile(opts);
    },
    async setVvmActive(active, opts) {
      await (await ready(opts)).client.setVvmOn(active, opts);
    },
    async changeMailboxPin(oldPin, newPin, opts) {
      await (await ready(opts)).client.changePin(oldPin, newPin, opts);
    },
    async getQuota(opts) {
      const s = await ready(opts);
      return { voicemail: await s.client.getQuota('voicemail', opts), greeting: await s.client.getQuota('greeting', opts) };
    },
    getSettings: () => settings,
    async setSettings(next) {
      const before = settings;
      settings = next;
      await deps.saveSettings?.(next);
      // Only names, manifest, the export folder or reminders changed: the session stays as it is.
      if (sameExceptLocal(before, next)) return settings;
      // Settings that do not concern the card (server, BSF, IMEI, timeouts, ...) keep the open card
      // session, so a SIM whose PIN was entered is not asked for it again (issue 10). Another reader, or
      // in demo mode another NAF identity (the simulated carrier is keyed by it), opens afresh.
      const current = session;
      const open = current ? await current.catch(() => null) : null;
      const sameCard = before.reader === next.reader && (!demo || (before.nafFqdn === next.nafFqdn && before.uaProtocolId === next.uaProtocolId));
      if (open?.reconfigure && sameCard && session === current) {
        const reconfigured = open.reconfigure(next);
        session = reconfigured;
        // A session that cannot be rebuilt is dropped; the next operation opens a fresh one.
        await reconfigured.catch(async () => {
          if (session === reconfigured) session = null;
          await open.close().catch(() => {});
        });
      } else {
        // The next operation opens a session with the new server, BSF and reader.
        await drop();
      }
      return settings;
    },
    async close() {
      unwatch?.();
      await drop();
    },
  };
}
