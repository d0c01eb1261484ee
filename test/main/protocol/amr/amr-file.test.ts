import { describe, expect, it } from 'vitest';
import { AudioError } from '../../../../main/errors.js';
import { AMR_MAGIC, amrFrameSize, isAmrNb, parseAmr, truncateAmr } from '../../../../main/protocol/amr/amr-file.js';

// Sizes from RFC 4867 5.3 / TS 26.101 Table 1a, header byte included.
const SIZES: Record<number, number> = { 0: 13, 1: 14, 2: 16, 3: 18, 4: 20, 5: 21, 6: 27, 7: 32, 8: 6, 15: 1 };

/** An AMR file from frame types; payload bytes are a running counter, Q bit set unless listed in `bad`. */
function amrFile(types: number[], bad: number[] = []): Uint8Array {
  const parts: number[] = [...AMR_MAGIC];
  types.forEach((ft, i) => {
    const size = SIZES[ft];
    if (size === undefined) throw new Error(`no size for ${ft}`);
    parts.push((ft << 3) | (bad.includes(i) ? 0 : 0x04));
    for (let k = 1; k < size; k++) parts.push((i * 7 + k) & 0xff);
  });
  return Uint8Array.from(parts);
}

function thrown(fn: () => unknown): AudioError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AudioError) return e;
    throw e;
  }
  throw new Error('expected an AudioError');
}

describe('amrFrameSize', () => {
  it.each(Object.entries(SIZES))('frame type %s is %i bytes with its header', (ft, size) => {
    expect(amrFrameSize(Number(ft))).toBe(size);
  });
  it.each([9, 10, 11, 12, 13, 14])('frame type %i is reserved', (ft) => {
    expect(amrFrameSize(ft)).toBeNull();
  });
});

describe('parseAmr', () => {
  it('counts every speech mode, SID and NO_DATA, and derives the exact duration', () => {
    const types = [0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 8, 15, 15, 7];
    const info = parseAmr(amrFile(types));
    expect(info.frames).toBe(types.length);
    expect(info.durationMs).toBe(types.length * 20);
    expect(info.modeCounts).toEqual([1, 1, 1, 1, 1, 1, 1, 4]);
    expect(info.sidFrames).toBe(1);
    expect(info.noDataFrames).toBe(2);
    expect(info.badQualityFrames).toBe(0);
    expect(info.sampleRate).toBe(8000);
    const expectedOffsets: number[] = [];
    let o = 6;
    for (const t of types) {
      expectedOffsets.push(o);
      o += SIZES[t] ?? 0;
    }
    expect(Array.from(info.frameOffsets)).toEqual(expectedOffsets);
    expect(info.byteLength).toBe(o);
  });

  it('counts frames whose Q bit is clear', () => {
    expect(parseAmr(amrFile([7, 7, 7], [1])).badQualityFrames).toBe(1);
  });

  it('handles a 100 s MR122 file (5000 frames)', () => {
    const info = parseAmr(amrFile(new Array<number>(5000).fill(7)));
    expect(info.durationMs).toBe(100_000);
    expect(info.modeCounts[7]).toBe(5000);
  });

  it('rejects a truncated last frame, saying where', () => {
    const full = amrFile([7, 7, 7]);
    const e = thrown(() => parseAmr(full.subarray(0, full.length - 5)));
    expect(e.code).toBe('audio.invalid');
    expect(e.detail).toMatchObject({ offset: 6 + 64, frame: 2, frameType: 7 });
    expect(e.message).toContain('byte 70');
    expect(e.message).toContain('frame 2');
  });

  it.each([9, 10, 11, 12, 13, 14])('rejects reserved frame type %i with its offset and index', (ft) => {
    const good = amrFile([7, 4]);
    const bytes = new Uint8Array(good.length + 6);
    bytes.set(good);
    bytes[good.length] = (ft << 3) | 4;
    const e = thrown(() => parseAmr(bytes));
    expect(e.code).toBe('audio.invalid');
    expect(e.detail).toMatchObject({ offset: good.length, frame: 2, frameType: ft });
  });

  it('rejects a missing header at byte 0', () => {
    const e = thrown(() => parseAmr(Uint8Array.from([0x3c, 1, 2, 3])));
    expect(e.code).toBe('audio.invalid');
    expect(e.detail).toMatchObject({ offset: 0 });
  });

  it('rejects AMR-WB and multi-channel files with a specific message', () => {
    expect(thrown(() => parseAmr(new TextEncoder().encode('#!AMR-WB\n\x04'))).message).toContain('AMR-WB');
    expect(thrown(() => parseAmr(new TextEncoder().encode('#!AMR_MC1.0\n\x00\x00\x00\x01'))).message).toContain('Multi-channel');
  });

  it('reports empty input and a header without frames as audio.empty', () => {
    expect(thrown(() => parseAmr(new Uint8Array(0))).code).toBe('audio.empty');
    expect(thrown(() => parseAmr(AMR_MAGIC)).code).toBe('audio.empty');
  });

  it('isAmrNb recognises only the NB magic', () => {
    expect(isAmrNb(amrFile([7]))).toBe(true);
    expect(isAmrNb(new TextEncoder().encode('#!AMR-WB\n'))).toBe(false);
    expect(isAmrNb(new TextEncoder().encode('RIFF'))).toBe(false);
  });
});

describe('truncateAmr', () => {
  it('keeps the header and the first N frames', () => {
    const bytes = amrFile([7, 8, 15, 7, 7]);
    const info = parseAmr(bytes);
    const cut = truncateAmr(bytes, info, 3);
    const again = parseAmr(cut);
    expect(again.frames).toBe(3);
    expect(again.sidFrames).toBe(1);
    expect(Array.from(cut)).toEqual(Array.from(bytes.subarray(0, 6 + 32 + 6 + 1)));
    expect(truncateAmr(bytes, info, 10)).toBe(bytes);
  });
});
