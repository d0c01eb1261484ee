// A stand-in DesktopEngine with in-memory voicemails and greetings, for the harness's own unit tests and
// the IPC benchmark, where neither the simulators nor ffmpeg should be involved. A test double, so it
// lives under test/support/ (main/ holds no fakes): the e2e tests and `npm run harness` use the real engine (main/app.ts createDesktopBackend). The audio is
// synthesised (tone bursts) through the real WAV writer and peak computation of main/protocol.
import { CHECKS } from '../../main/services/diagnostics/diagnostics.js';
import type { CardInfoValue } from '../../shared/ipc/contract.js';
import type { FolderQuota, Greeting, GreetingType, Profile, Voicemail } from '../../shared/domain/mstore.js';
import { defaultSettings, type Settings } from '../../shared/settings.js';
import { CardError, HttpError, throwIfAborted } from '../../main/errors.js';
import { encodeWav } from '../../main/protocol/wav.js';
import { computePeaks } from '../../main/protocol/peaks.js';
import type { OpOptions } from '../../main/services/ports.js';
import type { DesktopEngine, EngineCardStatus } from '../../main/ipc/implementations.js';

const RATE = 8000;
const DEMO_PIN = '1234';

/** Tone bursts with a slow envelope, so the waveform has visible structure. */
function synthesise(seconds: number, seed: number): Int16Array {
  const out = new Int16Array(Math.round(seconds * RATE));
  for (let i = 0; i < out.length; i++) {
    const t = i / RATE;
    const word = Math.max(0, Math.sin(Math.PI * t * (1.7 + seed * 0.3)));
    const voice = Math.sin(2 * Math.PI * (180 + 40 * seed) * t) * 0.6 + Math.sin(2 * Math.PI * (360 + 25 * seed) * t) * 0.3;
    out[i] = Math.round(voice * word * 0.8 * 32767);
  }
  return out;
}

function quota(over: Partial<FolderQuota>): FolderQuota {
  const q: FolderQuota = { OccupiedStorage: null, TotalStorage: null, FaxOccupiedMessages: null, FaxMessagesQuota: null, VMOccupiedMessages: null, VMMessagesQuota: null, GreetingsOccupied: null, GreetingsQuota: null, NormalGreetingOccupied: null, NormalGreetingQuota: null, VoiceSignatureOccupied: null, VoiceSignatureQuota: null };
  return { ...q, ...over };
}

async function step(opts: OpOptions, phase: string): Promise<void> {
  throwIfAborted(opts.signal);
  opts.onProgress?.({ phase });
  await new Promise((r) => setTimeout(r, 5));
  throwIfAborted(opts.signal);
}

/** Builds the stand-in engine. `now` fixes the clock used for dates. */
export function createStandInEngine(now: () => number = () => Date.now()): DesktopEngine {
  const t0 = now();
  const iso = (msAgo: number) => new Date(t0 - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const day = 86_400_000;
  const voicemails: Voicemail[] = [
    { id: 'VV-Mail/Inbox/demo-0003', from: '12065550143', date: iso(35 * 60_000), expires: iso(-29 * day), duration: 7, read: false, size: 11_520, filename: 'voicemail-3.amr', keep: false, contentType: 'audio/amr' },
    { id: 'VV-Mail/Inbox/demo-0002', from: '14255550178', date: iso(1 * day + 3_600_000), expires: iso(-28 * day), duration: 5, read: false, size: 8_230, filename: 'voicemail-2.amr', keep: false, contentType: 'audio/amr' },
    { id: 'VV-Mail/Inbox/demo-0001', from: '13605550119', date: iso(6 * day), expires: null, duration: 4, read: true, size: 6_590, filename: 'voicemail-1.amr', keep: true, contentType: 'audio/amr' },
  ];
  let greetings: Greeting[] = [{ id: 'VV-Mail/Greetings/demo-g1', date: iso(40 * day), duration: 6, active: true, type: 'normal-greeting', subject: 'Greeting', size: 9_000, filename: 'greeting.amr' }];
  let profile: Profile = { vvmOn: true, blocked: false, newUserTutorial: false, language: 'eng', cosName: '1234', migrationDate: null, migrationStatus: true, attributes: {} };
  let mailboxPin = '0000';
  let settings = defaultSettings();
  let card: EngineCardStatus = { state: 'ready', reader: 'Demo reader', demo: true, iccid: '8901260000000000001', triesLeft: 3 };
  const listeners = new Set<(s: EngineCardStatus) => void>();
  let seq = 1;

  function setCard(next: EngineCardStatus): void {
    card = next;
    for (const l of listeners) l(card);
  }
  function find(id: string): Voicemail {
    const v = voicemails.find((x) => x.id === id);
    if (!v) throw new HttpError('http.notFound', 'That voicemail no longer exists', { hint: 'Refresh the list.' });
    return v;
  }

  return {
    cardStatus: () => card,
    probe: async () => {},
    watchCardStatus(l) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    async openLine() {
      // No mstore session behind the stand-in: background sync has nothing to run on.
      throw new CardError('card.absent', 'The stand-in engine has no card line');
    },
    async cardInfo(opts): Promise<CardInfoValue> {
      await step(opts, 'card');
      return { reader: 'Demo reader', app: 'ISIM', impi: '310260000000001@msg.pc.t-mobile.com', impu: ['sip:+12065550100@msg.pc.t-mobile.com', 'tel:+12065550100'], msisdn: '+12065550100', gba: 'GBA_ME' };
    },
    async diagnose(opts) {
      await step(opts, 'card');
      return { ok: true, steps: CHECKS.map((c) => ({ id: c.id, title: c.title, status: 'ok' as const, detail: 'stand-in engine' })) };
    },
    requests: () => [],
    async listReaders(opts) {
      await step(opts, 'card');
      return [{ name: 'Demo reader', cardPresent: true }];
    },
    async unlock(pin, opts) {
      await step(opts, 'verify');
      if (card.state === 'blocked') throw new CardError('card.pinBlocked', 'The SIM PIN is blocked', { hint: 'Unblock it with the PUK from your carrier.' });
      if (pin !== DEMO_PIN) {
        const left = Math.max(0, (card.triesLeft ?? 3) - 1);
        setCard({ ...card, state: left === 0 ? 'blocked' : 'locked', triesLeft: left });
        throw new CardError(left === 0 ? 'card.pinBlocked' : 'card.pinWrong', 'The SIM refused the PIN', { detail: { triesLeft: left }, hint: left === 0 ? 'Unblock it with the PUK.' : 'Check the PIN; the demo PIN is 1234.' });
      }
      setCard({ ...card, state: 'ready', triesLeft: 3 });
      return 'verified';
    },
    async listVoicemails(opts) {
      await step(opts, 'list');
      return voicemails.map((v) => ({ ...v }));
    },
    async voicemailAudio(id, opts) {
      const v = find(id);
      await step(opts, 'download');
      opts.onProgress?.({ phase: 'download', transferredBytes: v.size, totalBytes: v.size });
      await step(opts, 'decode');
      const pcm = synthesise(v.duration, voicemails.indexOf(v));
      const p = computePeaks(pcm, 600);
      return { wav: encodeWav(pcm, RATE), peaks: { min: p.min, max: p.max }, durationSec: pcm.length / RATE };
    },
    async setRead(ids, read, opts) {
      await step(opts, 'update');
      for (const id of ids) find(id).read = read;
    },
    async deleteVoicemails(ids, opts) {
      await step(opts, 'delete');
      for (const id of ids) voicemails.splice(voicemails.indexOf(find(id)), 1);
    },
    async exportVoicemails(ids, _format, _dir, opts) {
      await step(opts, 'export');
      for (const id of ids) find(id);
      return { written: ids.length, failed: [] };
    },
    async listGreetings(opts) {
      await step(opts, 'list');
      return greetings.map((g) => ({ ...g }));
    },
    async greetingAudio(id, opts) {
      const g = greetings.find((x) => x.id === id);
      if (!g) throw new HttpError('http.notFound', 'That greeting no longer exists');
      await step(opts, 'download');
      const pcm = synthesise(g.duration, 7);
      const p = computePeaks(pcm, 600);
      return { wav: encodeWav(pcm, RATE), peaks: { min: p.min, max: p.max }, durationSec: pcm.length / RATE };
    },
    async previewGreeting(input, opts) {
      await step(opts, 'encode');
      // The stand-in does not decode the recording; Opus in WebM is about 4 kB per second.
      const seconds = Math.max(1, Math.round(input.audio.length / 4000));
      const pcm = synthesise(seconds, 5);
      const p = computePeaks(pcm, 600);
      // A stand-in "AMR": the magic and one MR122-sized frame per 20 ms, all zero.
      const amr = new Uint8Array(6 + seconds * 50 * 32);
      amr.set(new TextEncoder().encode('#!AMR\n'));
      return { wav: encodeWav(pcm, RATE), peaks: { min: p.min, max: p.max }, durationSec: seconds, amr, encodedDurationSec: seconds, truncated: false };
    },
    async uploadGreeting(input: { type: GreetingType; activate: boolean } & ({ audio: Uint8Array; mimeType: string } | { amr: Uint8Array }), opts) {
      await step(opts, 'encode');
      const size = 'amr' in input ? input.amr.length : input.audio.length;
      opts.onProgress?.({ phase: 'upload', transferredBytes: 0, totalBytes: size });
      await step(opts, 'upload');
      const seconds = 'amr' in input ? Math.max(1, Math.round((input.amr.length - 6) / 32 / 50)) : Math.max(1, Math.round(input.audio.length / 4000));
      const g: Greeting = { id: `VV-Mail/Greetings/demo-up${seq++}`, date: iso(0), duration: seconds, active: false, type: input.type, subject: 'Recorded greeting', size, filename: 'greeting.amr' };
      greetings = [g, ...greetings];
      if (input.activate) greetings = greetings.map((x) => ({ ...x, active: x.id === g.id }));
    },
    async activateGreeting(id, opts) {
      await step(opts, 'activate');
      if (!greetings.some((g) => g.id === id)) throw new HttpError('http.notFound', 'That greeting no longer exists');
      greetings = greetings.map((g) => ({ ...g, active: g.id === id }));
    },
    async deleteGreeting(id, opts) {
      await step(opts, 'delete');
      greetings = greetings.filter((g) => g.id !== id);
    },
    async getProfile(opts) {
      await step(opts, 'profile');
      return { ...profile };
    },
    async setVvmActive(active, opts) {
      await step(opts, 'profile');
      profile = { ...profile, vvmOn: active };
    },
    async changeMailboxPin(oldPin, newPin, opts) {
      await step(opts, 'pin');
      if (oldPin !== mailboxPin) throw new HttpError('mstore.pinRejected', 'The current voicemail PIN is not correct', { detail: { reason: 'Invalid OLD PIN' } });
      if (/^(\d)\1+$/.test(newPin)) throw new HttpError('mstore.pinRejected', 'The new PIN repeats one digit', { detail: { reason: 'PIN has Repeated Digits' } });
      mailboxPin = newPin;
    },
    async getQuota(opts) {
      await step(opts, 'quota');
      return {
        voicemail: quota({ OccupiedStorage: 26, TotalStorage: 10_240, VMOccupiedMessages: voicemails.length, VMMessagesQuota: 40, FaxOccupiedMessages: 0, FaxMessagesQuota: 0 }),
        greeting: quota({ OccupiedStorage: 9, TotalStorage: 1_024, GreetingsOccupied: greetings.length, GreetingsQuota: 10, NormalGreetingOccupied: greetings.length, NormalGreetingQuota: 5, VoiceSignatureOccupied: 0, VoiceSignatureQuota: 1 }),
      };
    },
    getSettings: () => settings,
    async setSettings(s: Settings) {
      settings = s;
      return settings;
    },
  };
}
