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

  it('reads profile and quotas', async () => {
    const p = await d.dispatch('profile:get', { opId: op() }, () => {});
    expect(p.ok, JSON.stringify(p)).toBe(true);
    const q = await d.dispatch('quota:get', { opId: op() }, () => {});
    expect(q.ok, JSON.stringify(q)).toBe(true);
  });
});
