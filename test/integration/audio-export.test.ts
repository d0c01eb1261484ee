// Export: every format read back by independent decoders (ffprobe, sox) with the right tags and duration.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudioEngine } from '../../main/app.js';
import { parseAmr } from '../../main/protocol/amr/amr-file.js';
import type { AudioEngine } from '../../main/services/audio/engine.js';
import { EXPORT_FORMATS } from '../../main/services/audio/export.js';
import { ffprobe, ffprobePackets, referencePcm, soxAmrDtx, soxDuration, speechWav, tempDir } from '../support/audio.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

let engine: AudioEngine;
let payload: Uint8Array;
const item = { id: 'vm-42', from: '+12065550100', date: '2024-01-01T14:05:00Z' };
const fetchPayload = async () => payload;

beforeAll(() => {
  // A voicemail as the network stores it: AMR-NB with DTX (SID + NO_DATA frames).
  const speech = speechWav(tmp.dir, 'speech.wav', 'Hi, it is Sam. Call me back when you get this. Bye.');
  payload = new Uint8Array(readFileSync(soxAmrDtx(speech, join(tmp.dir, 'vm.amr'))));
  engine = createAudioEngine({ env: { PATH: process.env.PATH }, staticBinary: null, cacheDir: join(tmp.dir, 'cache') });
});

// Container durations: MP3 at 8 kHz (MPEG-2.5 Layer III) counts whole 72 ms frames, encoder delay and
// padding included (the Xing/LAME header records them for gapless decoders), so ffprobe's and libmad's
// (sox) figure is up to ~3 frames longer. Everything else is exact to within a few ms.
function tolerance(format: string): number {
  return format === 'mp3' ? 0.25 : 0.03;
}

const CODEC: Record<string, string> = { wav: 'pcm_s16le', mp3: 'mp3', flac: 'flac', opus: 'opus', amr: 'amr_nb' };

describe('voicemail export', () => {
  it.each([...EXPORT_FORMATS])('%s: readable by ffprobe with codec, duration and tags', async (format) => {
    const out = join(tmp.dir, `out-${format}`);
    const r = await engine.exporter.export([item], fetchPayload, { format, outDir: out, timeZone: 'UTC' });
    expect(r.failed).toEqual([]);
    const file = r.files[0]?.file ?? '';
    expect(file).toBe(`2024-01-01 14.05 +12065550100 (0m${String(Math.round(parseAmr(payload).durationMs / 1000)).padStart(2, '0')}s).${format}`);
    expect(readdirSync(out)).toEqual([file]); // no temporary files left
    const probe = ffprobe(join(out, file));
    expect(probe.streams[0]?.codec_name).toBe(CODEC[format]);
    const seconds = parseAmr(payload).durationMs / 1000;
    if (format === 'amr') {
      expect(Array.from(readFileSync(join(out, file)))).toEqual(Array.from(payload)); // the original bytes
      // ffprobe estimates AMR duration from the bit rate (wrong with DTX); count its packets (20 ms frames).
      expect(ffprobePackets(join(out, file)) * 0.02).toBeCloseTo(seconds, 5);
      return;
    }
    expect(Math.abs(Number(probe.format.duration) - seconds)).toBeLessThan(tolerance(format));
    // What a gapless decoder plays (ffmpeg honours the LAME header's delay and padding): within one AMR
    // frame for every format, MP3 included (through a pipe the header stayed empty: +0.156 s).
    expect(Math.abs(referencePcm(join(out, file)).length / 8000 - seconds)).toBeLessThanOrEqual(0.02);
    const tags = { ...probe.format.tags, ...probe.streams[0]?.tags };
    const lower = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
    expect(lower.artist).toBe('+12065550100');
    expect(lower.title).toBe('Voicemail from +12065550100');
    expect(lower.date).toBe('2024-01-01T14:05:00.000Z');
    expect(lower.comment).toContain('Duration 0m');
  });

  it.each(['wav', 'flac', 'mp3'] as const)('%s: sox (an independent decoder) agrees on the duration', async (format) => {
    const out = join(tmp.dir, `sox-${format}`);
    const r = await engine.exporter.export([item], fetchPayload, { format, outDir: out, timeZone: 'UTC' });
    expect(Math.abs(soxDuration(join(out, r.files[0]?.file ?? '')) - parseAmr(payload).durationMs / 1000)).toBeLessThan(tolerance(format));
  });

  it('batch with CSV manifest; never overwrites; numbered names on request', async () => {
    const out = join(tmp.dir, 'batch');
    const items = [item, { id: 'vm-43', from: null, date: '2024-02-03T04:05:06Z' }];
    const progress: number[] = [];
    const r = await engine.exporter.export(items, fetchPayload, { format: 'opus', outDir: out, manifest: 'csv', timeZone: 'UTC', onProgress: (p) => progress.push(p.done ?? -1) });
    expect(r.files).toHaveLength(2);
    expect(progress).toEqual([0, 1, 2]);
    const csv = readFileSync(join(out, 'manifest.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe('id,file,from,date,durationMs,format,bytes');
    expect(csv[1]).toContain('"vm-42"');
    expect(csv[2]).toContain('unknown');
    const again = await engine.exporter.export([item], fetchPayload, { format: 'opus', outDir: out, timeZone: 'UTC' });
    expect(again.failed[0]?.error.code).toBe('fs.exists');
    const numbered = await engine.exporter.export([item], fetchPayload, { format: 'opus', outDir: out, onExists: 'suffix', manifest: 'json', timeZone: 'UTC' });
    expect(numbered.files[0]?.file).toMatch(/ \(1\)\.opus$/);
    expect(numbered.manifest).toBe('manifest.json');
    expect(readdirSync(out).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('playback decodes the DTX voicemail once and caches WAV + peaks on disk', async () => {
    const cacheDir = join(tmp.dir, 'play-cache');
    const first = createAudioEngine({ env: { PATH: '' }, staticBinary: null, cacheDir });
    const a = await first.playback.prepare('vm-play', fetchPayload);
    expect(a.durationMs).toBe(parseAmr(payload).durationMs);
    expect(a.peaks.max.length).toBeGreaterThan(100);
    expect(readdirSync(cacheDir).length).toBe(2);
    const fresh = createAudioEngine({ env: { PATH: '' }, staticBinary: null, cacheDir });
    const b = await fresh.playback.prepare('vm-play', async () => {
      throw new Error('should come from the disk cache');
    });
    expect(b.peaks).toEqual(a.peaks);
    expect(fresh.playback.range('vm-play', 'bytes=0-99')?.status).toBe(206);
  });
});
