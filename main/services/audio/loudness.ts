// Loudness measurement and normalisation, pure. ITU-R BS.1770-4 (K-weighting, 400 ms blocks with 75 %
// overlap, absolute gate -70 LUFS, relative gate -10 LU) as used by EBU R128. Normalisation is one gain
// for the whole greeting (EBU R128's recommended linear normalisation, which keeps speech dynamics) plus a
// look-ahead peak limiter for the few peaks that would pass the ceiling. Running in-process on the 8 kHz
// PCM we already have is several times faster than ffmpeg's loudnorm, which works at 192 kHz internally.

/** K-weighting filter coefficients for any sample rate (BS.1770 Annex 1 stage 1 and 2, bilinear forms). */
function kWeighting(rate: number): { b: number[]; a: number[] }[] {
  // Stage 1: high shelf (+4 dB above ~1.7 kHz), the head's acoustic effect.
  let f0 = 1681.974450955533;
  const G = 3.999843853973347;
  let Q = 0.7071752369554196;
  let K = Math.tan((Math.PI * f0) / rate);
  const Vh = 10 ** (G / 20);
  const Vb = Vh ** 0.4996667741545416;
  let a0 = 1 + K / Q + K * K;
  const shelf = {
    b: [(Vh + (Vb * K) / Q + K * K) / a0, (2 * (K * K - Vh)) / a0, (Vh - (Vb * K) / Q + K * K) / a0],
    a: [1, (2 * (K * K - 1)) / a0, (1 - K / Q + K * K) / a0],
  };
  // Stage 2: RLB high-pass at ~38 Hz.
  f0 = 38.13547087602444;
  Q = 0.5003270373238773;
  K = Math.tan((Math.PI * f0) / rate);
  a0 = 1 + K / Q + K * K;
  const highPass = { b: [1, -2, 1], a: [1, (2 * (K * K - 1)) / a0, (1 - K / Q + K * K) / a0] };
  return [shelf, highPass];
}

function biquad(x: Float64Array, f: { b: number[]; a: number[] }): Float64Array {
  const [b0 = 0, b1 = 0, b2 = 0] = f.b;
  const [, a1 = 0, a2 = 0] = f.a;
  const y = new Float64Array(x.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i] ?? 0;
    const y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    y[i] = y0;
    x2 = x1;
    x1 = x0;
    y2 = y1;
    y1 = y0;
  }
  return y;
}

/** Integrated loudness in LUFS of mono PCM (BS.1770-4 with gating); -Infinity for silence or < 400 ms. */
export function integratedLoudness(samples: Int16Array, rate: number): number {
  let x: Float64Array = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) x[i] = (samples[i] ?? 0) / 32768;
  for (const f of kWeighting(rate)) x = biquad(x, f);
  const block = Math.round(rate * 0.4);
  const step = Math.round(rate * 0.1);
  // Prefix sums of the squared signal: each overlapping block's energy in O(1).
  const cum = new Float64Array(x.length + 1);
  for (let i = 0; i < x.length; i++) cum[i + 1] = (cum[i] ?? 0) + (x[i] ?? 0) ** 2;
  const powers: number[] = [];
  for (let start = 0; start + block <= x.length; start += step) powers.push(Math.max(0, (cum[start + block] ?? 0) - (cum[start] ?? 0)) / block);
  const lufs = (p: number) => -0.691 + 10 * Math.log10(p);
  const mean = (ps: number[]) => ps.reduce((a, b) => a + b, 0) / ps.length;
  const aboveAbs = powers.filter((p) => p > 0 && lufs(p) > -70);
  if (aboveAbs.length === 0) return -Infinity;
  const relGate = lufs(mean(aboveAbs)) - 10;
  const gated = aboveAbs.filter((p) => lufs(p) > relGate);
  return lufs(mean(gated));
}

/** Loudness target: integrated LUFS and the sample-peak ceiling in dBFS. */
export interface LoudnessTarget {
  integrated: number;
  truePeak: number;
}

/** Result of {@link normalizeLoudness}. */
export interface Normalized {
  samples: Int16Array;
  measuredLufs: number;
  gainDb: number;
}

/**
 * Applies `gainDb` and a look-ahead peak limiter at `ceilingDb`: the gain needed at each sample is the
 * minimum over the next 5 ms (so it starts falling before a peak), released over 50 ms and ramped down
 * over 2 ms before a peak, so nothing exceeds the ceiling and no hard clipping occurs.
 */
export function gainWithLimiter(samples: Int16Array, rate: number, gainDb: number, ceilingDb: number): Int16Array {
  const g = 10 ** (gainDb / 20);
  const ceiling = 32768 * 10 ** (ceilingDb / 20);
  const n = samples.length;
  const look = Math.max(1, Math.round(rate * 0.005));
  const release = 1 - Math.exp(-1 / (rate * 0.05));
  const attack = 1 - Math.exp(-1 / (rate * 0.002));
  // Look-ahead minimum of the gain each sample needs: only the few samples over the ceiling matter, so
  // spread each one's need back over the look-ahead window instead of scanning every window.
  const ahead = new Float64Array(n).fill(1);
  for (let j = 0; j < n; j++) {
    const v = Math.abs((samples[j] ?? 0) * g);
    if (v <= ceiling) continue;
    const need = ceiling / v;
    for (let k = Math.max(0, j - look + 1); k <= j; k++) if (need < (ahead[k] ?? 1)) ahead[k] = need;
  }
  // Forward: release towards 1.
  const fwd = new Float64Array(n);
  let prev = 1;
  for (let i = 0; i < n; i++) {
    prev = Math.min(ahead[i] ?? 1, prev + (1 - prev) * release);
    fwd[i] = prev;
  }
  // Backward: ramp down ahead of each dip instead of stepping.
  let next = 1;
  const out = new Int16Array(n);
  for (let i = n - 1; i >= 0; i--) {
    next = Math.min(fwd[i] ?? 1, next + (1 - next) * attack);
    out[i] = Math.max(-32768, Math.min(32767, Math.round((samples[i] ?? 0) * g * next)));
  }
  return out;
}

const MAX_GAIN_DB = 30;

/**
 * Brings the integrated loudness to the target with one overall gain, and a look-ahead limiter keeps peaks
 * under the ceiling (speech often has 20 dB between its peaks and its loudness, so a gain alone could not
 * reach -19 LUFS under a -3 dBFS ceiling). A second pass corrects the little loudness the limiter removes.
 * Silence (no gated block) is returned unchanged; the gain is at most +30 dB so near-silent noise is not
 * blown up.
 */
export function normalizeLoudness(samples: Int16Array, rate: number, target: LoudnessTarget): Normalized {
  const measured = integratedLoudness(samples, rate);
  if (!Number.isFinite(measured)) return { samples, measuredLufs: measured, gainDb: 0 };
  let gainDb = Math.min(target.integrated - measured, MAX_GAIN_DB);
  let out = gainWithLimiter(samples, rate, gainDb, target.truePeak);
  const after = integratedLoudness(out, rate);
  if (Number.isFinite(after) && Math.abs(after - target.integrated) > 0.3 && gainDb < MAX_GAIN_DB) {
    gainDb = Math.min(gainDb + (target.integrated - after), MAX_GAIN_DB);
    out = gainWithLimiter(samples, rate, gainDb, target.truePeak);
  }
  return { samples: out, measuredLufs: measured, gainDb };
}
