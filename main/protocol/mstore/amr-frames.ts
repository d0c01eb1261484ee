// Minimal AMR-NB storage-format check (RFC 4867 section 5: `#!AMR\n` magic, then frames whose first byte
// carries the frame type in bits 6..3). Used to validate greeting uploads and to compute their duration
// (20 ms per frame, mstore-client-notes.md "Greeting upload"). Frame sizes and the magic come from the
// AMR-NB parser (main/protocol/amr/amr-file.ts); this check is stricter about the header padding bits.
import { AMR_FRAME_MS, AMR_MAGIC, amrFrameSize, isAmrNb } from '../amr/amr-file.js';

/** Result of {@link scanAmr}. */
export type AmrScan = { ok: true; frames: number; durationMs: number } | { ok: false; reason: string; offset: number };

/** Walks the frames of an AMR-NB file; fails on a bad magic, an unknown frame type or a truncated frame. */
export function scanAmr(data: Uint8Array): AmrScan {
  if (data.length < AMR_MAGIC.length) return { ok: false, reason: 'too short for the AMR header', offset: 0 };
  if (!isAmrNb(data)) return { ok: false, reason: 'missing #!AMR header (AMR-NB expected)', offset: 0 };
  let off = AMR_MAGIC.length;
  let frames = 0;
  while (off < data.length) {
    const h = data[off] ?? 0;
    if ((h & 0x83) !== 0) return { ok: false, reason: 'frame header padding bits set', offset: off };
    const ft = (h >> 3) & 0x0f;
    const size = amrFrameSize(ft); // null for the reserved types 9-14
    if (size === null) return { ok: false, reason: `unsupported frame type ${ft}`, offset: off };
    if (off + size > data.length) return { ok: false, reason: 'truncated frame', offset: off };
    off += size;
    frames++;
  }
  if (frames === 0) return { ok: false, reason: 'no audio frames', offset: off };
  return { ok: true, frames, durationMs: frames * AMR_FRAME_MS };
}
