// Minimal AMR-NB storage-format check (RFC 4867 section 5: `#!AMR\n` magic, then frames whose first byte
// carries the frame type in bits 6..3). Used to validate greeting uploads and to compute their duration
// (20 ms per frame, mstore-client-notes.md "Greeting upload").
/** The AMR-NB single-channel file magic (RFC 4867 5.1). */
export const AMR_MAGIC = '#!AMR\n';

/** Total frame size in bytes (header byte included) per frame type; 8 = SID, 15 = NO_DATA (RFC 4867, TS 26.101). */
const FRAME_BYTES: Record<number, number> = { 0: 13, 1: 14, 2: 16, 3: 18, 4: 20, 5: 21, 6: 27, 7: 32, 8: 6, 15: 1 };

/** Result of {@link scanAmr}. */
export type AmrScan = { ok: true; frames: number; durationMs: number } | { ok: false; reason: string; offset: number };

/** Walks the frames of an AMR-NB file; fails on a bad magic, an unknown frame type or a truncated frame. */
export function scanAmr(data: Uint8Array): AmrScan {
  if (data.length < AMR_MAGIC.length) return { ok: false, reason: 'too short for the AMR header', offset: 0 };
  for (let i = 0; i < AMR_MAGIC.length; i++) {
    if (data[i] !== AMR_MAGIC.charCodeAt(i)) return { ok: false, reason: 'missing #!AMR header (AMR-NB expected)', offset: 0 };
  }
  let off = AMR_MAGIC.length;
  let frames = 0;
  while (off < data.length) {
    const h = data[off] ?? 0;
    if ((h & 0x83) !== 0) return { ok: false, reason: 'frame header padding bits set', offset: off };
    const ft = (h >> 3) & 0x0f;
    const size = FRAME_BYTES[ft];
    if (size === undefined) return { ok: false, reason: `unsupported frame type ${ft}`, offset: off };
    if (off + size > data.length) return { ok: false, reason: 'truncated frame', offset: off };
    off += size;
    frames++;
  }
  if (frames === 0) return { ok: false, reason: 'no audio frames', offset: off };
  return { ok: true, frames, durationMs: frames * 20 };
}
