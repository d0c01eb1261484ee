// Both AMR-NB codec paths, both opencore-amr: the bundled JS build (used with Debian's ffmpeg, which has
// no AMR encoder) and ffmpeg's libopencore_amrnb (the static ffmpeg shipped in @ffmpeg-installer (per-platform package)).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpencoreJsAmrCodec } from '../../main/adapters/amr-codec/opencore-js.js';
import { probeFfmpeg } from '../../main/adapters/ffmpeg/locate.js';
import { FfmpegRunner } from '../../main/adapters/ffmpeg/runner.js';
import { FfmpegAmrCodec } from '../../main/adapters/ffmpeg/transcoder.js';
import { parseAmr } from '../../main/protocol/amr/amr-file.js';
import type { AmrCodecPort } from '../../main/services/audio/ports.js';
import { bestCorrelation, dominantFrequency, installerFfmpeg, referencePcm, soxAmrDtx, soxDuration, speechWav, tempDir, toneWav, writeTemp } from '../support/audio.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

let speech8k: Int16Array;
let dtxFile = '';
const codecs: Record<string, AmrCodecPort> = {};

beforeAll(async () => {
  const speech = speechWav(tmp.dir, 'speech.wav', 'Hello. You have reached the voicemail of Alex. Please leave a message after the tone, and I will call you back.');
  speech8k = referencePcm(speech);
  dtxFile = soxAmrDtx(speech, `${tmp.dir}/speech-dtx.amr`);
  const ff = installerFfmpeg();
  const caps = await probeFfmpeg(ff, 'FFMPEG_PATH');
  codecs['opencore-js'] = new OpencoreJsAmrCodec();
  codecs['ffmpeg-libopencore'] = new FfmpegAmrCodec(caps, new FfmpegRunner(ff, 2));
});

describe.each(['opencore-js', 'ffmpeg-libopencore'])('AMR-NB codec %s', (name) => {
  const codec = () => {
    const c = codecs[name];
    if (!c) throw new Error(`codec ${name} not set up`);
    return c;
  };

  it.each([440, 1000])('a %i Hz tone survives MR122 encode/decode: exact frame count, peak within 3 Hz', async (freq) => {
    const tone = referencePcm(toneWav(tmp.dir, `tone-${freq}.wav`, freq, 3.01));
    const amr = await codec().encodeMr122(tone);
    const info = parseAmr(amr);
    expect(info.frames).toBe(Math.ceil(tone.length / 160));
    expect(info.modeCounts[7]).toBe(info.frames); // MR122 only: no DTX/SID, no NO_DATA
    expect(Math.abs(info.durationMs - (tone.length / 8000) * 1000)).toBeLessThan(20);
    const back = await codec().decode(amr);
    expect(back.length).toBe(info.frames * 160);
    expect(Math.abs(dominantFrequency(back, 8000) - freq)).toBeLessThan(3);
  });

  it('speech stays recognisable (cross-correlation with the original)', async () => {
    const amr = await codec().encodeMr122(speech8k);
    const back = await codec().decode(amr);
    expect(Math.abs(back.length - speech8k.length)).toBeLessThan(160);
    expect(bestCorrelation(speech8k, back)).toBeGreaterThan(0.7);
  });

  it('decodes a DTX file (SID and NO_DATA frames from sox) to the full timeline', async () => {
    const bytes = new Uint8Array(readFileSync(dtxFile));
    const info = parseAmr(bytes);
    expect(info.sidFrames).toBeGreaterThan(0);
    expect(info.noDataFrames).toBeGreaterThan(0);
    const pcm = await codec().decode(bytes);
    expect(pcm.length).toBe(info.frames * 160);
    expect(bestCorrelation(speech8k, pcm)).toBeGreaterThan(0.5);
  });

  it('its files are read by an independent decoder (sox) with the same duration', async () => {
    const amr = await codec().encodeMr122(speech8k.subarray(0, 8000 * 2));
    const file = writeTemp(tmp.dir, `${name}.amr`, amr);
    expect(soxDuration(file)).toBeCloseTo(parseAmr(amr).durationMs / 1000, 2);
  });
});

describe('the two codec paths interoperate', () => {
  it('JS-encoded decodes with libopencore and vice versa, giving near-identical audio', async () => {
    const js = codecs['opencore-js'];
    const ff = codecs['ffmpeg-libopencore'];
    if (!js || !ff) throw new Error('codecs not set up');
    const a = await js.encodeMr122(speech8k);
    const b = await ff.encodeMr122(speech8k);
    expect(parseAmr(a).frames).toBe(parseAmr(b).frames);
    const aByFf = await ff.decode(a);
    const aByJs = await js.decode(a);
    expect(bestCorrelation(aByJs, aByFf, 0)).toBeGreaterThan(0.99);
    expect(bestCorrelation(speech8k, await js.decode(b))).toBeGreaterThan(0.7);
  });

  it('rejects corrupt AMR with the offset before calling the codec', async () => {
    const bad = new TextEncoder().encode('#!AMR\n\x3c\x01\x02');
    for (const c of Object.values(codecs)) await expect(c.decode(bad)).rejects.toMatchObject({ code: 'audio.invalid', detail: { offset: 6, frame: 0 } });
  });
});
