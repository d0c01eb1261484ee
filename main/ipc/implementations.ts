// The channel implementations: thin adapters from the IPC contract to the engine facade the desktop
// needs. No Electron here, so the loopback web harness runs exactly these functions too. The engine
// (the mailbox, main/services/mailbox, built in main/app/desktop.ts) owns the business logic; this file only maps requests, the keychain choice and
// the export folder prompt.
import { CHECKS } from '../services/diagnostics/diagnostics.js';
import type { CardStatusValue, GreetingPreviewValue, PlayableAudioValue, ExportOutcomeValue } from '../../shared/ipc/contract.js';
import type { EngineAudio, EngineCardStatus, GreetingRecording, Mailbox as DesktopEngine } from '../services/mailbox/types.js';
import type { PinStore } from '../adapters/keychain/keychain-pin-store.js';
import { AppConfigError, CardError, FsError, throwIfAborted, toAppError } from '../errors.js';
import { exportNaming } from '../services/mailbox/mailbox.js';
import type { Implementations } from './dispatch.js';
import { libraryImplementations } from './library-implementations.js';
import type { MailboxLibrary } from '../services/mailbox/mailbox-library.js';
import { describeCaPem } from '../protocol/ca-pem.js';

/** The mailbox (main/services/mailbox) as the channels see it; the names stay for the IPC layer's users. */
export type { EngineAudio, EngineCardStatus, EngineGreetingPreview, GreetingRecording, Mailbox as DesktopEngine } from '../services/mailbox/types.js';

/** What only the host (Electron, or the web harness) can provide. */
export interface DesktopHost {
  /** Asks the user for an export folder; null when they cancel. The path never reaches the renderer. */
  /** Asks where to export; `suggested` is the folder of the last export (remembered in the settings). */
  chooseExportDirectory(suggested?: string): Promise<string | null>;
  /** Opens a folder main chose (the last export's) in the system file manager. */
  showFolder?(dir: string): Promise<void>;
  /** Shows the app's log file in the file manager; false when it cannot. No path reaches the renderer. */
  revealLog?(): Promise<boolean>;
  /**
   * Keeps decoded audio for the host's `/media/audio/<id>` route (Range support, so <audio> can seek);
   * hosts without such a route leave it out and the renderer plays the bytes it got.
   */
  rememberAudio?(id: string, wav: Uint8Array): void;
  /** The keychain changed (a PIN stored or forgotten): push the card status again (see {@link createCardStatusFeed}). */
  cardStatusChanged?(): void;
}

function peaksForWaveform(p: { min: number[]; max: number[] }): number[] {
  // wavesurfer.js draws one amplitude per bucket; the larger excursion of min/max is that amplitude.
  return p.max.map((hi, i) => Math.min(1, Math.max(Math.abs(hi), Math.abs(p.min[i] ?? 0))));
}

function recordingOf(req: { audio: Uint8Array; mimeType: string; trimSilence?: boolean | undefined; trimToLimit?: boolean | undefined }): GreetingRecording {
  return { audio: req.audio, mimeType: req.mimeType, ...(req.trimSilence !== undefined && { trimSilence: req.trimSilence }), ...(req.trimToLimit !== undefined && { trimToLimit: req.trimToLimit }) };
}

function noCard(): CardError {
  return new CardError('card.absent', 'No SIM card in the reader', { hint: 'Insert the SIM and try again.' });
}

/** Builds every channel's implementation over the engine, the keychain and the host. */
export function createImplementations(engine: DesktopEngine, pins: PinStore, host: DesktopHost, library: MailboxLibrary | null = null): Implementations {
  const status = () => publicCardStatus(engine, pins);
  // The folder of the last export: `sameFolder` exports and "Show in folder" use it, so no path ever
  // comes from the renderer.
  let lastExportDir: string | null = null;
  function mediaUrl(id: string, wav: Uint8Array): string | null {
    if (!host.rememberAudio) return null;
    host.rememberAudio(id, wav);
    return `/media/audio/${encodeURIComponent(id)}`;
  }
  function playable(id: string, a: EngineAudio): PlayableAudioValue {
    return { wav: a.wav, peaks: peaksForWaveform(a.peaks), durationSec: a.durationSec, url: mediaUrl(id, a.wav) };
  }
  function currentIccid(): string {
    const { iccid } = engine.cardStatus();
    if (iccid === null) throw noCard();
    return iccid;
  }

  return {
    'card:status': async (_req, ctx) => {
      if (engine.cardStatus().state !== 'ready') await engine.probe(ctx);
      return status();
    },
    'card:info': (_req, ctx) => engine.cardInfo(ctx),
    'card:readers': (_req, ctx) => engine.listReaders(ctx),
    'diagnostics:run': async (_req, ctx) => {
      const result = await engine.diagnose({
        signal: ctx.signal,
        // Live status per step: phase "<step>:running" when it starts, "<step>:ok|failed" when it ends.
        onStep: (i, id, r) => ctx.onProgress({ phase: `${id}:${r ? r.status : 'running'}`, done: r ? i + 1 : i, total: CHECKS.length }),
      });
      return { ...result, requests: engine.requests() };
    },
    'log:reveal': async () => ({ shown: host.revealLog ? await host.revealLog() : false }),
    'card:unlock': async (req, ctx) => {
      const outcome = await engine.unlock(req.pin, ctx);
      // Stored only after the card accepted it (the card is open now, so its ICCID is known), and only
      // when the user asked. A PIN the card never checked is not stored.
      if (req.remember && outcome === 'verified') {
        // The card is unlocked either way: a keychain that cannot store only means the status says
        // pinStored: false, and the user is asked again next time.
        await pins.set(currentIccid(), req.pin).catch((e: unknown) => {
          if (!(e instanceof AppConfigError && e.code === 'keychain.unavailable')) throw e;
        });
        host.cardStatusChanged?.();
      }
      return status();
    },
    'voicemail:list': (_req, ctx) => engine.listVoicemails(ctx),
    // From the library when it holds the audio (offline, and voicemails the server no longer has), else the server.
    'voicemail:audio': async (req, ctx) => playable(req.id, (await library?.audio(req.id, ctx)) ?? (await engine.voicemailAudio(req.id, ctx))),
    'voicemail:markRead': (req, ctx) => engine.setRead(req.ids, req.read, ctx),
    'voicemail:delete': (req, ctx) => engine.deleteVoicemails(req.ids, ctx),
    'voicemail:export': async (req, ctx): Promise<ExportOutcomeValue> => {
      const remembered = engine.getSettings().exportFolder;
      const dir = req.sameFolder === true && lastExportDir !== null ? lastExportDir : await host.chooseExportDirectory(remembered);
      if (dir === null) return { written: 0, cancelled: true, failed: [], folder: null };
      throwIfAborted(ctx.signal);
      lastExportDir = dir;
      // The folder is offered first next time, also after a restart (a local-only setting: no new session).
      if (dir !== remembered) await engine.setSettings({ ...engine.getSettings(), exportFolder: dir });
      // What the library holds is exported from its copy (offline too, and voicemails the server no longer
      // has); only the rest is downloaded.
      const local = await library?.exportStored(req.ids, { ...ctx, format: req.format, outDir: dir, onExists: 'suffix', ...exportNaming(engine.getSettings()) });
      const rest = local ? local.rest : req.ids;
      const failed = (local?.result.failed ?? []).map((f) => ({ id: f.id, reason: f.error.message }));
      let written = local?.result.files.length ?? 0;
      if (rest.length > 0) {
        try {
          const server = await engine.exportVoicemails(rest, req.format, dir, ctx);
          written += server.written;
          failed.push(...server.failed);
        } catch (e) {
          // With nothing written at all, the error is the answer; otherwise the rest are reported by id.
          const err = toAppError(e);
          if (written === 0 || err.code === 'op.cancelled') throw e;
          failed.push(...rest.map((id) => ({ id, reason: err.message })));
        }
      }
      return { written, cancelled: false, failed: failed.map((f) => ({ id: f.id, reason: f.reason.slice(0, 1000) })), folder: dir };
    },
    'export:showFolder': async () => {
      if (lastExportDir === null) throw new FsError('fs.failed', 'Nothing has been exported yet');
      if (!host.showFolder) throw new FsError('fs.failed', 'This window cannot open folders');
      await host.showFolder(lastExportDir);
    },
    'greeting:list': (_req, ctx) => engine.listGreetings(ctx),
    'greeting:audio': async (req, ctx) => playable(req.id, await engine.greetingAudio(req.id, ctx)),
    'greeting:preview': async (req, ctx): Promise<GreetingPreviewValue> => {
      const p = await engine.previewGreeting(recordingOf(req), ctx);
      // Previews have no server id; a fresh one per preview keeps the media route from serving a stale one.
      return { ...playable(`preview-${crypto.randomUUID()}`, p), amr: p.amr, encodedDurationSec: p.encodedDurationSec, truncated: p.truncated };
    },
    'greeting:upload': (req, ctx) => {
      const common = { type: req.type, activate: req.activate, ...(req.subject !== undefined && { subject: req.subject }) };
      return engine.uploadGreeting('amr' in req ? { ...common, amr: req.amr } : { ...common, ...recordingOf(req) }, ctx);
    },
    'greeting:activate': (req, ctx) => engine.activateGreeting(req.id, ctx),
    'greeting:delete': (req, ctx) => engine.deleteGreeting(req.id, ctx),
    'profile:get': (_req, ctx) => engine.getProfile(ctx),
    'profile:setActive': (req, ctx) => engine.setVvmActive(req.active, ctx),
    'profile:changePin': (req, ctx) => engine.changeMailboxPin(req.oldPin, req.newPin, ctx),
    'quota:get': (_req, ctx) => engine.getQuota(ctx),
    'settings:get': async () => engine.getSettings(),
    'settings:set': (req) => engine.setSettings(req.settings),
    'settings:describeCa': async (req) => ({ certificates: describeCaPem(req.pem) }),
    'pin:store': async (req, ctx) => {
      // Only a PIN the card accepts is stored: a wrong stored PIN would cost an attempt at every start.
      if ((await engine.unlock(req.pin, ctx)) === 'notNeeded') {
        throw new AppConfigError('config.invalid', 'The SIM did not ask for its PIN, so it cannot be checked and is not stored', { hint: 'The PIN is disabled or already entered; nothing to remember.' });
      }
      await pins.set(currentIccid(), req.pin);
    },
    ...libraryImplementations(library),
    'pin:forget': async () => {
      await pins.delete(currentIccid());
      host.cardStatusChanged?.();
    },
  };
}

/** The `card:status` pushes of one host: subscribe windows with `watch`, tell it about keychain changes with `changed`. */
export interface CardStatusFeed {
  watch(push: (s: CardStatusValue) => void): () => void;
  changed(): void;
  close(): void;
}

/**
 * Pushes the public card status on every engine status change and on `changed()` (the keychain flag
 * is not part of the engine's status). Pushes go out one after another, each computed from the state
 * when it is its turn: a push prepared before the PIN was stored (the card turned ready during
 * card:unlock) can never be the last word, overwriting the unlock answer's "PIN remembered".
 */
export function createCardStatusFeed(engine: DesktopEngine, pins: PinStore): CardStatusFeed {
  const pushers = new Set<(s: CardStatusValue) => void>();
  let queue: Promise<void> = Promise.resolve();
  function changed(): void {
    queue = queue.then(async () => {
      if (pushers.size === 0) return;
      const s = await publicCardStatus(engine, pins);
      for (const p of pushers) p(s);
    });
  }
  const unwatch = engine.watchCardStatus(changed);
  return {
    watch(push) {
      pushers.add(push);
      return () => void pushers.delete(push);
    },
    changed,
    close() {
      unwatch();
      pushers.clear();
    },
  };
}

/** The card status with the keychain flag, for pushing on `card:status`. */
export async function publicCardStatus(engine: DesktopEngine, pins: PinStore, s: EngineCardStatus = engine.cardStatus()): Promise<CardStatusValue> {
  const { iccid, ...rest } = s;
  const pinStored = iccid === null ? false : (await pins.get(iccid).catch(() => null)) !== null;
  return { ...rest, pinStored };
}
