// The shape every benchmark module reports to the runner (test/bench/run.ts).

/** One measured figure. `ok: false` marks a missed target (the runner exits 1). */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The target, in words ("<= 20 APDUs"), when there is one. */
  target?: string;
  ok?: boolean;
  note?: string;
}

/** A module's own report, printed line by line (`run<Name>Bench()`); `ok: false` marks a missed target. */
export interface LinesBenchResult {
  name: string;
  ok: boolean;
  lines: string[];
}
