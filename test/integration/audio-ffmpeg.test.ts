// ffmpeg resolution, capability probing and the pipe runner against real binaries: Debian's ffmpeg (no AMR
// encoder) and the static build with libopencore_amrnb from @ffmpeg-installer (per-platform package).
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AutoAmrCodec, LazyFfmpeg } from '../../main/adapters/amr-codec/auto.js';
import { createAudioEngine } from '../../main/app.js';
import { ffmpegStaticBinary, locateFfmpeg, probeFfmpeg, requireEncoder, resolveFfmpeg } from '../../main/adapters/ffmpeg/locate.js';
import { FFMPEG_OUTFILE, FFMPEG_STDIN, FFMPEG_STDOUT, FfmpegRunner, needsSeekableInput } from '../../main/adapters/ffmpeg/runner.js';
import { FfmpegAmrCodec, UNTRUSTED_INPUT } from '../../main/adapters/ffmpeg/transcoder.js';
import { AudioError, CancelledError } from '../../main/errors.js';
import { ffmpegConvert, installerFfmpeg, requireTool, tempDir, toneWav, writeTemp } from '../support/audio.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const systemFfmpeg = requireTool('ffmpeg');
const systemDir = systemFfmpeg.slice(0, systemFfmpeg.lastIndexOf('/'));

describe('resolution order: ffmpeg-static, then FFMPEG_PATH, then PATH', () => {
  it('prefers the bundled binary, then FFMPEG_PATH, then PATH', () => {
    const inst = installerFfmpeg();
    expect(resolveFfmpeg({ env: { FFMPEG_PATH: systemFfmpeg, PATH: systemDir }, staticBinary: inst })).toEqual({ path: inst, source: 'ffmpeg-static' });
    expect(resolveFfmpeg({ env: { FFMPEG_PATH: inst, PATH: systemDir }, staticBinary: null })).toEqual({ path: inst, source: 'FFMPEG_PATH' });
    expect(resolveFfmpeg({ env: { PATH: `/nonexistent:${systemDir}` }, staticBinary: null })).toEqual({ path: systemFfmpeg, source: 'PATH' });
  });

  it('a bundled binary at the ffmpeg-static path is located, probed and reported as ffmpeg-static', async () => {
    // Stand-in for a user whose postinstall fetched ffmpeg-static: a real ffmpeg at "the package path".
    const bundled = join(tmp.dir, 'ffmpeg-static', 'ffmpeg');
    mkdirSync(join(tmp.dir, 'ffmpeg-static'));
    symlinkSync(installerFfmpeg(), bundled);
    const staticBinary = ffmpegStaticBinary(() => bundled);
    expect(staticBinary).toBe(bundled);
    const caps = await locateFfmpeg({ env: { FFMPEG_PATH: systemFfmpeg, PATH: systemDir }, staticBinary });
    expect(caps).toMatchObject({ path: bundled, source: 'ffmpeg-static' });
    expect(caps.encoders.has('libopencore_amrnb')).toBe(true);
    const report = await createAudioEngine({ env: { FFMPEG_PATH: systemFfmpeg, PATH: systemDir }, staticBinary }).report();
    expect(report.ffmpeg).toMatchObject({ path: bundled, source: 'ffmpeg-static' });
  });

  it('a bundled binary that does not run falls back to FFMPEG_PATH, then PATH; alone it is audio.ffmpegMissing', async () => {
    const broken = writeTemp(tmp.dir, 'broken-ffmpeg', new TextEncoder().encode('#!/bin/sh\nexit 126\n'));
    chmodSync(broken, 0o755);
    expect(ffmpegStaticBinary(() => broken)).toBe(broken);
    expect(await locateFfmpeg({ env: { FFMPEG_PATH: installerFfmpeg(), PATH: systemDir }, staticBinary: broken })).toMatchObject({ path: installerFfmpeg(), source: 'FFMPEG_PATH' });
    expect(await locateFfmpeg({ env: { PATH: systemDir }, staticBinary: broken })).toMatchObject({ path: systemFfmpeg, source: 'PATH' });
    await expect(locateFfmpeg({ env: { PATH: '' }, staticBinary: broken })).rejects.toMatchObject({ code: 'audio.ffmpegMissing', detail: { source: 'ffmpeg-static' } });
  });

  it('a broken FFMPEG_PATH is an error even when PATH has ffmpeg; nothing at all is an error', () => {
    const notExec = writeTemp(tmp.dir, 'ffmpeg', new TextEncoder().encode('not a program'));
    for (const env of [{ FFMPEG_PATH: notExec, PATH: systemDir }, { FFMPEG_PATH: `${tmp.dir}/missing` }, { PATH: '' }, {}]) {
      let err: unknown;
      try {
        resolveFfmpeg({ env, staticBinary: null });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AudioError);
      expect(err instanceof AudioError && err.code).toBe('audio.ffmpegMissing');
      expect(err instanceof AudioError && err.hint).toMatch(/apt-get install ffmpeg/);
    }
  });
});

describe('capability probe', () => {
  it('Debian ffmpeg: MP3/FLAC/Opus encoders and loudnorm, but no AMR encoder', async () => {
    const caps = await locateFfmpeg({ env: { PATH: systemDir }, staticBinary: null });
    expect(caps.version).toMatch(/^ffmpeg version /);
    for (const e of ['libmp3lame', 'flac', 'libopus', 'pcm_s16le']) expect(caps.encoders.has(e)).toBe(true);
    for (const f of ['loudnorm', 'silenceremove', 'areverse', 'aresample']) expect(caps.filters.has(f)).toBe(true);
    expect(caps.decoders.has('amrnb')).toBe(true);
    expect(caps.encoders.has('libopencore_amrnb')).toBe(false);
    expect(() => requireEncoder(caps, 'libopencore_amrnb', 'AMR-NB encoding')).toThrow(expect.objectContaining({ code: 'audio.codecMissing' }));
    expect(() => new FfmpegAmrCodec(caps, new FfmpegRunner(caps.path))).toThrow(expect.objectContaining({ code: 'audio.codecMissing' }));
  });

  it('the static build has libopencore_amrnb both ways; probes are memoised per binary', async () => {
    const p1 = probeFfmpeg(installerFfmpeg(), 'FFMPEG_PATH');
    const p2 = probeFfmpeg(installerFfmpeg(), 'FFMPEG_PATH');
    expect(p1).toBe(p2);
    const caps = await p1;
    expect(caps.encoders.has('libopencore_amrnb')).toBe(true);
    expect(caps.decoders.has('libopencore_amrnb')).toBe(true);
  });

  it('a program that is not ffmpeg fails the probe as audio.ffmpegMissing', async () => {
    await expect(probeFfmpeg(requireTool('false'), 'FFMPEG_PATH')).rejects.toMatchObject({ code: 'audio.ffmpegMissing' });
  });

  it('auto codec choice: opencore JS with Debian ffmpeg (its native decoder fails on DTX), libopencore with the static build', async () => {
    expect((await new AutoAmrCodec(new LazyFfmpeg({ env: { PATH: systemDir }, staticBinary: null })).resolve()).name).toBe('opencore-js');
    expect((await new AutoAmrCodec(new LazyFfmpeg({ env: { FFMPEG_PATH: installerFfmpeg() }, staticBinary: null })).resolve()).name).toBe('ffmpeg-libopencore');
    expect((await new AutoAmrCodec(new LazyFfmpeg({ env: {}, staticBinary: null })).resolve()).name).toBe('opencore-js');
  });
});

describe('FfmpegRunner', () => {
  const runner = new FfmpegRunner(systemFfmpeg, 2);
  const endless = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000', '-f', 's16le', FFMPEG_STDOUT];

  it('pipes stdin to stdout', async () => {
    const pcm = new Uint8Array(16_000).map((_, i) => i & 0xff);
    const out = await runner.run(['-f', 's16le', '-ar', '8000', '-ac', '1', '-i', FFMPEG_STDIN, '-f', 's16le', FFMPEG_STDOUT], { input: pcm });
    expect(Array.from(out)).toEqual(Array.from(pcm));
  });

  it('reads MP4/M4A with the index at the end through a private temp dir, removed afterwards', async () => {
    const m4a = ffmpegConvert(toneWav(tmp.dir, 'tone.wav', 440, 2), join(tmp.dir, 'tone.m4a'), ['-c:a', 'aac']);
    expect(needsSeekableInput(new Uint8Array(readFileSync(m4a)))).toBe(true);
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('vvm-ffmpeg-'));
    const out = await runner.run([...UNTRUSTED_INPUT, '-i', FFMPEG_STDIN, '-ac', '1', '-ar', '8000', '-f', 's16le', FFMPEG_STDOUT], { input: new Uint8Array(readFileSync(m4a)) });
    expect(Math.abs(out.length / 2 - 16000)).toBeLessThan(2000);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('vvm-ffmpeg-'))).toEqual(before);
  });

  it('writes seekable outputs (FFMPEG_OUTFILE) to a private temp file, reads them back and removes it', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('vvm-ffmpeg-'));
    const pcm = new Uint8Array(16_000).map((_, i) => (i * 7) & 0xff);
    const out = await runner.run(['-f', 's16le', '-ar', '8000', '-ac', '1', '-i', FFMPEG_STDIN, '-c:a', 'flac', '-f', 'flac', FFMPEG_OUTFILE], { input: pcm });
    // The header was finished by seeking back: STREAMINFO (RFC 9639 8.2) carries the total sample count.
    expect(new TextDecoder().decode(out.subarray(0, 4))).toBe('fLaC');
    expect(((out[21] ?? 0) & 0x0f) * 2 ** 32 + new DataView(out.buffer, out.byteOffset).getUint32(22)).toBe(8000);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('vvm-ffmpeg-'))).toEqual(before);
    await expect(runner.run(['-f', 's16le', '-ar', '8000', '-ac', '1', '-i', FFMPEG_STDIN, '-c:a', 'flac', '-f', 'flac', FFMPEG_OUTFILE], { input: pcm, maxOutputBytes: 10 })).rejects.toMatchObject({ code: 'audio.failed' });
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('vvm-ffmpeg-'))).toEqual(before);
  });

  it('is killed on abort (CancelledError) and on timeout (audio.failed, retryable)', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 100);
    await expect(runner.run(endless, { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
    await expect(runner.run(endless, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'audio.failed', retryable: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('caps output size', async () => {
    await expect(runner.run(endless, { maxOutputBytes: 100_000 })).rejects.toMatchObject({ code: 'audio.failed', detail: { maxOutputBytes: 100_000 } });
  });

  it('turns stderr into typed errors', async () => {
    const junk = Uint8Array.from({ length: 2048 }, (_, i) => (i * 131) & 0xff);
    await expect(runner.run(['-i', FFMPEG_STDIN, '-f', 's16le', FFMPEG_STDOUT], { input: junk })).rejects.toMatchObject({ code: 'audio.invalid' });
    await expect(runner.run(['-f', 's16le', '-ar', '8000', '-i', FFMPEG_STDIN, '-c:a', 'no_such_codec', '-f', 'null', '-'], { input: new Uint8Array(320) })).rejects.toMatchObject({ code: 'audio.codecMissing' });
    await expect(new FfmpegRunner(`${tmp.dir}/absent`).run(['-version'])).rejects.toMatchObject({ code: 'audio.ffmpegMissing' });
  });
});
