// AMR-NB through opencore-amr compiled to JavaScript (asm.js), as shipped by the npm package
// recorder-core (MIT; src/engine/beta-amr-engine.js derives from benz-amr-recorder's amrnb.js, an
// Emscripten build of opencore-amr). Used when the ffmpeg in use has no libopencore_amrnb: Debian's ffmpeg
// has no AMR encoder and its native decoder fails on DTX/SID frames.
import { createRequire } from 'node:module';
import { AudioError, throwIfAborted } from '../../errors.js';
import { AMR_FRAME_SAMPLES, AMR_MAGIC, parseAmr } from '../../protocol/amr/amr-file.js';
import type { AmrCodecPort } from '../../services/audio/ports.js';

interface JsDecoder {
  decode(bytes: Uint8Array): Int16Array;
  flush(): Int16Array;
}
interface JsEncoder {
  encode(pcm: Int16Array): Uint8Array;
  flush(): Uint8Array;
}
interface JsAmr {
  GetDecoder(): JsDecoder;
  GetEncoder(bitRate: number): JsEncoder;
}

function hasFn(o: object, k: string): boolean {
  return typeof (o as Record<string, unknown>)[k] === 'function';
}

function isJsAmr(x: unknown): x is JsAmr {
  return typeof x === 'object' && x !== null && hasFn(x, 'GetDecoder') && hasFn(x, 'GetEncoder');
}

let loaded: JsAmr | null = null;

function load(): JsAmr {
  if (loaded) return loaded;
  try {
    const req = createRequire(import.meta.url);
    // recorder-core registers itself on Object (its "Recorder-Core-Export" convention); the AMR engine then
    // attaches `AMR` to it. Neither touches the DOM when only the codec is used.
    const recorder: unknown = req('recorder-core');
    req('recorder-core/src/engine/beta-amr-engine.js');
    const amr: unknown = typeof recorder === 'function' ? (recorder as unknown as Record<string, unknown>).AMR : undefined;
    if (!isJsAmr(amr)) throw new Error('recorder-core has no AMR engine');
    loaded = amr;
    return amr;
  } catch (e) {
    throw new AudioError('audio.codecMissing', 'The bundled AMR-NB codec (recorder-core) could not be loaded.', {
      hint: 'Reinstall the app (npm ci), or use an ffmpeg build with libopencore_amrnb (set FFMPEG_PATH).',
      cause: e,
    });
  }
}

const CHUNK_FRAMES = 500; // 10 s of audio between cancellation checks

function yieldTurn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** opencore-amr in JavaScript. */
export class OpencoreJsAmrCodec implements AmrCodecPort {
  readonly name = 'opencore-js';

  async decode(amr: Uint8Array, signal?: AbortSignal): Promise<Int16Array> {
    const info = parseAmr(amr);
    const lib = load();
    const dec = lib.GetDecoder();
    const out = new Int16Array(info.frames * AMR_FRAME_SAMPLES);
    let written = 0;
    try {
      for (let f = 0; f < info.frames; f += CHUNK_FRAMES) {
        throwIfAborted(signal);
        const start = info.frameOffsets[f] ?? amr.length;
        const last = f + CHUNK_FRAMES >= info.frames;
        let chunk = amr.subarray(start, last ? amr.length : (info.frameOffsets[f + CHUNK_FRAMES] ?? amr.length));
        if (last) {
          // The engine decodes a frame only when another byte follows its header, so a trailing one-byte
          // NO_DATA frame would be held back: append one more NO_DATA header (0x7C), which it keeps unread.
          const padded = new Uint8Array(chunk.length + 1);
          padded.set(chunk);
          padded[chunk.length] = 0x7c;
          chunk = padded;
        }
        const pcm = dec.decode(chunk);
        const n = Math.min(pcm.length, out.length - written);
        out.set(pcm.subarray(0, n), written);
        written += pcm.length;
        if (!last) await yieldTurn();
      }
    } finally {
      dec.flush();
    }
    if (written !== out.length) {
      throw new AudioError('audio.failed', `The AMR decoder produced ${written} samples for ${info.frames} frames.`, { detail: { frames: info.frames, samples: written } });
    }
    return out;
  }

  async encodeMr122(pcm: Int16Array, signal?: AbortSignal): Promise<Uint8Array> {
    if (pcm.length === 0) throw new AudioError('audio.empty', 'Nothing to encode: the audio has no samples.');
    const frames = Math.ceil(pcm.length / AMR_FRAME_SAMPLES);
    // The engine encodes a frame only when more samples follow: pad to whole frames plus one sample.
    const padded = new Int16Array(frames * AMR_FRAME_SAMPLES + 1);
    padded.set(pcm);
    const lib = load();
    const enc = lib.GetEncoder(12200); // MR122; the engine initialises opencore with DTX off
    const parts: Uint8Array[] = [AMR_MAGIC];
    let size = AMR_MAGIC.length;
    try {
      for (let s = 0; s < padded.length; s += CHUNK_FRAMES * AMR_FRAME_SAMPLES) {
        throwIfAborted(signal);
        const bytes = enc.encode(padded.subarray(s, Math.min(padded.length, s + CHUNK_FRAMES * AMR_FRAME_SAMPLES)));
        parts.push(bytes);
        size += bytes.length;
        await yieldTurn();
      }
    } finally {
      enc.flush();
    }
    const out = new Uint8Array(size);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    const info = parseAmr(out);
    if (info.frames !== frames) throw new AudioError('audio.failed', `The AMR encoder produced ${info.frames} frames for ${frames} expected.`, { detail: { frames: info.frames, expected: frames } });
    return out;
  }
}
