// Benchmark: hostile inputs to the GBA parsers (the WWW-Authenticate / Authentication-Info parser of
// RFC 7235 / RFC 7616 and the BootstrappingInfo parser of TS 24.109 Annex A) cost bounded time and memory.
// Each figure is a ratio to parsing an ordinary input, so it does not depend on the machine:
//  - a 1 MB header / body is refused with a typed error before any scanning (size checked first), at
//    the cost of refusing a small bad input;
//  - the worst inputs just under the size limits (backslash runs, quote runs, nested elements ...) scan
//    in time proportional to their length;
//  - refusing 1 MB inputs many times keeps no memory.
// Run through the bench runner (npm run bench) or alone: node out/test/bench/gba-hostile.js
import { pathToFileURL } from 'node:url';
import { CHALLENGE_LIMITS, DigestSyntaxError, parseChallenges } from '../../main/protocol/digest/challenge.js';
import { buildBootstrappingInfo, MAX_BOOTSTRAPPING_INFO_BYTES, parseBootstrappingInfo } from '../../main/protocol/gba/bootstrapping-info.js';
import { GbaFormatError } from '../../main/protocol/gba/format-error.js';
import type { BenchResult } from './bench-result.js';
import { perCallUs } from './per-call.js';

const MB = 1 << 20;
const NORMAL_CHALLENGE = 'Digest realm="3GPP-bootstrapping@wsg.t-mobile.com", nonce="a3f0c1d29b8e4f7a", algorithm=MD5, qop="auth,auth-int", opaque="5ccc069c403ebaf9"';
const enc = new TextEncoder();
const NORMAL_INFO = enc.encode(buildBootstrappingInfo('I1U8vpY3qJ0hiuZNrke/NQ==@bsf.msg.pc.t-mobile.com', '2030-01-01T00:00:00Z'));

/** How each parse is timed: samples of at least 10 ms, median of 7. */
const TIMING = { minMs: 40, samples: 7 };

/** Runs the parser and requires the typed error (or a result: near-limit inputs may be valid). */
function expectTyped(fn: () => unknown): () => void {
  return () => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof DigestSyntaxError || e instanceof GbaFormatError)) throw e;
    }
  };
}

function refusedTyped(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (e) {
    return e instanceof DigestSyntaxError || e instanceof GbaFormatError;
  }
}

/** The benchmark as the runner calls it. */
export async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const normalHeader = perCallUs(() => parseChallenges([NORMAL_CHALLENGE]), TIMING);
  const normalInfo = perCallUs(() => parseBootstrappingInfo(NORMAL_INFO), TIMING);

  // 1 MB: refused, typed, at about the cost of an ordinary input.
  const hugeHeader = 'Digest realm="' + 'a'.repeat(MB) + '"';
  const hugeInfo = enc.encode(`<?xml version="1.0"?><BootstrappingInfo xmlns="uri:3gpp-gba">${'<x/>'.repeat(MB / 4)}</BootstrappingInfo>`);
  const headerOk = refusedTyped(() => parseChallenges([hugeHeader]));
  const infoOk = refusedTyped(() => parseBootstrappingInfo(hugeInfo));
  // Compared with refusing a SMALL bad input: building the typed error (its stack) is the fixed cost.
  const smallBadHeader = perCallUs(expectTyped(() => parseChallenges(['Digest realm="a", realm="b"'])), TIMING);
  const smallBadInfo = perCallUs(expectTyped(() => parseBootstrappingInfo(enc.encode('<BootstrappingInfo xmlns="uri:3gpp-gba"><btid>x</btid></BootstrappingInfo>'))), TIMING);
  const hugeHeaderUs = perCallUs(expectTyped(() => parseChallenges([hugeHeader])), TIMING);
  const hugeInfoUs = perCallUs(expectTyped(() => parseBootstrappingInfo(hugeInfo)), TIMING);
  out.push(
    { name: 'gba-hostile: 1 MB WWW-Authenticate refused, time / small bad header refused', value: hugeHeaderUs / smallBadHeader, unit: 'x', target: '<= 3x, typed error', ok: headerOk && hugeHeaderUs / smallBadHeader <= 3, note: `${(hugeHeaderUs / normalHeader).toFixed(1)}x an ordinary header parse` },
    { name: 'gba-hostile: 1 MB BootstrappingInfo refused, time / small bad body refused', value: hugeInfoUs / smallBadInfo, unit: 'x', target: '<= 3x, typed error', ok: infoOk && hugeInfoUs / smallBadInfo <= 3, note: `${(hugeInfoUs / normalInfo).toFixed(2)}x an ordinary body parse` },
  );

  // Just under the limits: the worst shapes scan linearly (per character, compared with plain letters).
  const n = CHALLENGE_LIMITS.maxChars - 16;
  const plain = perCallUs(expectTyped(() => parseChallenges(['Digest a="' + 'a'.repeat(n - 12) + '"'])), TIMING) / n;
  const shapes: Array<[string, string]> = [
    ['backslashes', '\\'.repeat(n)],
    ['quotes', '"'.repeat(n)],
    ['escaped quotes in a value', 'Digest a="' + '\\"'.repeat(n / 2 - 10)],
    ['commas and equals', ',='.repeat(n / 2)],
    ['many short params', 'Digest ' + 'a=b,'.repeat(n / 4 - 4)],
    ['spaces', ' '.repeat(n)],
  ];
  let worst = 0;
  let worstName = '';
  for (const [name, s] of shapes) {
    const r = perCallUs(expectTyped(() => parseChallenges([s])), TIMING) / s.length / plain;
    if (r > worst) [worst, worstName] = [r, name];
  }
  out.push({ name: 'gba-hostile: worst 16 KB header shape, time per char / plain value', value: worst, unit: 'x', target: '<= 10x', ok: worst <= 10, note: worstName });

  const m = MAX_BOOTSTRAPPING_INFO_BYTES - 200;
  const nested = enc.encode(`<?xml version="1.0"?><BootstrappingInfo xmlns="uri:3gpp-gba"><btid>a@b.c</btid><lifetime>2030-01-01T00:00:00Z</lifetime><o:x xmlns:o="urn:o">${'<o:a>'.repeat(Math.floor(m / 11))}${'</o:a>'.repeat(Math.floor(m / 11))}</o:x></BootstrappingInfo>`);
  const text = enc.encode(`<?xml version="1.0"?><BootstrappingInfo xmlns="uri:3gpp-gba"><btid>a@b.c</btid><lifetime>2030-01-01T00:00:00Z</lifetime><o:x xmlns:o="urn:o">${'a'.repeat(m - 200)}</o:x></BootstrappingInfo>`);
  const nestedRatio = perCallUs(expectTyped(() => parseBootstrappingInfo(nested)), TIMING) / nested.length / (perCallUs(expectTyped(() => parseBootstrappingInfo(text)), TIMING) / text.length);
  out.push({ name: 'gba-hostile: 16 KB nested BootstrappingInfo, time per byte / flat text', value: nestedRatio, unit: 'x', target: '<= 10x', ok: nestedRatio <= 10 });

  // Memory: refusing 1 MB inputs 2000 times keeps nothing (heap growth after GC, in MB).
  const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 2000; i++) {
    expectTyped(() => parseChallenges([hugeHeader]))();
    expectTyped(() => parseBootstrappingInfo(hugeInfo))();
  }
  gc?.();
  const grownMb = (process.memoryUsage().heapUsed - before) / MB;
  out.push({ name: 'gba-hostile: heap growth after 2000 refused 1 MB inputs', value: grownMb, unit: 'MB', target: '<= 8 MB', ok: grownMb <= 8, note: gc === null ? 'GC not forced (run with node --expose-gc for a settled figure)' : 'after a forced GC' });
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await bench();
  for (const r of rows) process.stdout.write(`${r.ok === false ? 'MISSED' : 'ok    '} ${r.name}: ${r.value.toFixed(2)} ${r.unit} (target ${r.target ?? '-'})${r.note ? ` [${r.note}]` : ''}\n`);
  process.exitCode = rows.every((r) => r.ok !== false) ? 0 : 1;
}
