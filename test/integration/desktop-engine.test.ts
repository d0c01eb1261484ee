// The desktop engine over the real services in demo mode: the in-process simulated SIM, the simulated
// BSF and mstore relay on loopback, the real GBA + digest + mstore client, and the audio engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopBackend, type DesktopBackend } from '../../main/app.js';
import { createDispatcher, type Dispatcher } from '../../main/ipc/dispatch.js';
import { createImplementations } from '../../main/ipc/implementations.js';
import { memoryPinStore } from '../../main/web-harness/run.js';
import { parseWav } from '../../main/protocol/wav.js';
import { loadDemoState } from '../../main/adapters/demo/demo-relay-state.js';
import { defaultSettings } from '../../shared/settings.js';

let dir: string;
let backend: DesktopBackend;
let d: Dispatcher;
const op = () => crypto.randomUUID();

beforeAll(async () => {
  if (spawnSync('ffmpeg', ['-version']).status !== 0) throw new Error('ffmpeg not found: apt-get install -y ffmpeg (or set FFMPEG_PATH)');
  dir = mkdtempSync(join(tmpdir(), 'vvm-desktop-'));
  backend = await createDesktopBackend({ env: { ...process.env, VVM_DEMO_DIR: join(dir, 'demo') }, settings: defaultSettings(), demo: true, pins: memoryPinStore() });
  d = createDispatcher(createImplementations(backend.engine, backend.pins, { chooseExportDirectory: async () => join(dir, 'export') }), { onInternal: (_c, e) => console.error(e) });
});
afterAll(async () => {
  await backend?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('desktop engine (demo mode, real services)', () => {
  it('reports the demo card once a session is open', async () => {
    const info = await d.dispatch('card:info', { opId: op() }, () => {});
    expect(info.ok, JSON.stringify(info)).toBe(true);
    const status = await d.dispatch('card:status', {}, () => {});
    expect(status).toMatchObject({ ok: true, value: { state: 'ready', demo: true, pinStored: false } });
  });

  it('lists voicemails, plays one (WAV + peaks) and marks it read', async () => {
    const list = await d.dispatch('voicemail:list', { opId: op() }, () => {});
    expect(list.ok, JSON.stringify(list)).toBe(true);
    if (!list.ok) return;
    expect(list.value.length).toBeGreaterThan(0);
    const first = list.value[0];
    if (!first) return;
    const audio = await d.dispatch('voicemail:audio', { id: first.id, opId: op() }, () => {});
    expect(audio.ok, JSON.stringify(audio.ok ? '' : audio.error)).toBe(true);
    if (!audio.ok) return;
    expect(new TextDecoder().decode(audio.value.wav.subarray(0, 4))).toBe('RIFF');
    expect(audio.value.peaks.length).toBeGreaterThan(10);
    expect(audio.value.durationSec).toBeGreaterThan(0);
    const mark = await d.dispatch('voicemail:markRead', { ids: [first.id], read: !first.read, opId: op() }, () => {});
    expect(mark.ok, JSON.stringify(mark)).toBe(true);
    const again = await d.dispatch('voicemail:list', { opId: op() }, () => {});
    expect(again.ok && again.value.find((v) => v.id === first.id)?.read).toBe(!first.read);
  });

  it('encodes and uploads a recorded greeting, and makes it active', async () => {
    // A WebM/Opus recording like MediaRecorder makes, generated with ffmpeg from a tone.
    const webm = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'libopus', '-f', 'webm', 'pipe:1']);
    const before = await d.dispatch('greeting:list', { opId: op() }, () => {});
    expect(before.ok).toBe(true);
    const up = await d.dispatch('greeting:upload', { type: 'normal-greeting', audio: new Uint8Array(webm), mimeType: 'audio/webm', activate: true, opId: op() }, () => {});
    expect(up.ok, JSON.stringify(up)).toBe(true);
    const after = await d.dispatch('greeting:list', { opId: op() }, () => {});
    expect(after.ok && before.ok ? after.value.length - before.value.length : -1).toBe(1);
    if (after.ok) expect(after.value.filter((g) => g.active)).toHaveLength(1);
    // The uploaded greeting plays back: downloaded, AMR decoded, WAV with peaks.
    const newest = after.ok ? [...after.value].sort((a, b) => b.date.localeCompare(a.date))[0] : undefined;
    const audio = await d.dispatch('greeting:audio', { id: newest?.id ?? '', opId: op() }, () => {});
    expect(audio.ok, JSON.stringify(audio.ok ? '' : audio.error)).toBe(true);
    if (audio.ok) expect(audio.value.durationSec).toBeGreaterThan(1.5);
  });

  it('previews the encoded greeting, and uploads exactly the AMR the preview decoded', async () => {
    // Half a second of silence, then a tone: the preview must show the trimming main will apply.
    const webm = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono:d=0.5', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=1.5:sample_rate=48000', '-filter_complex', '[0][1]concat=n=2:v=0:a=1', '-c:a', 'libopus', '-f', 'webm', 'pipe:1']);
    const phases: string[] = [];
    const preview = await d.dispatch('greeting:preview', { audio: new Uint8Array(webm), mimeType: 'audio/webm', opId: op() }, (p) => phases.push(p.phase));
    expect(preview.ok, JSON.stringify(preview.ok ? '' : preview.error)).toBe(true);
    if (!preview.ok) return;
    const { amr, wav, peaks, durationSec, encodedDurationSec } = preview.value;
    expect(phases).toContain('encode');
    expect(new TextDecoder().decode(amr.subarray(0, 6))).toBe('#!AMR\n');
    // The WAV is the AMR decoded: 8 kHz mono 16-bit, one 20 ms frame (160 samples) per 32-byte MR122 frame.
    const frames = (amr.length - 6) / 32;
    expect(Number.isInteger(frames)).toBe(true);
    expect(encodedDurationSec).toBeCloseTo(frames * 0.02, 6);
    expect(new TextDecoder().decode(wav.subarray(8, 12))).toBe('WAVE');
    expect(new DataView(wav.buffer, wav.byteOffset).getUint32(24, true)).toBe(8000);
    expect(durationSec).toBeCloseTo(encodedDurationSec, 6);
    // Silence trimmed (1.5 s of tone, not 2 s of input), and the waveform has the tone in it.
    expect(durationSec).toBeGreaterThan(1.2);
    expect(durationSec).toBeLessThan(1.8);
    expect(peaks.length).toBeGreaterThan(100);
    expect(Math.max(...peaks)).toBeGreaterThan(0.1);
    const up = await d.dispatch('greeting:upload', { type: 'voice-signature', amr, activate: false, opId: op() }, () => {});
    expect(up.ok, JSON.stringify(up)).toBe(true);
    // The simulated relay stored exactly the previewed bytes.
    const stored = loadDemoState(join(dir, 'demo')).greetings.filter((g) => g.audioBase64 !== undefined && Buffer.from(g.audioBase64, 'base64').equals(Buffer.from(amr)));
    expect(stored).toHaveLength(1);
    // And what the relay serves for it decodes to the preview's samples, sample for sample.
    const list = await d.dispatch('greeting:list', { opId: op() }, () => {});
    const mine = list.ok ? list.value.filter((g) => g.size === amr.length && g.type === 'voice-signature') : [];
    expect(mine.length).toBeGreaterThan(0);
    const played = await Promise.all(mine.map((g) => d.dispatch('greeting:audio', { id: g.id, opId: op() }, () => {})));
    const samplesOf = (w: Uint8Array) => {
      const s = parseWav(w).samples;
      return Buffer.from(s.buffer, s.byteOffset, s.byteLength);
    };
    expect(played.some((a) => a.ok && samplesOf(a.value.wav).equals(samplesOf(wav)))).toBe(true);
  });

  it('refuses to upload an "encoded greeting" that is not MR122 AMR-NB', async () => {
    const notAmr = new Uint8Array(6 + 32 * 10).fill(0x3c);
    const up = await d.dispatch('greeting:upload', { type: 'normal-greeting', amr: notAmr, activate: false, opId: op() }, () => {});
    expect(up.ok).toBe(false);
    if (!up.ok) expect(up.error.code).toBe('audio.failed');
  });

  it('reads profile and quotas', async () => {
    const p = await d.dispatch('profile:get', { opId: op() }, () => {});
    expect(p.ok, JSON.stringify(p)).toBe(true);
    const q = await d.dispatch('quota:get', { opId: op() }, () => {});
    expect(q.ok, JSON.stringify(q)).toBe(true);
  });
});
