// Waveform peaks for wavesurfer.js: per bucket of samples, the minimum and maximum normalised to
// [-1, 1]. Computed once in main so the renderer never decodes audio.

/** Min/max per bucket, values in [-1, 1]; `max[i]` and `min[i]` cover samples [i*n, (i+1)*n). */
export interface Peaks {
  min: number[];
  max: number[];
  /** Samples per bucket (the last bucket may be shorter). */
  samplesPerBucket: number;
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/**
 * Splits the samples into `buckets` equal runs (fewer when there are fewer samples) and returns each run's
 * minimum and maximum. Values are rounded to 4 decimals to keep the JSON small.
 */
export function computePeaks(samples: Int16Array, buckets: number): Peaks {
  if (!Number.isInteger(buckets) || buckets < 1) throw new RangeError('computePeaks: buckets must be a positive integer');
  if (samples.length === 0) return { min: [], max: [], samplesPerBucket: 0 };
  const per = Math.ceil(samples.length / buckets);
  const n = Math.ceil(samples.length / per);
  const min = new Array<number>(n);
  const max = new Array<number>(n);
  for (let b = 0; b < n; b++) {
    let lo = 32767;
    let hi = -32768;
    const end = Math.min(samples.length, (b + 1) * per);
    for (let i = b * per; i < end; i++) {
      const s = samples[i] ?? 0;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
    min[b] = round4(lo / 32768);
    max[b] = round4(hi / 32768);
  }
  return { min, max, samplesPerBucket: per };
}
