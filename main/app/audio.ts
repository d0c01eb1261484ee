// Wiring of the audio services (main/app/: the one place that builds the object graph).
import { AutoAmrCodec, LazyFfmpeg, LazyTranscoder } from '../adapters/amr-codec/auto.js';
import { DirBlobCache } from '../adapters/fs/blob-cache.js';
import { LocalFileSink } from '../adapters/fs/atomic-write.js';
import { toAppError } from '../errors.js';
import { FFMPEG_FEATURES, type AudioEngine } from '../services/audio/engine.js';
import { ExportService } from '../services/audio/export.js';
import { GreetingService } from '../services/audio/greeting.js';
import { PlaybackService } from '../services/audio/playback.js';

/** Options of {@link createAudioEngine}. */
export interface AudioEngineOptions {
  /** Environment for FFMPEG_PATH, PATH and VVM_AMR_CODEC (auto | js | ffmpeg). */
  env: Record<string, string | undefined>;
  /** Directory for decoded voicemails and peaks; no disk cache when absent. */
  cacheDir?: string;
  /** Overrides VVM_AMR_CODEC. */
  amrCodec?: 'auto' | 'js' | 'ffmpeg';
  /** ffmpeg-static's binary; default: looked up in node_modules. null = pretend it is absent (tests). */
  staticBinary?: string | null;
}

function codecChoice(v: string | undefined): 'auto' | 'js' | 'ffmpeg' {
  return v === 'js' || v === 'ffmpeg' ? v : 'auto';
}

/** Wires the audio services: ffmpeg found lazily, AMR codec chosen on first use, atomic file sink. */
export function createAudioEngine(opts: AudioEngineOptions): AudioEngine {
  const ffmpeg = new LazyFfmpeg({ env: opts.env, ...(opts.staticBinary !== undefined && { staticBinary: opts.staticBinary }), concurrency: 2 });
  const amr = new AutoAmrCodec(ffmpeg, opts.amrCodec ?? codecChoice(opts.env.VVM_AMR_CODEC));
  const transcoder = new LazyTranscoder(ffmpeg);
  const playback = new PlaybackService({ amr, transcoder, ...(opts.cacheDir !== undefined && { cache: new DirBlobCache(opts.cacheDir) }) });
  return {
    amr,
    transcoder,
    playback,
    greeting: new GreetingService({ amr, transcoder }),
    exporter: new ExportService({ playback, transcoder, sink: new LocalFileSink() }),
    async report(signal) {
      const codec = await amr.resolve(signal);
      try {
        const { caps } = await ffmpeg.get(signal);
        return {
          amrCodec: codec.name,
          ffmpeg: {
            path: caps.path,
            source: caps.source,
            version: caps.version,
            libopencoreAmrnb: caps.encoders.has('libopencore_amrnb') && caps.decoders.has('libopencore_amrnb'),
            unavailable: Object.entries(FFMPEG_FEATURES)
              .filter(([, need]) => !(need.startsWith('enc:') ? caps.encoders.has(need.slice(4)) : caps.filters.has(need.slice(7))))
              .map(([feature]) => feature),
          },
        };
      } catch (e) {
        return { amrCodec: codec.name, ffmpeg: { missing: toAppError(e).message } };
      }
    },
  };
}
