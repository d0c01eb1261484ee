// Benchmark: (1) decode + waveform peaks of a 3-minute voicemail (AMR-NB with DTX), (2) encoding a 100 s
// greeting (44.1 kHz stereo WAV -> 8 kHz mono -> loudness normalisation -> MR122 AMR-NB + preview). Each is reported as a RATIO to a
// bare `ffmpeg ... -f null -` decode or encode of the same input measured in the same run, for both codec
// paths (opencore JS with Debian's ffmpeg; ffmpeg's libopencore_amrnb in the static build).
// Run through the bench runner (npm run bench) or alone: node out/test/bench/audio.js
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAudioEngine } from '../../main/app.js';
import { parseAmr } from '../../main/protocol/amr/amr-file.js';
import { PlaybackService } from '../../main/services/audio/playback.js';
import { installerFfmpeg, requireTool, soxAmrDtx, speechWav, tempDir } from '../support/audio.js';
import type { BenchResult } from './bench-result.js';

const RUNS = 3;
// Generous ceilings: the work includes everything the app does around the codec (WAV, peaks, loudness
// normalisation, validation, preview decode), the JS path runs opencore as asm.js against a native bare
// run, and the build machines are shared (2 cores); a ratio above these means something got much slower.
// Measured on an idle machine: decode+peaks 1.1-1.4x, greeting 1.0-1.6x.
const DECODE_RATIO_MAX = 5;
const ENCODE_RATIO_MAX = 6;

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

function bare(ffmpeg: string, args: string[]): () => Promise<void> {
  return async () => {
    execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostats', ...args], { stdio: 'ignore' });
  };
}

/** Runs both benchmarks; figures in milliseconds and ratios. */
export async function bench(): Promise<BenchResult[]> {
  const tmp = tempDir('vvm-bench-audio-');
  try {
    const system = requireTool('ffmpeg');
    const opencore = installerFfmpeg();
    const speech = speechWav(tmp.dir, 'speech.wav', 'Hi, this is a long voicemail to measure how fast the desktop app decodes and draws it. I will keep talking for a while, with pauses.');
    // 3 minutes of speech with pauses, stored as the network does (AMR-NB with DTX).
    const long = join(tmp.dir, 'long.wav');
    execFileSync(system, ['-v', 'error', '-y', '-stream_loop', '40', '-i', speech, '-af', 'apad=pad_dur=0.5', '-t', '180', '-ar', '8000', '-ac', '1', long]);
    const voicemail = new Uint8Array(readFileSync(soxAmrDtx(long, join(tmp.dir, 'vm.amr'))));
    const vmFile = join(tmp.dir, 'vm.amr');
    const vmSeconds = parseAmr(voicemail).durationMs / 1000;
    // A 100 s greeting as an import would give it: 44.1 kHz stereo WAV.
    const greetingWav = join(tmp.dir, 'greeting.wav');
    execFileSync(system, ['-v', 'error', '-y', '-stream_loop', '30', '-i', speech, '-t', '100', '-ar', '44100', '-ac', '2', greetingWav]);
    const greeting = new Uint8Array(readFileSync(greetingWav));

    const paths = [
      { label: 'opencore-js + Debian ffmpeg', engine: createAudioEngine({ env: { PATH: process.env.PATH }, staticBinary: null, amrCodec: 'js' }) },
      { label: 'ffmpeg libopencore', engine: createAudioEngine({ env: { FFMPEG_PATH: opencore }, staticBinary: null }) },
    ];
    const baseDecode = await median(bare(opencore, ['-c:a', 'libopencore_amrnb', '-i', vmFile, '-f', 'null', '-']));
    const baseEncode = await median(bare(opencore, ['-i', greetingWav, '-ac', '1', '-ar', '8000', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k', '-f', 'null', '-']));
    const rows: BenchResult[] = [
      { name: `audio: bare ffmpeg decode ${Math.round(vmSeconds)} s AMR (-f null)`, value: baseDecode, unit: 'ms' },
      { name: 'audio: bare ffmpeg encode 100 s to AMR (-f null)', value: baseEncode, unit: 'ms' },
    ];
    for (const p of paths) {
      await p.engine.report(); // resolve the codec and probe ffmpeg once, outside the timing
      const decode = await median(async () => {
        // A fresh service each time: no cache, the full decode + WAV + peaks.
        const svc = new PlaybackService({ amr: p.engine.amr });
        await svc.prepare('bench', async () => voicemail);
      });
      const encode = await median(() => p.engine.greeting.prepare(greeting));
      const dr = decode / baseDecode;
      const er = encode / baseEncode;
      rows.push(
        { name: `audio: decode+peaks 3 min voicemail (${p.label})`, value: dr, unit: 'x bare', target: `<= ${DECODE_RATIO_MAX}x`, ok: dr <= DECODE_RATIO_MAX, note: `${Math.round(decode)} ms` },
        { name: `audio: encode 100 s greeting (${p.label})`, value: er, unit: 'x bare', target: `<= ${ENCODE_RATIO_MAX}x`, ok: er <= ENCODE_RATIO_MAX, note: `${Math.round(encode)} ms incl. loudness + preview` },
      );
    }
    return rows;
  } finally {
    tmp.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await bench()) process.stdout.write(`${r.name}: ${r.value.toFixed(2)} ${r.unit} ${r.note ?? ''} ${r.ok === false ? 'MISSED' : ''}\n`);
}
