// ffmpeg-static preference: the bundled binary wins whenever its file exists (a user with internet got it
// from the postinstall), and is ignored when the download did not happen. Fake files stand in for the
// binary here; the real binaries are probed in test/integration/audio-ffmpeg.test.ts.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ffmpegStaticBinary, ffmpegStaticModulePath, findOnPath, resolveFfmpeg } from '../../../../main/adapters/ffmpeg/locate.js';

const root = mkdtempSync(join(tmpdir(), 'vvm-locate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A file named ffmpeg in its own folder; executable unless told otherwise. */
function fakeBinary(sub: string, executable = true): string {
  const d = join(root, sub);
  mkdirSync(d, { recursive: true });
  const p = join(d, 'ffmpeg');
  writeFileSync(p, '#!/bin/sh\nexit 0\n');
  chmodSync(p, executable ? 0o755 : 0o644);
  return p;
}

describe('ffmpeg-static binary', () => {
  it('is where ffmpeg-static downloads to (the path its index.js computes), whatever FFMPEG_BIN says', () => {
    const saved = process.env.FFMPEG_BIN;
    try {
      delete process.env.FFMPEG_BIN;
      const req = createRequire(import.meta.url);
      const exported: unknown = req('ffmpeg-static');
      expect(ffmpegStaticModulePath()).toBe(exported);
      expect(String(ffmpegStaticModulePath('win32'))).toMatch(/node_modules[\\/]ffmpeg-static[\\/]ffmpeg\.exe$/);
      process.env.FFMPEG_BIN = '/somewhere/else/ffmpeg';
      expect(ffmpegStaticModulePath()).toBe(exported);
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_BIN;
      else process.env.FFMPEG_BIN = saved;
    }
  });

  it('is used when the file exists and is executable, ignored when missing, not executable or unresolvable', () => {
    const present = fakeBinary('static');
    expect(ffmpegStaticBinary(() => present)).toBe(present);
    expect(ffmpegStaticBinary(() => join(root, 'absent', 'ffmpeg'))).toBeNull();
    if (process.platform !== 'win32' && process.getuid?.() !== 0) expect(ffmpegStaticBinary(() => fakeBinary('noexec', false))).toBeNull();
    expect(ffmpegStaticBinary(() => root)).toBeNull(); // a folder is not a binary
    expect(ffmpegStaticBinary(() => null)).toBeNull(); // ffmpeg-static exports null on unsupported platforms
    expect(
      ffmpegStaticBinary(() => {
        throw new Error("Cannot find module 'ffmpeg-static'");
      }),
    ).toBeNull();
  });

  it('wins over FFMPEG_PATH and PATH when present; otherwise FFMPEG_PATH, then PATH', () => {
    const bundled = ffmpegStaticBinary(() => fakeBinary('bundled'));
    const configured = fakeBinary('configured');
    const onPath = fakeBinary('onpath');
    const PATH = [join(root, 'nowhere'), join(root, 'onpath')].join(delimiter);
    expect(resolveFfmpeg({ env: { FFMPEG_PATH: configured, PATH }, staticBinary: bundled })).toEqual({ path: bundled, source: 'ffmpeg-static' });
    const notDownloaded = ffmpegStaticBinary(() => join(root, 'never-downloaded', 'ffmpeg'));
    expect(resolveFfmpeg({ env: { FFMPEG_PATH: configured, PATH }, staticBinary: notDownloaded })).toEqual({ path: configured, source: 'FFMPEG_PATH' });
    expect(resolveFfmpeg({ env: { PATH }, staticBinary: notDownloaded })).toEqual({ path: onPath, source: 'PATH' });
    expect(findOnPath(PATH, 'linux')).toBe(onPath);
  });

  it('a missing ffmpeg everywhere is audio.ffmpegMissing with an install hint', () => {
    expect(() => resolveFfmpeg({ env: { PATH: join(root, 'nowhere') }, staticBinary: null })).toThrow(expect.objectContaining({ code: 'audio.ffmpegMissing', hint: expect.stringMatching(/FFMPEG_PATH/) }));
  });
});
