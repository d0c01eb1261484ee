// Playback: a voicemail's AMR payload is decoded ONCE to 8 kHz mono PCM, wrapped as WAV for the renderer
// (served with Range support through answerRange), with waveform peaks for wavesurfer.js. Payloads never
// change, so results are cached per voicemail id: in memory (byte-bounded LRU) and, when a cache
// directory is configured, on disk.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { throwIfAborted } from '../../errors.js';
import { AMR_SAMPLE_RATE, isAmrNb } from '../../protocol/amr/amr-file.js';
import { computePeaks, type Peaks } from '../../protocol/peaks.js';
import { answerRange, type RangeResponse } from '../../protocol/wav-range.js';
import { encodeWav, isWav, parseWav } from '../../protocol/wav.js';
import type { OpOptions } from '../ports.js';
import { ByteLru } from './lru.js';
import type { AmrCodecPort, BlobCachePort, TranscoderPort } from './ports.js';

/** A voicemail ready to play. */
export interface PlayableAudio {
  id: string;
  /** 16-bit PCM mono WAV. */
  wav: Uint8Array;
  mimeType: 'audio/wav';
  sampleRate: number;
  durationMs: number;
  peaks: Peaks;
}

/** Dependencies of {@link PlaybackService}. */
export interface PlaybackDeps {
  amr: AmrCodecPort;
  /** For payloads that are not AMR-NB or WAV (rare); optional. */
  transcoder?: TranscoderPort;
  /** On-disk cache (decoded WAV and peaks); optional. */
  cache?: BlobCachePort;
  /** Memory bound for decoded audio (default 64 MiB). */
  maxMemoryBytes?: number;
  /** Peaks per voicemail (default 2000; wavesurfer resamples to its width). */
  peakBuckets?: number;
}

const PeaksFileSchema = z.object({
  v: z.literal(1),
  sampleRate: z.number().int().positive(),
  durationMs: z.number().nonnegative(),
  peaks: z.object({ min: z.array(z.number()), max: z.array(z.number()), samplesPerBucket: z.number().int().nonnegative() }),
});

/** Decodes, caches and serves voicemail audio. */
export class PlaybackService {
  private readonly memory: ByteLru<PlayableAudio>;
  private readonly inFlight = new Map<string, Promise<PlayableAudio>>();
  private readonly buckets: number;

  constructor(private readonly deps: PlaybackDeps) {
    this.memory = new ByteLru(deps.maxMemoryBytes ?? 64 * 1024 * 1024);
    this.buckets = deps.peakBuckets ?? 2000;
  }

  /**
   * Returns the playable form of voicemail `id`, decoding `fetchPayload()` only when neither cache has it.
   * Concurrent calls for one id share one decode.
   */
  async prepare(id: string, fetchPayload: (signal?: AbortSignal) => Promise<Uint8Array>, opts: OpOptions = {}): Promise<PlayableAudio> {
    const hit = this.memory.get(id);
    if (hit) return hit;
    let p = this.inFlight.get(id);
    if (!p) {
      p = this.load(id, fetchPayload, opts).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, p);
    }
    return p;
  }

  /** Answers a Range request for an already prepared voicemail; null when it is not in memory. */
  range(id: string, rangeHeader: string | undefined): RangeResponse | null {
    const a = this.memory.get(id);
    return a ? answerRange(a.wav, rangeHeader, a.mimeType) : null;
  }

  /** Decodes a payload (AMR-NB, WAV, or anything the transcoder reads) to mono PCM at 8 kHz. */
  async decodePayload(payload: Uint8Array, signal?: AbortSignal): Promise<{ samples: Int16Array; sampleRate: number }> {
    if (isAmrNb(payload)) return { samples: await this.deps.amr.decode(payload, signal), sampleRate: AMR_SAMPLE_RATE };
    if (isWav(payload)) {
      const w = parseWav(payload);
      if (w.channels === 1) return { samples: w.samples, sampleRate: w.sampleRate };
    }
    if (this.deps.transcoder) return { samples: await this.deps.transcoder.toPcm(payload, { sampleRate: AMR_SAMPLE_RATE, ...(signal && { signal }) }), sampleRate: AMR_SAMPLE_RATE };
    // Not AMR and nothing else can read it: let the AMR codec report where it is wrong.
    return { samples: await this.deps.amr.decode(payload, signal), sampleRate: AMR_SAMPLE_RATE };
  }

  private cacheKey(id: string): string {
    return createHash('sha256').update(id).digest('hex').slice(0, 32);
  }

  private remember(a: PlayableAudio): PlayableAudio {
    this.memory.set(a.id, a, a.wav.length + a.peaks.min.length * 16);
    return a;
  }

  private async load(id: string, fetchPayload: (signal?: AbortSignal) => Promise<Uint8Array>, opts: OpOptions): Promise<PlayableAudio> {
    const { signal, onProgress } = opts;
    const key = this.cacheKey(id);
    if (this.deps.cache) {
      const [wav, meta] = await Promise.all([this.deps.cache.get(`${key}.wav`), this.deps.cache.get(`${key}.peaks.json`)]);
      if (wav && meta) {
        const parsed = PeaksFileSchema.safeParse(safeJson(meta));
        if (parsed.success) {
          const d = parsed.data;
          return this.remember({ id, wav, mimeType: 'audio/wav', sampleRate: d.sampleRate, durationMs: d.durationMs, peaks: d.peaks });
        }
      }
    }
    throwIfAborted(signal);
    onProgress?.({ phase: 'download' });
    const payload = await fetchPayload(signal);
    throwIfAborted(signal);
    onProgress?.({ phase: 'decode' });
    const { samples, sampleRate } = await this.decodePayload(payload, signal);
    const wav = encodeWav(samples, sampleRate);
    const peaks = computePeaks(samples, this.buckets);
    const durationMs = (samples.length * 1000) / sampleRate;
    const audio: PlayableAudio = { id, wav, mimeType: 'audio/wav', sampleRate, durationMs, peaks };
    if (this.deps.cache) {
      const meta = new TextEncoder().encode(JSON.stringify({ v: 1, sampleRate, durationMs, peaks }));
      // A failing disk cache must not fail playback.
      await Promise.all([this.deps.cache.set(`${key}.wav`, wav), this.deps.cache.set(`${key}.peaks.json`, meta)]).catch(() => {});
    }
    onProgress?.({ phase: 'done' });
    return this.remember(audio);
  }
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
