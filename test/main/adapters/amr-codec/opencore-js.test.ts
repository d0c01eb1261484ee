// The bundled opencore-amr JS build (benz-amr-recorder, in a private vm context). In-process: no tools.
import { describe, expect, it } from 'vitest';
import { decodePadding, OpencoreJsAmrCodec } from '../../../../main/adapters/amr-codec/opencore-js.js';
import { AMR_MAGIC, parseAmr } from '../../../../main/protocol/amr/amr-file.js';

const codec = new OpencoreJsAmrCodec();

function file(frames: number[][]): Uint8Array {
  const total = AMR_MAGIC.length + frames.reduce((n, f) => n + f.length, 0);
  const out = new Uint8Array(total);
  out.set(AMR_MAGIC);
  let o = AMR_MAGIC.length;
  for (const f of frames) {
    out.set(f, o);
    o += f.length;
  }
  return out;
}

describe('OpencoreJsAmrCodec', () => {
  it('keeps the exact timeline for any run of NO_DATA frames (including a trailing one)', async () => {
    const speech = await codec.encodeMr122(new Int16Array(160 * 3).map((_, i) => Math.round(4000 * Math.sin(i / 5))));
    const frames: number[][] = [];
    for (let i = 0; i < 3; i++) frames.push(Array.from(speech.subarray(6 + i * 32, 6 + (i + 1) * 32)));
    for (let n = 1; n <= 200; n += 7) {
      const bytes = file([...frames, ...Array.from({ length: n }, () => [0x7c])]);
      const pcm = await codec.decode(bytes);
      expect(pcm.length).toBe(parseAmr(bytes).frames * 160);
    }
    const onlyNoData = file(Array.from({ length: 480 }, () => [0x7c]));
    expect((await codec.decode(onlyNoData)).length).toBe(480 * 160);
  });

  it('decodePadding avoids output sizes the engine stops early on', () => {
    for (let len = 7; len < 5000; len++) {
      const p = decodePadding(len);
      expect(p).toBeGreaterThanOrEqual(1);
      expect(p).toBeLessThanOrEqual(12);
      const r = Math.floor(((len + p) / 6) * 160) % 160;
      expect([0, 1]).not.toContain(r);
      expect(r % 5).not.toBe(0);
    }
  });

  it('encodes MR122 only, one frame per 160 samples (last one zero-padded), and round-trips silence to silence', async () => {
    const amr = await codec.encodeMr122(new Int16Array(1601));
    const info = parseAmr(amr);
    expect(info.frames).toBe(11);
    expect(info.modeCounts[7]).toBe(11);
    const back = await codec.decode(amr);
    expect(back.length).toBe(11 * 160);
    expect(Math.max(...Array.from(back, Math.abs))).toBeLessThan(50);
  });

  it('typed errors: empty PCM, corrupt AMR, cancellation', async () => {
    await expect(codec.encodeMr122(new Int16Array(0))).rejects.toMatchObject({ code: 'audio.empty' });
    await expect(codec.decode(new TextEncoder().encode('#!AMR\n\x6c'))).rejects.toMatchObject({ code: 'audio.invalid', detail: { offset: 6, frame: 0, frameType: 13 } });
    const ac = new AbortController();
    ac.abort();
    await expect(codec.encodeMr122(new Int16Array(160), ac.signal)).rejects.toMatchObject({ code: 'op.cancelled' });
  });
});
