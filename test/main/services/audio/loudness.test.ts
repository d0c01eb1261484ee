import { describe, expect, it } from 'vitest';
import { integratedLoudness, normalizeLoudness } from '../../../../main/services/audio/loudness.js';

function sine(freq: number, dbfs: number, seconds: number, rate = 8000): Int16Array {
  const a = 32767 * 10 ** (dbfs / 20);
  return Int16Array.from({ length: Math.round(seconds * rate) }, (_, i) => Math.round(a * Math.sin((2 * Math.PI * freq * i) / rate)));
}

describe('BS.1770 integrated loudness', () => {
  it('a full-scale 997 Hz sine reads -3.01 LUFS (BS.1770-4 calibration), at 8 and 48 kHz', () => {
    expect(integratedLoudness(sine(997, 0, 3), 8000)).toBeCloseTo(-3.01, 1);
    expect(integratedLoudness(sine(997, 0, 3, 48000), 48000)).toBeCloseTo(-3.01, 1);
  });

  it('scales with level and gates out silence', () => {
    expect(integratedLoudness(sine(997, -20, 3), 8000)).toBeCloseTo(-23.01, 1);
    const withSilence = new Int16Array(8000 * 6);
    withSilence.set(sine(997, -20, 3), 8000 * 3);
    // Blocks straddling the edges pass the relative gate at a lower level: a slightly lower reading.
    const gated = integratedLoudness(withSilence, 8000);
    expect(gated).toBeLessThan(-23);
    expect(gated).toBeGreaterThan(-23.5);
    expect(integratedLoudness(new Int16Array(8000 * 2), 8000)).toBe(-Infinity);
    expect(integratedLoudness(new Int16Array(100), 8000)).toBe(-Infinity);
  });
});

describe('normalizeLoudness', () => {
  it('brings a quiet signal to the target with one gain', () => {
    const n = normalizeLoudness(sine(440, -40, 3), 8000, { integrated: -19, truePeak: -3 });
    expect(n.measuredLufs).toBeLessThan(-40);
    expect(integratedLoudness(n.samples, 8000)).toBeCloseTo(-19, 1);
  });

  it('limits peaks to the ceiling while reaching the target, and leaves silence alone', () => {
    // A quiet tone with loud clicks: the gain needed for -19 LUFS would push the clicks far past -3 dBFS.
    const s = sine(440, -35, 3);
    for (let i = 0; i < s.length; i += 4000) s[i] = 20000;
    const n = normalizeLoudness(s, 8000, { integrated: -19, truePeak: -3 });
    const peak = Math.max(...Array.from(n.samples, Math.abs));
    expect(20 * Math.log10(peak / 32768)).toBeLessThanOrEqual(-2.99);
    expect(integratedLoudness(n.samples, 8000)).toBeCloseTo(-19, 0);
    expect(n.gainDb).toBeGreaterThan(15);
    const silence = new Int16Array(8000);
    expect(normalizeLoudness(silence, 8000, { integrated: -19, truePeak: -3 }).samples).toBe(silence);
  });
});
