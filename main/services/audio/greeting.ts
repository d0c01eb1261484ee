// Greetings: any recording or imported file becomes what the mstore relay accepts (protocol notes,
// "Greeting upload"): AMR-NB, 8 kHz mono, 20 ms frames, here always mode MR122 (12.2 kbit/s) with DTX off
// so the caller hears full-rate speech throughout, at most 100 s (the carrier's custom-greeting limit).
import { AudioError, throwIfAborted } from '../../errors.js';
import { AMR_FRAME_MS, AMR_FRAME_SAMPLES, AMR_SAMPLE_RATE, isAmrNb, parseAmr, type AmrInfo } from '../../protocol/amr/amr-file.js';
import { computePeaks, type Peaks } from '../../protocol/peaks.js';
import { encodeWav } from '../../protocol/wav.js';
import type { OpOptions } from '../ports.js';
import { normalizeLoudness, type LoudnessTarget } from './loudness.js';
import type { AmrCodecPort, TranscoderPort } from './ports.js';

/** The server's greeting limit (TCL VVM config: custom greeting max 100 s). */
export const GREETING_MAX_MS = 100_000;

/**
 * EBU R128 loudness target for greetings. -19 LUFS integrated is the usual target for MONO spoken word
 * (it sounds as loud as -16 LUFS stereo, the AES TD1004 streaming recommendation), close to the nominal
 * active speech level phones are tuned for, and loud enough over a phone earpiece without clipping.
 * The -3 dBFS peak ceiling leaves headroom for the overshoot of AMR coding. Normalisation is linear
 * (loudness.ts), so speech dynamics are kept.
 */
export const GREETING_LOUDNESS: LoudnessTarget = { integrated: -19, truePeak: -3 };

/** Options of {@link GreetingService.prepare}. */
export interface GreetingOptions extends OpOptions {
  /** Remove leading and trailing silence (default false). */
  trimSilence?: boolean;
  /** Cut input longer than 100 s to 100 s instead of rejecting it with audio.tooLong (default false). */
  trimToLimit?: boolean;
  /** Loudness normalisation (default true). */
  normalize?: boolean;
}

/** An encoded greeting, ready to upload. */
export interface PreparedGreeting {
  /** The AMR-NB file ("#!AMR\n" + MR122 frames). */
  amr: Uint8Array;
  info: AmrInfo;
  /** Exact duration: frames x 20 ms. */
  durationMs: number;
  /** Whole seconds for the upload's `content-duration` attribute (rounded, at least 1). */
  durationSeconds: number;
  /** The encoded greeting decoded back to WAV: exactly what callers will hear. */
  previewWav: Uint8Array;
  /** Waveform peaks of {@link PreparedGreeting.previewWav} (for wavesurfer.js). */
  previewPeaks: Peaks;
  /** True when the input was cut to 100 s. */
  truncated: boolean;
  /** Loudness of the input and the gain applied (null without normalisation). */
  loudness: { measuredLufs: number; gainDb: number } | null;
}

/** Peaks per preview (wavesurfer resamples to its width), as playback uses for voicemails. */
const PREVIEW_PEAK_BUCKETS = 2000;

/** An already-encoded greeting, checked by {@link checkEncodedGreeting}. */
export interface EncodedGreeting {
  amr: Uint8Array;
  info: AmrInfo;
  durationMs: number;
  durationSeconds: number;
}

/**
 * Checks that `amr` is what {@link GreetingService.prepare} promises to upload: an AMR-NB file of MR122
 * speech frames only (no DTX/SID, no NO_DATA) of at most 100 s. Used on prepare's own output and on a
 * previewed greeting the renderer hands back for upload (so that one cannot be any other file).
 */
export function checkEncodedGreeting(amr: Uint8Array): EncodedGreeting {
  if (!isAmrNb(amr)) throw new AudioError('audio.failed', 'The encoded greeting is not an AMR-NB file.', { hint: 'Preview the greeting again, then upload.' });
  const info = parseAmr(amr);
  if (info.frames === 0) throw new AudioError('audio.empty', 'The encoded greeting has no audio frames.', { hint: 'Record again.' });
  if (info.modeCounts[7] !== info.frames) {
    throw new AudioError('audio.failed', `The greeting has frames other than MR122 (${info.frames - (info.modeCounts[7] ?? 0)} of ${info.frames}).`, {
      detail: { frames: info.frames, sid: info.sidFrames, noData: info.noDataFrames },
    });
  }
  if (info.durationMs > GREETING_MAX_MS) throw new AudioError('audio.failed', 'The encoded greeting exceeds 100 s.', { detail: { durationMs: info.durationMs } });
  return { amr, info, durationMs: info.durationMs, durationSeconds: Math.max(1, Math.round(info.durationMs / 1000)) };
}

/** Dependencies of {@link GreetingService}. */
export interface GreetingDeps {
  amr: AmrCodecPort;
  transcoder: TranscoderPort;
}

/** Turns recordings and imported audio into greetings. */
export class GreetingService {
  constructor(private readonly deps: GreetingDeps) {}

  async prepare(input: Uint8Array, opts: GreetingOptions = {}): Promise<PreparedGreeting> {
    const { signal, onProgress } = opts;
    if (input.length === 0) throw new AudioError('audio.empty', 'The greeting is empty (0 bytes).', { hint: 'Record again or choose a file that contains audio.' });
    throwIfAborted(signal);
    onProgress?.({ phase: 'decode' });
    // An AMR input goes through the same normalisation: decode it with opencore first (ffmpeg builds
    // without libopencore cannot read DTX frames), then hand the transcoder a WAV.
    const source = isAmrNb(input) ? encodeWav(await this.deps.amr.decode(input, signal), AMR_SAMPLE_RATE) : input;
    const maxSamples = (GREETING_MAX_MS / 1000) * AMR_SAMPLE_RATE;
    let pcm = await this.deps.transcoder.toPcm(source, {
      sampleRate: AMR_SAMPLE_RATE,
      trimSilence: opts.trimSilence === true,
      // Ask for a little more than the limit, to tell "too long" from "exactly 100 s".
      maxSeconds: GREETING_MAX_MS / 1000 + 1,
      ...(signal && { signal }),
    });
    let truncated = false;
    const frames = Math.ceil(pcm.length / AMR_FRAME_SAMPLES);
    if (frames * AMR_FRAME_MS > GREETING_MAX_MS) {
      if (!opts.trimToLimit) {
        throw new AudioError('audio.tooLong', `The greeting is longer than ${GREETING_MAX_MS / 1000} s (the server's limit).`, {
          detail: { maxSeconds: GREETING_MAX_MS / 1000, atLeastSeconds: Math.floor((pcm.length / AMR_SAMPLE_RATE) * 10) / 10 },
          hint: 'Record a shorter greeting, or ask to cut it to 100 s.',
          action: 'shortenGreeting',
        });
      }
      pcm = pcm.subarray(0, maxSamples);
      truncated = true;
    }
    if (pcm.length === 0) throw new AudioError('audio.empty', 'The greeting has no audio left (only silence?).', { hint: 'Record again, or do not trim silence.' });
    let loudness: PreparedGreeting['loudness'] = null;
    if (opts.normalize !== false) {
      onProgress?.({ phase: 'normalize' });
      const n = normalizeLoudness(pcm, AMR_SAMPLE_RATE, GREETING_LOUDNESS);
      pcm = n.samples;
      loudness = { measuredLufs: n.measuredLufs, gainDb: n.gainDb };
    }
    throwIfAborted(signal);
    onProgress?.({ phase: 'encode' });
    const amr = await this.deps.amr.encodeMr122(pcm, signal);
    // What we upload must be exactly what we promised: MR122 speech frames only, at most 100 s.
    const encoded = checkEncodedGreeting(amr);
    onProgress?.({ phase: 'preview' });
    const decoded = await this.deps.amr.decode(amr, signal);
    const previewWav = encodeWav(decoded, AMR_SAMPLE_RATE);
    onProgress?.({ phase: 'done' });
    return { ...encoded, previewWav, previewPeaks: computePeaks(decoded, PREVIEW_PEAK_BUCKETS), truncated, loudness };
  }
}
