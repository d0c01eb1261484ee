// Fuzzing in the suite: a fixed seed and a bounded number of runs in `npm test` (reproducible, quick);
// `npm run fuzz` sets VVM_FUZZ_RUNS (and may set VVM_FUZZ_SEED) for a longer run. A failure prints the
// seed and the shrunk counterexample; re-run with VVM_FUZZ_SEED=<seed> to reproduce it.
import fc from 'fast-check';

const runs = Number(process.env.VVM_FUZZ_RUNS ?? '') || 200;
const seed = Number(process.env.VVM_FUZZ_SEED ?? '') || 0x11_2026;

/** fast-check parameters for every property of test/fuzz/. */
export function fuzzParams(scale = 1): fc.Parameters<unknown> {
  return { seed, numRuns: Math.max(1, Math.round(runs * scale)), endOnFailure: false };
}

/** Per-property timeout for vitest: a long `npm run fuzz` gets the time it needs. */
export const FUZZ_TIMEOUT_MS = Math.max(30_000, runs * 50);

/** Runs `prop` with {@link fuzzParams}. */
export function check<Ts extends [unknown, ...unknown[]]>(prop: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>, scale = 1): void | Promise<void> {
  return fc.assert(prop as fc.IProperty<Ts>, fuzzParams(scale) as fc.Parameters<Ts>);
}

/** A string mixing the characters parsers care about (quotes, escapes, separators, controls, non-ASCII). */
export function hostileString(maxLength = 200): fc.Arbitrary<string> {
  const special = fc.constantFrom('"', '\\', ',', '=', ';', ' ', '\t', '\r', '\n', '\u0000', '\u007f', '/', '.', '%', ':', '@', '?', '#', '\u202e', '\ud800', '\udc00', 'é', '😀', '<', '>', '&');
  return fc.array(fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 4 }) }, { weight: 2, arbitrary: special }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) }), { maxLength }).map((a) => a.join(''));
}

/** Bytes of any value, or bytes starting with `prefix` (so parsers get past their magic). */
export function bytesWithPrefix(prefix: Uint8Array, maxLength = 512): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength }),
    fc.uint8Array({ maxLength }).map((rest) => {
      const out = new Uint8Array(prefix.length + rest.length);
      out.set(prefix);
      out.set(rest, prefix.length);
      return out;
    }),
  );
}
