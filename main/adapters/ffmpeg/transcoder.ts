// TranscoderPort and AmrCodecPort on top of ffmpeg.
import { AudioError } from '../../errors.js';
import { AMR_FRAME_SAMPLES, parseAmr, truncateAmr } from '../../protocol/amr/amr-file.js';
import { encodeWav } from '../../protocol/wav.js';
import type { AmrCodecPort, AudioTags, EncodedFormat, ToPcmOptions, TranscoderPort } from '../../services/audio/ports.js';
import { requireEncoder, requireFilter, type FfmpegCapabilities } from './locate.js';
import { FFMPEG_OUTFILE, FFMPEG_STDIN, FFMPEG_STDOUT, type FfmpegRunner } from './runner.js';

function pcmBytes(pcm: Int16Array): Uint8Array {
  // s16le on the wire; copy through a DataView so the result does not depend on host endianness.
  const out = new Uint8Array(pcm.length * 2);
  const v = new DataView(out.buffer);
  for (let i = 0; i < pcm.length; i++) v.setInt16(i * 2, pcm[i] ?? 0, true);
  return out;
}

function pcmFromBytes(bytes: Uint8Array): Int16Array {
  const n = Math.floor(bytes.length / 2);
  const out = new Int16Array(n);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = v.getInt16(i * 2, true);
  return out;
}

function metadataArgs(tags: AudioTags): string[] {
  const args: string[] = [];
  for (const [k, v] of Object.entries(tags)) {
    if (typeof v === 'string' && v !== '') args.push('-metadata', `${k}=${v}`);
  }
  return args;
}

/** WAV is written in-process (LIST/INFO tags): no ffmpeg needed. */
export function wavWithTags(pcm: Int16Array, sampleRate: number, tags: AudioTags): Uint8Array {
  return encodeWav(pcm, sampleRate, 1, { ...(tags.title && { title: tags.title }), ...(tags.artist && { artist: tags.artist }), ...(tags.date && { date: tags.date }), ...(tags.comment && { comment: tags.comment }) });
}

/**
 * Input options for bytes we did not produce (imports, recordings, server payloads): only the container
 * formats we support may be probed, and only stdin or our private temp file may be opened. Without this a
 * crafted playlist (HLS, concat) could make ffmpeg read local files or fetch URLs into the output.
 */
export const UNTRUSTED_INPUT = ['-protocol_whitelist', 'pipe,file', '-format_whitelist', 'wav,mp3,mov,mp4,m4a,3gp,flac,ogg,matroska,webm,amr,aac'];

/** Extra input read beyond `maxSeconds`, for silence that trimming removes. */
const INPUT_MARGIN_S = 300;

const PCM_IN = (rate: number) => ['-f', 's16le', '-ar', String(rate), '-ac', '1', '-i', FFMPEG_STDIN];

/**
 * Encoder, muxer and output per export format. MP3 and FLAC finish their headers by seeking back at the
 * end (the Xing/LAME frame with frame count, encoder delay and padding; FLAC STREAMINFO's total samples
 * and MD5, RFC 9639 section 8.2), so they are written to a seekable temp file; Ogg pages carry granule
 * positions (RFC 7845 section 4), so a pipe gives an exact duration.
 */
const FORMAT_ARGS: Record<Exclude<EncodedFormat, 'wav'>, { encoder: string; args: string[]; purpose: string; output: string }> = {
  mp3: { encoder: 'libmp3lame', args: ['-c:a', 'libmp3lame', '-b:a', '32k', '-write_xing', '1', '-f', 'mp3'], purpose: 'MP3 export', output: FFMPEG_OUTFILE },
  flac: { encoder: 'flac', args: ['-c:a', 'flac', '-f', 'flac'], purpose: 'FLAC export', output: FFMPEG_OUTFILE },
  // Opus at 8 kHz input, VoIP tuning; Ogg container (RFC 7845).
  opus: { encoder: 'libopus', args: ['-c:a', 'libopus', '-b:a', '16k', '-application', 'voip', '-f', 'ogg'], purpose: 'Ogg/Opus export', output: FFMPEG_STDOUT },
};

/** ffmpeg as the general transcoder. */
export class FfmpegTranscoder implements TranscoderPort {
  constructor(
    private readonly caps: FfmpegCapabilities,
    private readonly runner: FfmpegRunner,
  ) {}

  async toPcm(input: Uint8Array, opts: ToPcmOptions): Promise<Int16Array> {
    if (input.length === 0) throw new AudioError('audio.empty', 'The audio is empty (0 bytes).', { hint: 'Choose a file that contains audio.' });
    // Down to mono at the target rate first: the filters after it (areverse buffers everything) then
    // work on the smallest form of the audio.
    const filters = ['aformat=channel_layouts=mono', `aresample=${opts.sampleRate}`];
    if (opts.trimSilence) {
      requireFilter(this.caps, 'silenceremove', 'silence trimming');
      // Leading silence, then the same on the reversed signal for trailing silence. -50 dBFS keeps soft
      // speech onsets; 0.1 s tolerates short pauses inside the recording.
      const sr = 'silenceremove=start_periods=1:start_duration=0:start_threshold=-50dB:start_silence=0.1';
      filters.push(sr, 'areverse', sr, 'areverse');
    }
    const args = [...UNTRUSTED_INPUT];
    // Never decode far more than asked for (a 2-hour file must not be read whole to learn it is too long);
    // the margin leaves room for silence that trimming removes.
    if (opts.maxSeconds !== undefined) args.push('-t', (opts.maxSeconds + INPUT_MARGIN_S).toFixed(3));
    args.push('-i', FFMPEG_STDIN, '-vn', '-sn', '-af', filters.join(','), '-ac', '1', '-ar', String(opts.sampleRate));
    if (opts.maxSeconds !== undefined) args.push('-t', opts.maxSeconds.toFixed(3));
    args.push('-c:a', 'pcm_s16le', '-f', 's16le', FFMPEG_STDOUT);
    const out = await this.runner.run(args, { input, ...(opts.signal && { signal: opts.signal }) });
    if (out.length < 2) throw new AudioError('audio.empty', 'The input decodes to no audio.', { hint: 'Check that the file contains sound (and, when trimming, not only silence).' });
    return pcmFromBytes(out);
  }

  async fromPcm(pcm: Int16Array, sampleRate: number, format: EncodedFormat, tags: AudioTags, signal?: AbortSignal): Promise<Uint8Array> {
    if (pcm.length === 0) throw new AudioError('audio.empty', 'Nothing to encode: the audio has no samples.');
    if (format === 'wav') return wavWithTags(pcm, sampleRate, tags);
    const f = FORMAT_ARGS[format];
    requireEncoder(this.caps, f.encoder, f.purpose);
    return this.runner.run([...PCM_IN(sampleRate), ...metadataArgs(tags), ...f.args, f.output], { input: pcmBytes(pcm), ...(signal && { signal }) });
  }
}

/** AMR-NB through ffmpeg's libopencore_amrnb (opencore-amr), when the binary has it. */
export class FfmpegAmrCodec implements AmrCodecPort {
  readonly name = 'ffmpeg-libopencore';
  constructor(
    caps: FfmpegCapabilities,
    private readonly runner: FfmpegRunner,
  ) {
    requireEncoder(caps, 'libopencore_amrnb', 'AMR-NB encoding');
    if (!caps.decoders.has('libopencore_amrnb')) {
      throw new AudioError('audio.codecMissing', "The ffmpeg in use has no 'libopencore_amrnb' decoder.", { detail: { path: caps.path, missing: 'libopencore_amrnb' } });
    }
  }

  async decode(amr: Uint8Array, signal?: AbortSignal): Promise<Int16Array> {
    const info = parseAmr(amr);
    // Force the opencore decoder: ffmpeg's native amrnb decoder fails on DTX/SID frames.
    const out = await this.runner.run(['-c:a', 'libopencore_amrnb', '-f', 'amr', '-i', FFMPEG_STDIN, '-ac', '1', '-ar', '8000', '-c:a', 'pcm_s16le', '-f', 's16le', FFMPEG_STDOUT], {
      input: amr,
      ...(signal && { signal }),
    });
    const pcm = pcmFromBytes(out);
    const want = info.frames * AMR_FRAME_SAMPLES;
    if (pcm.length === want) return pcm;
    // ffmpeg drops frames it cannot decode; keep the timeline exact (20 ms per frame) by padding/cutting.
    const fixed = new Int16Array(want);
    fixed.set(pcm.subarray(0, want));
    return fixed;
  }

  async encodeMr122(pcm: Int16Array, signal?: AbortSignal): Promise<Uint8Array> {
    if (pcm.length === 0) throw new AudioError('audio.empty', 'Nothing to encode: the audio has no samples.');
    const frames = Math.ceil(pcm.length / AMR_FRAME_SAMPLES);
    const padded = new Int16Array(frames * AMR_FRAME_SAMPLES);
    padded.set(pcm);
    const out = await this.runner.run([...PCM_IN(8000), '-c:a', 'libopencore_amrnb', '-b:a', '12.2k', '-dtx', '0', '-f', 'amr', FFMPEG_STDOUT], {
      input: pcmBytes(padded),
      ...(signal && { signal }),
    });
    const info = parseAmr(out);
    // The encoder flushes one extra frame at the end; the timeline is exactly `frames` long.
    if (info.frames < frames) throw new AudioError('audio.failed', `ffmpeg produced ${info.frames} AMR frames for ${frames} expected.`, { detail: { frames: info.frames, expected: frames } });
    return truncateAmr(out, info, frames);
  }
}
