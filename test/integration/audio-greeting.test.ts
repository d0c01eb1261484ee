// Greetings from every supported input format, through real ffmpeg (Debian's, with the JS AMR codec; and
// the static build with libopencore_amrnb), checked with independent tools.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudioEngine } from '../../main/app.js';
import { parseAmr } from '../../main/protocol/amr/amr-file.js';
import type { AudioEngine } from '../../main/services/audio/engine.js';
import { bestCorrelation, ffmpegConvert, installerFfmpeg, integratedLoudness, referencePcm, speechWav, tempDir, toneWav, wavSamples, writeTemp } from '../support/audio.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const engines: Record<string, AudioEngine> = {};
const inputs: Record<string, string> = {};
let speechFile = '';

beforeAll(() => {
  speechFile = speechWav(tmp.dir, 'speech.wav', 'Hi, this is Alex. I cannot take your call right now. Please leave a message and I will call you back.');
  // What MediaRecorder and an import dialog would hand us.
  inputs.wav = ffmpegConvert(speechFile, `${tmp.dir}/in.wav`, ['-ar', '44100', '-ac', '2']);
  inputs.mp3 = ffmpegConvert(speechFile, `${tmp.dir}/in.mp3`, ['-c:a', 'libmp3lame', '-b:a', '64k']);
  inputs.m4a = ffmpegConvert(speechFile, `${tmp.dir}/in.m4a`, ['-c:a', 'aac', '-b:a', '64k']); // moov at the end
  inputs.flac = ffmpegConvert(speechFile, `${tmp.dir}/in.flac`, ['-c:a', 'flac']);
  inputs.ogg = ffmpegConvert(speechFile, `${tmp.dir}/in.ogg`, ['-c:a', 'libopus', '-b:a', '32k']);
  inputs.webm = ffmpegConvert(speechFile, `${tmp.dir}/in.webm`, ['-c:a', 'libopus', '-b:a', '32k', '-ar', '48000']);
  engines['debian-ffmpeg+opencore-js'] = createAudioEngine({ env: { PATH: process.env.PATH }, staticBinary: null, amrCodec: 'js' });
  engines['ffmpeg-libopencore'] = createAudioEngine({ env: { FFMPEG_PATH: installerFfmpeg() }, staticBinary: null });
});

describe.each(['debian-ffmpeg+opencore-js', 'ffmpeg-libopencore'])('greetings with %s', (path) => {
  const engine = () => {
    const e = engines[path];
    if (!e) throw new Error('engine not set up');
    return e;
  };

  it('uses the expected AMR codec', async () => {
    expect((await engine().report()).amrCodec).toBe(path === 'ffmpeg-libopencore' ? 'ffmpeg-libopencore' : 'opencore-js');
  });

  it.each(['wav', 'mp3', 'm4a', 'flac', 'ogg', 'webm'])('%s input -> MR122 AMR-NB without DTX, same duration (one frame), recognisable speech', async (fmt) => {
    const file = inputs[fmt] ?? '';
    const input = new Uint8Array(readFileSync(file));
    const g = await engine().greeting.prepare(input);
    const info = parseAmr(g.amr);
    expect(info.modeCounts[7]).toBe(info.frames);
    expect(info.sidFrames + info.noDataFrames).toBe(0);
    const reference = referencePcm(file);
    expect(Math.abs(g.durationMs - (reference.length / 8000) * 1000)).toBeLessThanOrEqual(20);
    const preview = wavSamples(g.previewWav);
    expect(preview.sampleRate).toBe(8000);
    expect(preview.samples.length).toBe(info.frames * 160);
    expect(bestCorrelation(reference, preview.samples)).toBeGreaterThan(0.6);
    expect(g.durationSeconds).toBe(Math.round(g.durationMs / 1000));
  });

  it('the preview is the uploaded AMR as a caller hears it: the other opencore path decodes g.amr to the same audio', async () => {
    const g = await engine().greeting.prepare(new Uint8Array(readFileSync(inputs.mp3 ?? '')));
    const other = engines[path === 'ffmpeg-libopencore' ? 'debian-ffmpeg+opencore-js' : 'ffmpeg-libopencore'];
    if (!other) throw new Error('engine not set up');
    const heard = await other.amr.decode(g.amr);
    const preview = wavSamples(g.previewWav).samples;
    expect(preview.length).toBe(heard.length);
    expect(bestCorrelation(heard, preview, 0)).toBeGreaterThan(0.99); // same bytes, same codec: no lag, no drift
  });

  it('normalises loudness towards -19 LUFS (a quiet recording comes out near the target)', async () => {
    const quiet = ffmpegConvert(speechFile, `${tmp.dir}/quiet-${path}.wav`, ['-af', 'volume=-18dB']);
    const before = integratedLoudness(quiet);
    const g = await engine().greeting.prepare(new Uint8Array(readFileSync(quiet)));
    const after = integratedLoudness(writeTemp(tmp.dir, `quiet-out-${path}.wav`, g.previewWav));
    expect(before).toBeLessThan(-30);
    expect(Math.abs(after - -19)).toBeLessThan(1);
  });

  it('trims leading and trailing silence on request', async () => {
    const padded = ffmpegConvert(speechFile, `${tmp.dir}/padded-${path}.wav`, ['-af', 'adelay=2000,apad=pad_dur=2']);
    const input = new Uint8Array(readFileSync(padded));
    const kept = await engine().greeting.prepare(input);
    const trimmed = await engine().greeting.prepare(input, { trimSilence: true });
    const speechMs = (referencePcm(speechFile).length / 8000) * 1000;
    expect(kept.durationMs).toBeGreaterThan(speechMs + 3800);
    expect(trimmed.durationMs).toBeLessThan(speechMs + 300);
    expect(trimmed.durationMs).toBeGreaterThan(speechMs - 600);
  });

  it('rejects 100.1 s with audio.tooLong, accepts 100 s, and cuts to 100 s on request', async () => {
    const long = new Uint8Array(readFileSync(toneWav(tmp.dir, `long-${path}.wav`, 440, 100.1)));
    await expect(engine().greeting.prepare(long)).rejects.toMatchObject({ code: 'audio.tooLong' });
    const cut = await engine().greeting.prepare(long, { trimToLimit: true });
    expect(cut.durationMs).toBe(100_000);
    expect(cut.truncated).toBe(true);
    const exact = await engine().greeting.prepare(new Uint8Array(readFileSync(toneWav(tmp.dir, `exact-${path}.wav`, 440, 100))));
    expect(exact.durationMs).toBe(100_000);
    expect(exact.truncated).toBe(false);
  });

  it('only silence, trimmed on request, is audio.empty (nothing to upload), untrimmed it is kept', async () => {
    const silence = new Uint8Array(readFileSync(toneWav(tmp.dir, `silence-${path}.wav`, 440, 3, 8000, 0)));
    await expect(engine().greeting.prepare(silence, { trimSilence: true })).rejects.toMatchObject({ code: 'audio.empty' });
    expect((await engine().greeting.prepare(silence)).durationMs).toBe(3000);
  });

  it('an AMR-NB input (with DTX) is re-encoded as MR122', async () => {
    const amrIn = ffmpegConvert(speechFile, `${tmp.dir}/in-${path}.amr`, ['-ar', '8000', '-ac', '1', '-c:a', 'libopencore_amrnb', '-b:a', '7.4k', '-dtx', '1'], installerFfmpeg());
    const bytes = new Uint8Array(readFileSync(amrIn));
    expect(parseAmr(bytes).modeCounts[4]).toBeGreaterThan(0);
    const g = await engine().greeting.prepare(bytes);
    expect(g.info.modeCounts[7]).toBe(g.info.frames);
    expect(g.durationMs).toBe(parseAmr(bytes).durationMs);
  });

  it('empty and corrupt input give typed errors', async () => {
    await expect(engine().greeting.prepare(new Uint8Array(0))).rejects.toMatchObject({ code: 'audio.empty' });
    const junk = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff);
    await expect(engine().greeting.prepare(junk)).rejects.toMatchObject({ code: 'audio.invalid' });
    await expect(engine().greeting.prepare(new TextEncoder().encode('#!AMR\n\x3c\x00'))).rejects.toMatchObject({ code: 'audio.invalid' });
    // A playlist that makes ffmpeg read a local file (it would, with the 'file' protocol we allow for
    // MP4 temp files) is refused by the container whitelist.
    const playlist = new TextEncoder().encode(`#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile://${inputs.mp3}\n#EXT-X-ENDLIST\n`);
    await expect(engine().greeting.prepare(playlist)).rejects.toMatchObject({ code: 'audio.invalid', message: expect.stringContaining('not accepted') });
  });

  it('cancellation kills the ffmpeg run', async () => {
    const long = new Uint8Array(readFileSync(toneWav(tmp.dir, `cancel-${path}.wav`, 440, 100)));
    const ac = new AbortController();
    const started = Date.now();
    const p = engine().greeting.prepare(long, { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await expect(p).rejects.toMatchObject({ code: 'op.cancelled' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('without ffmpeg', () => {
  it('FFMPEG_PATH to a missing file gives audio.ffmpegMissing with a hint', async () => {
    const e = createAudioEngine({ env: { FFMPEG_PATH: `${tmp.dir}/no-such-ffmpeg` }, staticBinary: null });
    await expect(e.greeting.prepare(new Uint8Array(readFileSync(inputs.wav ?? '')))).rejects.toMatchObject({ code: 'audio.ffmpegMissing', hint: expect.stringContaining('FFMPEG_PATH') });
  });

  it('an empty PATH gives audio.ffmpegMissing, while AMR playback still works with the JS codec', async () => {
    const e = createAudioEngine({ env: { PATH: '' }, staticBinary: null });
    await expect(e.greeting.prepare(new Uint8Array(readFileSync(inputs.wav ?? '')))).rejects.toMatchObject({ code: 'audio.ffmpegMissing' });
    await expect(e.transcoder.fromPcm(new Int16Array(800), 8000, 'mp3', {})).rejects.toMatchObject({ code: 'audio.ffmpegMissing' });
    const amr = await e.amr.encodeMr122(referencePcm(speechFile));
    const played = await e.playback.prepare('vm-1', async () => amr);
    expect(played.durationMs).toBe(parseAmr(amr).durationMs);
    expect((await e.report()).ffmpeg).toHaveProperty('missing');
  });
});
