// Picks the AMR-NB codec and the transcoder lazily, on first use, so a machine without ffmpeg can still
// play voicemails (the JS codec needs no ffmpeg) and ffmpeg is probed once, only when needed.
// Codec choice 'auto': ffmpeg's libopencore_amrnb when the binary has both encoder and decoder, else the
// bundled opencore JS build. Both are opencore-amr, so the output is the same codec either way.
import { AudioError, throwIfAborted } from '../../errors.js';
import type { AmrCodecPort, AudioTags, EncodedFormat, ToPcmOptions, TranscoderPort } from '../../services/audio/ports.js';
import { locateFfmpeg, type FfmpegCapabilities, type LocateOptions } from '../ffmpeg/locate.js';
import { FfmpegRunner } from '../ffmpeg/runner.js';
import { FfmpegAmrCodec, FfmpegTranscoder, wavWithTags } from '../ffmpeg/transcoder.js';
import { OpencoreJsAmrCodec } from './opencore-js.js';

/** How the audio adapters are set up. */
export interface AudioToolsOptions extends LocateOptions {
  /** Concurrent ffmpeg processes (default 2: the machines have few cores). */
  concurrency?: number;
  /** Force a codec path; default 'auto'. */
  amrCodec?: 'auto' | 'js' | 'ffmpeg';
}

/** ffmpeg located and probed on first use, shared by the transcoder and the codec. */
export class LazyFfmpeg {
  private found: Promise<{ caps: FfmpegCapabilities; runner: FfmpegRunner }> | null = null;
  constructor(private readonly opts: AudioToolsOptions) {}

  get(signal?: AbortSignal): Promise<{ caps: FfmpegCapabilities; runner: FfmpegRunner }> {
    if (!this.found) {
      this.found = locateFfmpeg(this.opts, signal).then((caps) => ({ caps, runner: new FfmpegRunner(caps.path, this.opts.concurrency ?? 2) }));
      this.found.catch(() => (this.found = null)); // retry on the next call (the user may install ffmpeg)
    }
    return this.found;
  }
}

/** TranscoderPort that finds ffmpeg on first use. */
export class LazyTranscoder implements TranscoderPort {
  constructor(private readonly ffmpeg: LazyFfmpeg) {}

  async toPcm(input: Uint8Array, opts: ToPcmOptions): Promise<Int16Array> {
    const { caps, runner } = await this.ffmpeg.get(opts.signal);
    return new FfmpegTranscoder(caps, runner).toPcm(input, opts);
  }

  async fromPcm(pcm: Int16Array, sampleRate: number, format: EncodedFormat, tags: AudioTags, signal?: AbortSignal): Promise<Uint8Array> {
    if (format === 'wav') {
      if (pcm.length === 0) throw new AudioError('audio.empty', 'Nothing to encode: the audio has no samples.');
      return wavWithTags(pcm, sampleRate, tags); // in-process: no ffmpeg lookup
    }
    const { caps, runner } = await this.ffmpeg.get(signal);
    return new FfmpegTranscoder(caps, runner).fromPcm(pcm, sampleRate, format, tags, signal);
  }
}

/** AmrCodecPort that chooses ffmpeg-libopencore or opencore-js on first use. */
export class AutoAmrCodec implements AmrCodecPort {
  private chosen: Promise<AmrCodecPort> | null = null;
  constructor(
    private readonly ffmpeg: LazyFfmpeg,
    private readonly mode: 'auto' | 'js' | 'ffmpeg' = 'auto',
  ) {}

  get name(): string {
    return `auto(${this.mode})`;
  }

  /** The codec actually used (resolves the choice). */
  resolve(signal?: AbortSignal): Promise<AmrCodecPort> {
    if (!this.chosen) {
      this.chosen = this.choose(signal);
      this.chosen.catch(() => (this.chosen = null));
    }
    return this.chosen;
  }

  private async choose(signal?: AbortSignal): Promise<AmrCodecPort> {
    if (this.mode === 'js') return new OpencoreJsAmrCodec();
    if (this.mode === 'ffmpeg') {
      const { caps, runner } = await this.ffmpeg.get(signal);
      return new FfmpegAmrCodec(caps, runner);
    }
    try {
      const { caps, runner } = await this.ffmpeg.get(signal);
      if (caps.encoders.has('libopencore_amrnb') && caps.decoders.has('libopencore_amrnb')) return new FfmpegAmrCodec(caps, runner);
    } catch {
      // No usable ffmpeg: the JS codec still works for AMR <-> PCM. A cancelled probe decides nothing.
      throwIfAborted(signal);
    }
    return new OpencoreJsAmrCodec();
  }

  async decode(amr: Uint8Array, signal?: AbortSignal): Promise<Int16Array> {
    return (await this.resolve(signal)).decode(amr, signal);
  }

  async encodeMr122(pcm: Int16Array, signal?: AbortSignal): Promise<Uint8Array> {
    return (await this.resolve(signal)).encodeMr122(pcm, signal);
  }
}
