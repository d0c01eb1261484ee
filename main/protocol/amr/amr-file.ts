// AMR-NB storage format ("#!AMR\n" single-channel files), RFC 4867 section 5 and 3GPP TS 26.101.
// Pure: bytes in, a frame table and statistics out. Every frame is 20 ms of 8 kHz audio (160 samples),
// so the exact duration is the frame count times 20 ms, whatever the modes.
import { AudioError } from '../../errors.js';

/** The single-channel AMR-NB magic number (RFC 4867 section 5.1). */
export const AMR_MAGIC = new Uint8Array([0x23, 0x21, 0x41, 0x4d, 0x52, 0x0a]); // "#!AMR\n"
const AMR_WB_MAGIC = '#!AMR-WB\n';
const AMR_MC_MAGIC = '#!AMR_MC1.0\n';

/** Milliseconds of audio per AMR frame (TS 26.101: 160 samples at 8 kHz). */
export const AMR_FRAME_MS = 20;
/** PCM samples per AMR-NB frame. */
export const AMR_FRAME_SAMPLES = 160;
/** AMR-NB sample rate. */
export const AMR_SAMPLE_RATE = 8000;

/** Speech mode names, index = frame type 0-7 (TS 26.101 Table 1a). */
export const AMR_MODE_NAMES = ['MR475', 'MR515', 'MR59', 'MR67', 'MR74', 'MR795', 'MR102', 'MR122'] as const;

/** Frame type of the comfort-noise SID frame (TS 26.101 Table 1a: 39 class-A bits, 5 bytes + header). */
export const AMR_FT_SID = 8;

// Total stored frame size INCLUDING the one-byte frame header, by frame type (RFC 4867 5.3, TS 26.101
// Table 1a; speech bits rounded up to whole bytes). null = reserved / for future use (types 9-14).
const FRAME_SIZES: readonly (number | null)[] = [13, 14, 16, 18, 20, 21, 27, 32, 6, null, null, null, null, null, null, 1];

/** Size in bytes (header byte included) of a frame of this type, or null when the type is reserved. */
export function amrFrameSize(frameType: number): number | null {
  return FRAME_SIZES[frameType] ?? null;
}

/** What a parsed AMR-NB file holds. */
export interface AmrInfo {
  codec: 'amr-nb';
  sampleRate: 8000;
  channels: 1;
  /** Number of frames (speech, SID and NO_DATA alike). */
  frames: number;
  /** frames x 20 ms. */
  durationMs: number;
  /** Frames per speech mode, index = mode 0-7 (MR475 ... MR122). */
  modeCounts: number[];
  sidFrames: number;
  noDataFrames: number;
  /** Frames whose Q bit is 0 (damaged, RFC 4867 5.3); decoders conceal them. */
  badQualityFrames: number;
  /** Byte offset of each frame's header byte. */
  frameOffsets: Uint32Array;
  byteLength: number;
}

function invalid(message: string, detail: Record<string, number | string>): AudioError {
  return new AudioError('audio.invalid', message, {
    detail,
    hint: 'The file is not a complete single-channel AMR-NB file; download or record it again.',
  });
}

function startsWith(bytes: Uint8Array, ascii: string): boolean {
  if (bytes.length < ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[i] !== ascii.charCodeAt(i)) return false;
  return true;
}

/** True when the bytes start with the AMR-NB magic number. */
export function isAmrNb(bytes: Uint8Array): boolean {
  return startsWith(bytes, '#!AMR\n');
}

/**
 * Parses an AMR-NB storage-format file. Rejects, with AudioError('audio.invalid') whose message and
 * detail give the byte offset and frame index: a missing or foreign magic number (AMR-WB, multi-channel),
 * reserved frame types 9-14, and a last frame cut short. A file with a header and no frames is
 * AudioError('audio.empty').
 */
export function parseAmr(bytes: Uint8Array): AmrInfo {
  if (bytes.length === 0) throw new AudioError('audio.empty', 'The audio is empty (0 bytes).', { hint: 'Choose a file that contains audio.' });
  if (startsWith(bytes, AMR_WB_MAGIC)) throw invalid('This is AMR-WB (wideband) audio; only AMR-NB is supported here.', { offset: 0 });
  if (startsWith(bytes, AMR_MC_MAGIC)) throw invalid('Multi-channel AMR files are not supported.', { offset: 0 });
  if (!isAmrNb(bytes)) throw invalid('Not an AMR-NB file: the "#!AMR\\n" header is missing at byte 0.', { offset: 0 });
  // Pass 1 checks and counts the frames; pass 2 fills an array of exactly that size (no growing list,
  // no allocation in proportion to the worst case).
  let frames = 0;
  const modeCounts = [0, 0, 0, 0, 0, 0, 0, 0];
  let sid = 0;
  let noData = 0;
  let bad = 0;
  let pos = AMR_MAGIC.length;
  while (pos < bytes.length) {
    const header = bytes[pos] ?? 0;
    // Frame header (RFC 4867 5.3): P(1) FT(4) Q(1) P(2).
    const ft = (header >> 3) & 0x0f;
    const size = amrFrameSize(ft);
    const index = frames;
    if (size === null) {
      throw invalid(`Corrupt AMR-NB data: reserved frame type ${ft} at byte ${pos} (frame ${index}).`, { offset: pos, frame: index, frameType: ft });
    }
    if (pos + size > bytes.length) {
      throw invalid(`Truncated AMR-NB file: frame ${index} at byte ${pos} needs ${size} bytes, only ${bytes.length - pos} remain.`, {
        offset: pos,
        frame: index,
        frameType: ft,
      });
    }
    if ((header & 0x04) === 0) bad++;
    if (ft <= 7) modeCounts[ft] = (modeCounts[ft] ?? 0) + 1;
    else if (ft === AMR_FT_SID) sid++;
    else noData++;
    frames++;
    pos += size;
  }
  if (frames === 0) throw new AudioError('audio.empty', 'The AMR-NB file has a header but no audio frames.', { hint: 'Record or choose a longer file.' });
  const offsets = new Uint32Array(frames);
  for (let i = 0, p = AMR_MAGIC.length; i < frames; i++) {
    offsets[i] = p;
    p += amrFrameSize(((bytes[p] ?? 0) >> 3) & 0x0f) ?? 1;
  }
  return {
    codec: 'amr-nb',
    sampleRate: 8000,
    channels: 1,
    frames,
    durationMs: frames * AMR_FRAME_MS,
    modeCounts,
    sidFrames: sid,
    noDataFrames: noData,
    badQualityFrames: bad,
    frameOffsets: offsets,
    byteLength: bytes.length,
  };
}

/** The same file cut to its first `maxFrames` frames (header kept). */
export function truncateAmr(bytes: Uint8Array, info: AmrInfo, maxFrames: number): Uint8Array {
  if (maxFrames >= info.frames) return bytes;
  const end = info.frameOffsets[maxFrames] ?? bytes.length;
  return bytes.slice(0, end);
}
