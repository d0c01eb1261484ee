// Timing one call of a fast function for the benchmarks: many calls per sample, so the timer's
// resolution does not matter, and the median of a few samples, so one disturbed sample does not either.

/** How {@link perCallUs} samples. */
export interface PerCallOptions {
  /** Aim for samples of about minMs / 4 each. */
  minMs: number;
  /** Samples taken; the median is returned. */
  samples: number;
  /** Stop growing the calls per sample once one sample takes this long, whatever minMs says. */
  capMs?: number;
}

/** Median microseconds per call of `fn`. */
export function perCallUs(fn: () => void, opts: PerCallOptions): number {
  const capMs = opts.capMs ?? Infinity;
  let n = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    const took = performance.now() - t;
    if (took >= opts.minMs / 4 || took > capMs) break;
    n *= 2;
  }
  const samples: number[] = [];
  for (let s = 0; s < opts.samples; s++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    samples.push(((performance.now() - t) * 1000) / n);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(opts.samples / 2)] ?? NaN;
}
