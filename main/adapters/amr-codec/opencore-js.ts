// AMR-NB through opencore-amr compiled to JavaScript (Emscripten asm.js), as shipped by the npm package
// benz-amr-recorder (MIT, src/amrnb.js). Used when the ffmpeg in use has no libopencore_amrnb: Debian's
// ffmpeg has no AMR encoder and its native decoder fails on DTX/SID frames, which real voicemails contain.
// (recorder-core ships a trimmed copy of the same build, but its decoder aborts on SID frames.)
//
// amrnb.js is a web-worker body (`self.onmessage` / `self.postMessage`). It runs here in its own
// node:vm context with a private `self`, so nothing leaks into Node's globals; the calls are synchronous.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createContext, runInContext } from 'node:vm';
import { AudioError, throwIfAborted } from '../../errors.js';
import { AMR_FRAME_SAMPLES, AMR_MAGIC, parseAmr } from '../../protocol/amr/amr-file.js';
import type { AmrCodecPort } from '../../services/audio/ports.js';

interface Worker {
  onmessage?: (e: { data: unknown }) => void;
  postMessage: (m: unknown) => void;
}

interface ArrayLikeNumbers {
  readonly length: number;
  readonly [i: number]: number;
}

function isNumberArray(x: unknown): x is ArrayLikeNumbers {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** One loaded copy of the codec (its own asm.js heap). */
class BenzAmr {
  private last: unknown = null;
  private readonly worker: Worker;

  constructor() {
    const req = createRequire(import.meta.url);
    const source = readFileSync(req.resolve('benz-amr-recorder/src/amrnb.js'), 'utf8');
    const worker: Worker = { postMessage: (m) => (this.last = m) };
    const module = { exports: {} as unknown };
    const sandbox = createContext({ module, self: worker, console: { log() {}, warn() {}, error() {} }, TextEncoder });
    runInContext(source, sandbox, { filename: 'benz-amr-recorder/src/amrnb.js' });
    if (typeof module.exports !== 'function') throw new Error('amrnb.js did not export its worker body');
    module.exports();
    if (typeof worker.onmessage !== 'function') throw new Error('amrnb.js did not install onmessage');
    this.worker = worker;
  }

  private call(data: Record<string, unknown>): ArrayLikeNumbers {
    this.last = null;
    this.worker.onmessage?.({ data });
    const m = this.last;
    const out = typeof m === 'object' && m !== null && 'amr' in m ? m.amr : null;
    if (!isNumberArray(out)) throw new AudioError('audio.failed', `The bundled AMR codec failed to ${String(data.command)}.`);
    return out;
  }

  /** Whole-file decode: float samples in [-1, 1) (int16 / 32768, exact in float32). */
  decode(amr: Uint8Array): ArrayLikeNumbers {
    return this.call({ command: 'decode', buffer: amr });
  }

  /** Whole-buffer encode, mode 7 = MR122; the codec initialises opencore with DTX off. */
  encodeMr122(samples: Float64Array): ArrayLikeNumbers {
    return this.call({ command: 'encode', samples, sampleRate: 8000 });
  }
}

let shared: BenzAmr | null = null;

function codec(): BenzAmr {
  if (shared) return shared;
  try {
    shared = new BenzAmr();
    return shared;
  } catch (e) {
    throw new AudioError('audio.codecMissing', 'The bundled AMR-NB codec (benz-amr-recorder) could not be loaded.', {
      hint: 'Reinstall the app (npm ci), or use an ffmpeg build with libopencore_amrnb (set FFMPEG_PATH).',
      cause: e,
    });
  }
}

/**
 * amrnb.js stops decoding early when its output buffer, first sized floor(bytes / 6 * 160) samples and
 * doubled on demand, is exactly full (its loop tests `outOffset + 1 < out.length`): possible with many
 * 1-byte NO_DATA frames. Appending 1-12 zero bytes (the start of an MR475 frame, too short to be decoded)
 * changes that size; pick a padding for which the size and all its doublings avoid 0 and 1 modulo 160.
 */
export function decodePadding(byteLength: number): number {
  for (let p = 1; p <= 12; p++) {
    const r = Math.floor(((byteLength + p) / 6) * AMR_FRAME_SAMPLES) % AMR_FRAME_SAMPLES;
    if (r !== 0 && r !== 1 && r % 5 !== 0) return p;
  }
  return 1;
}

/** opencore-amr in JavaScript. */
export class OpencoreJsAmrCodec implements AmrCodecPort {
  readonly name = 'opencore-js';

  async decode(amr: Uint8Array, signal?: AbortSignal): Promise<Int16Array> {
    const info = parseAmr(amr);
    throwIfAborted(signal);
    const lib = codec();
    // Trailing zero bytes also let a final 1-byte NO_DATA frame be decoded (the loop needs a byte after it).
    const padded = new Uint8Array(amr.length + decodePadding(amr.length));
    padded.set(amr);
    const floats = lib.decode(padded);
    throwIfAborted(signal);
    const want = info.frames * AMR_FRAME_SAMPLES;
    if (floats.length !== want) {
      throw new AudioError('audio.failed', `The AMR decoder produced ${floats.length} samples for ${info.frames} frames.`, { detail: { frames: info.frames, samples: floats.length } });
    }
    const out = new Int16Array(want);
    for (let i = 0; i < want; i++) out[i] = Math.round((floats[i] ?? 0) * 32768);
    return out;
  }

  async encodeMr122(pcm: Int16Array, signal?: AbortSignal): Promise<Uint8Array> {
    if (pcm.length === 0) throw new AudioError('audio.empty', 'Nothing to encode: the audio has no samples.');
    throwIfAborted(signal);
    const frames = Math.ceil(pcm.length / AMR_FRAME_SAMPLES);
    // The codec multiplies floats by 32767 and truncates into an Int16Array; a quarter-step bias towards
    // the sign makes that land exactly on the original sample. It encodes a frame only when at least one
    // more sample follows: pad to whole frames plus one sample.
    const samples = new Float64Array(frames * AMR_FRAME_SAMPLES + 1);
    for (let i = 0; i < pcm.length; i++) {
      const s = pcm[i] ?? 0;
      samples[i] = (s + (s > 0 ? 0.25 : s < 0 ? -0.25 : 0)) / 32767;
    }
    const bytes = codec().encodeMr122(samples);
    throwIfAborted(signal);
    const out = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] ?? 0;
    for (let i = 0; i < AMR_MAGIC.length; i++) {
      if (out[i] !== AMR_MAGIC[i]) throw new AudioError('audio.failed', 'The AMR encoder produced no AMR header.');
    }
    const info = parseAmr(out);
    if (info.frames !== frames) throw new AudioError('audio.failed', `The AMR encoder produced ${info.frames} frames for ${frames} expected.`, { detail: { frames: info.frames, expected: frames } });
    return out;
  }
}
