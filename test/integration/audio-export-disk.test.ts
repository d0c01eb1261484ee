// Export against real disk trouble and real cancellation: a read-only folder and a full disk (small tmpfs
// mounts) give typed FsErrors and lose nothing; cancelling mid-batch leaves only complete files, no
// temporary files and no private ffmpeg temp folders. Needs root (or CAP_SYS_ADMIN) to mount tmpfs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudioEngine } from '../../main/app.js';
import { parseAmr } from '../../main/protocol/amr/amr-file.js';
import { LocalFileSink } from '../../main/adapters/fs/atomic-write.js';
import type { AudioEngine } from '../../main/services/audio/engine.js';
import { ExportService } from '../../main/services/audio/export.js';
import type { TranscoderPort } from '../../main/services/audio/ports.js';
import { ffprobe, referencePcm, soxAmrDtx, speechWav, tempDir } from '../support/audio.js';

const tmp = tempDir('vvm-export-disk-');
const mounts: string[] = [];

function mountTmpfs(name: string, sizeBytes: number): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0755`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot mount a tmpfs (${r.stderr.trim() || r.error?.message}): run this test as root or in a container with CAP_SYS_ADMIN`);
  mounts.push(dir);
  return dir;
}

function remountReadOnly(dir: string): void {
  const r = spawnSync('mount', ['-o', 'remount,ro', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot remount ${dir} read-only: ${r.stderr}`);
}

afterAll(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  for (const m of mounts.reverse()) spawnSync('umount', [m]);
  tmp.cleanup();
});

let engine: AudioEngine;
let payload: Uint8Array;
let seconds = 0;
const items = ['vm-1', 'vm-2', 'vm-3', 'vm-4'].map((id, i) => ({ id, from: '+12065550100', date: `2024-01-0${i + 1}T14:05:00Z` }));
const fetchPayload = async () => payload;
// ffmpeg's temporary folders live in the private vvm-desk-<uid> folder (older builds: TMPDIR itself).
const ffmpegTempDirs = () =>
  [tmpdir(), join(tmpdir(), `vvm-desk-${process.getuid?.()}`)].flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.startsWith('vvm-ffmpeg-')) : []));
const savedTmp = process.env.TMPDIR;

beforeAll(() => {
  // A private TMPDIR (os.tmpdir() reads it on each call): other processes' ffmpeg temp folders cannot
  // disturb the "nothing left behind" checks.
  const privateTmp = join(tmp.dir, 'tmp');
  mkdirSync(privateTmp);
  process.env.TMPDIR = privateTmp;
  const speech = speechWav(tmp.dir, 'speech.wav', 'Hi, it is Sam. Call me back when you get this. Bye.');
  payload = new Uint8Array(readFileSync(soxAmrDtx(speech, join(tmp.dir, 'vm.amr'))));
  seconds = parseAmr(payload).durationMs / 1000;
  engine = createAudioEngine({ env: { PATH: process.env.PATH }, staticBinary: null });
});

describe('export and the disk', () => {
  it('a read-only folder: every item fails with a typed fs.failed (EROFS), the files already there are untouched', async () => {
    const dir = mountTmpfs('readonly', 1 << 20);
    writeFileSync(join(dir, 'earlier.mp3'), 'earlier export');
    remountReadOnly(dir);
    const r = await engine.exporter.export(items.slice(0, 2), fetchPayload, { format: 'mp3', outDir: dir, manifest: 'csv', timeZone: 'UTC' });
    expect(r.files).toEqual([]);
    expect(r.failed.map((f) => [f.id, f.error.code])).toEqual([
      ['vm-1', 'fs.failed'],
      ['vm-2', 'fs.failed'],
    ]);
    expect(r.failed[0]?.error.detail).toMatchObject({ errno: 'EROFS' });
    expect(r.manifest).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['earlier.mp3']);
    expect(readFileSync(join(dir, 'earlier.mp3'), 'utf8')).toBe('earlier export');
  });

  it('a full disk: the batch stops with fs.failed (ENOSPC); complete files and earlier files stay, nothing partial', async () => {
    const wavBytes = 44 + Math.round(seconds * 8000) * 2 + 512; // PCM plus header and tags
    const dir = mountTmpfs('small', Math.ceil((wavBytes * 1.6) / 4096) * 4096); // room for one export, not two
    writeFileSync(join(dir, 'keep.txt'), 'keep me');
    const r = await engine.exporter.export(items, fetchPayload, { format: 'wav', outDir: dir, timeZone: 'UTC' });
    expect(r.files.map((f) => f.id)).toEqual(['vm-1']);
    expect(r.failed.map((f) => [f.id, f.error.code])).toEqual([
      ['vm-2', 'fs.failed'],
      ['vm-3', 'fs.failed'],
      ['vm-4', 'fs.failed'],
    ]);
    expect(r.failed[0]?.error.detail).toMatchObject({ errno: 'ENOSPC' });
    expect(readdirSync(dir).sort()).toEqual([r.files[0]?.file, 'keep.txt'].sort());
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('keep me');
    expect(Math.abs(referencePcm(join(dir, r.files[0]?.file ?? '')).length / 8000 - seconds)).toBeLessThanOrEqual(0.02);
  });
});

describe('cancelling an export batch', () => {
  it('between items: only the complete files stay, no temporary files, no ffmpeg temp folders', async () => {
    const out = join(tmp.dir, 'cancel-between');
    const ac = new AbortController();
    const run = engine.exporter.export(items, fetchPayload, {
      format: 'mp3',
      outDir: out,
      timeZone: 'UTC',
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done === 2) ac.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'op.cancelled' });
    const left = readdirSync(out).sort();
    expect(left).toHaveLength(2);
    for (const f of left) {
      expect(f).toMatch(/^2024-01-0[12] 14\.05 \+12065550100 \(0m\d\ds\)\.mp3$/);
      expect(Math.abs(referencePcm(join(out, f)).length / 8000 - seconds)).toBeLessThanOrEqual(0.02); // whole, not cut
      expect(ffprobe(join(out, f)).streams[0]?.codec_name).toBe('mp3');
    }
    expect(ffmpegTempDirs()).toEqual([]);
  });

  it('while ffmpeg encodes: the process is killed, no file, no temporary file, no ffmpeg temp folder', async () => {
    // A long voicemail keeps ffmpeg busy long enough to be caught mid-encode.
    const tone = new Int16Array(8000 * 600).map((_, i) => Math.round(8000 * Math.sin(i / 3)));
    const long = await engine.amr.encodeMr122(tone);
    const out = join(tmp.dir, 'cancel-during');
    const ac = new AbortController();
    const started = Date.now();
    // The real transcoder (ffmpeg writing MP3 to its private seekable temp file), aborted once it runs.
    const transcoder: TranscoderPort = {
      toPcm: (input, o) => engine.transcoder.toPcm(input, o),
      fromPcm: (...args) => {
        setTimeout(() => ac.abort(), 80);
        return engine.transcoder.fromPcm(...args);
      },
    };
    const exporter = new ExportService({ playback: engine.playback, transcoder, sink: new LocalFileSink() });
    const run = exporter.export([{ id: 'vm-long', from: null, date: '2024-05-05T05:05:05Z' }], async () => long, { format: 'mp3', outDir: out, timeZone: 'UTC', signal: ac.signal });
    await expect(run).rejects.toMatchObject({ code: 'op.cancelled' });
    expect(Date.now() - started).toBeLessThan(20_000);
    // The private TMPDIR holds at most our own 0700 parent folder (vvm-desk-<uid>), and it is empty.
    const ours = readdirSync(tmpdir());
    expect(ours.every((n) => /^vvm-desk(-\d+)?$/.test(n))).toBe(true);
    for (const n of ours) expect(readdirSync(join(tmpdir(), n))).toEqual([]);
    let left: string[] = [];
    try {
      left = readdirSync(out);
    } catch {
      left = []; // the folder is only created when a file is written
    }
    expect(left).toEqual([]);
    expect(ffmpegTempDirs()).toEqual([]);
  });
});
