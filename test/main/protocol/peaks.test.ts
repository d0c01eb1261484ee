import { describe, expect, it } from 'vitest';
import { computePeaks } from '../../../main/protocol/peaks.js';

describe('computePeaks', () => {
  it('gives min and max per bucket, normalised to [-1, 1]', () => {
    const s = Int16Array.from([0, 16384, -16384, 0, 32767, -32768, 100, 200]);
    const p = computePeaks(s, 4);
    expect(p.samplesPerBucket).toBe(2);
    expect(p.max).toEqual([0.5, 0, 1, 0.0061]);
    expect(p.min).toEqual([0, -0.5, -1, 0.0031]);
  });

  it('uses fewer buckets than asked when there are fewer samples, and covers every sample', () => {
    const s = new Int16Array(10).fill(1000);
    s[9] = -3000;
    const p = computePeaks(s, 4);
    expect(p.samplesPerBucket).toBe(3);
    expect(p.max.length).toBe(4);
    expect(p.min[3]).toBeCloseTo(-3000 / 32768, 4);
    expect(computePeaks(new Int16Array(3), 100).max.length).toBe(3);
  });

  it('handles empty input and rejects a bad bucket count', () => {
    expect(computePeaks(new Int16Array(0), 10)).toEqual({ min: [], max: [], samplesPerBucket: 0 });
    expect(() => computePeaks(new Int16Array(5), 0)).toThrow(RangeError);
  });

  it('tracks a sine envelope', () => {
    const n = 8000;
    const s = new Int16Array(n);
    for (let i = 0; i < n; i++) s[i] = Math.round(20000 * (i / n) * Math.sin((2 * Math.PI * 440 * i) / 8000));
    const p = computePeaks(s, 10);
    for (let b = 1; b < 10; b++) expect(p.max[b] ?? 0).toBeGreaterThan(p.max[b - 1] ?? 0);
    expect(p.max[9]).toBeCloseTo(20000 / 32768, 1);
  });
});
