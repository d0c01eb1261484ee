// Benchmark: every parser that takes server or user input costs time proportional to its input. For each
// parser, the worst input shape we know (runs that made the old code backtrack or copy, escapes, repeats)
// is timed at 1 KiB, 64 KiB and 1 MiB; the figure is the time PER BYTE at 1 MiB divided by the time per
// byte at 1 KiB, measured in the same run. Linear code gives about 1 (less when the parser caps its
// input); quadratic code gives about 1000. Target: at most 2. When 64 KiB already costs more than 16x per
// byte, 1 MiB is not attempted (it could take minutes) and the case is reported as missed.
// Run through the bench runner (npm run bench) or alone: node out/test/bench/parsers-linear.js
import { pathToFileURL } from 'node:url';
import { parseChallenges } from '../../main/protocol/digest/challenge.js';
import { parseBootstrappingInfo } from '../../main/protocol/gba/bootstrapping-info.js';
import { contentDispositionFilename, sanitizeFilename } from '../../main/protocol/mstore/filename.js';
import { parseProfile, parseSearchPage, toVoicemail } from '../../main/protocol/mstore/responses.js';
import { objectPathFromUrl } from '../../main/protocol/mstore/urls.js';
import { decideRange } from '../../main/protocol/wav-range.js';
import { parseTlvs } from '../../main/protocol/apdu/tlv.js';
import { parseAmr } from '../../main/protocol/amr/amr-file.js';
import { scanAmr } from '../../main/protocol/mstore/amr-frames.js';
import { parseWav } from '../../main/protocol/wav.js';
import { describeCaPem } from '../../main/protocol/ca-pem.js';
import { fileNameFor } from '../../main/services/audio/file-names.js';
import { SettingsSchema } from '../../shared/settings.js';
import { nafFqdnFromRealm } from '../../main/protocol/gba/naf-id.js';
import { msisdnFromImpus } from '../../main/protocol/uicc/identity.js';
import type { BenchResult } from './bench-result.js';
import { perCallUs } from './per-call.js';

const KB = 1024;
const SIZES = [KB, 64 * KB, KB * KB] as const;
const enc = new TextEncoder();
const trust = { server: 'https://wsg.t-mobile.com/phone20/mStoreRelay' };

/** `unit` repeated to `size` characters (cut to fit), between `head` and `tail`. */
function fill(head: string, unit: string, tail: string, size: number): string {
  const n = Math.max(0, size - head.length - tail.length);
  return head + unit.repeat(Math.ceil(n / unit.length)).slice(0, n) + tail;
}

/** A flat copy (not a rope of repeats), so the first call does not pay for flattening it. */
function flat(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** Swallows any error: the cost of refusing hostile input is what is measured. */
function quietly(fn: () => unknown): () => void {
  return () => {
    try {
      fn();
    } catch {
      // a refusal is a result too
    }
  };
}

/**
 * Calls `fn` for at least 50 ms (and 5 times): big inputs are parsed only a few times per sample, and
 * without this they would be timed in V8's baseline tiers while small ones run optimised code.
 */
function warmUp(fn: () => void): void {
  const t = performance.now();
  for (let i = 0; i < 5 || performance.now() - t < 50; i++) fn();
}

/** How each size is timed: samples of about 5 ms (at most 200 ms for the 1 MiB inputs), median of 5. */
const TIMING = { minMs: 20, samples: 5, capMs: 200 };

interface Case {
  name: string;
  /** The worst-shape input of about `size` bytes, and the call that parses it. */
  make(size: number): () => void;
  /**
   * What the platform itself costs for the same input (decoding and JSON-parsing the bytes, allocating the
   * result): big strings and arrays live in V8's large-object space and cost more per byte than small
   * ones whatever our code does. When given, the figure is our time over this floor, per size.
   */
  floor?(size: number): () => void;
}

/** Floor of the JSON parsers: UTF-8 decoding and JSON.parse of the same bytes. */
function jsonFloor(b: Uint8Array): () => void {
  return () => JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b));
}

const attrs = (n: number) => JSON.stringify({ vvmserviceProfile: { attributes: { attribute: Array.from({ length: n }, () => ({ name: 'x', value: ['v'] })) } } });
const object = (from: string) => ({
  attributes: { attribute: [{ name: 'date', value: ['2024-01-01T00:00:00Z'] }, { name: 'from', value: [from] }] },
  resourceURL: 'https://wsg.t-mobile.com/x/objects/a',
  payloadPart: [{ contentType: 'audio/amr', size: '1', href: 'https://wsg.t-mobile.com/x/objects/a/payloadParts/part1', contentDisposition: 'attachment; filename="a.amr"' }],
});
const pageCache = new Map<number, Uint8Array>();
/** A search page whose one object's caller is `x@@@...@\n` (the old /@.*$/ backtracked over it). */
function page(n: number): Uint8Array {
  let b = pageCache.get(n);
  if (b === undefined) pageCache.set(n, (b = enc.encode(JSON.stringify({ objectList: { object: [object(fill('x', '@', '\n', n))] } }))));
  return b;
}
const pem = '-----BEGIN CERTIFICATE-----\n';
const amrFrames = (size: number) => {
  const b = new Uint8Array(Math.max(6, size));
  b.set(enc.encode('#!AMR\n'));
  b.fill(0x7c, 6); // frame type 15 (NO_DATA): one byte per frame, the most frames per byte
  return b;
};
const wavChunks = (size: number) => {
  const b = new Uint8Array(Math.max(44, size - (size % 8)));
  b.set(enc.encode('RIFF\0\0\0\0WAVE'));
  for (let p = 12; p + 8 <= b.length; p += 8) b.set(enc.encode('junk'), p); // empty unknown chunks
  return b;
};

const CASES: Case[] = [
  { name: 'file name: reserved stem, dot-space runs', make: (n) => { const s = flat(fill('CON', ' .', 'y.amr', n)); return () => sanitizeFilename(s, 'f.amr'); } },
  { name: 'file name: multibyte, bidi controls', make: (n) => { const s = flat(fill('', 'é\u202e😀', '.amr', n)); return () => sanitizeFilename(s, 'f.amr'); } },
  { name: 'Content-Disposition: unterminated escapes', make: (n) => { const s = flat(fill('attachment; filename="', 'a\\', '', n)); return () => contentDispositionFilename(s); } },
  { name: 'Content-Disposition: repeated parameters', make: (n) => { const s = flat(fill('', ';filename*=x', '', n)); return () => contentDispositionFilename(s); } },
  { name: 'export template: braces', make: (n) => { const s = flat(fill('', '{date', '}', n)); return () => fileNameFor(s, { date: '2024-01-01T00:00:00Z', from: null, durationMs: 0, id: 'i', ext: 'mp3' }, 'UTC'); } },
  { name: 'Range: blanks after the dash', make: (n) => { const s = flat(fill('bytes=0-', ' ', 'x', n)); return () => decideRange(s, 1000); } },
  { name: 'profile: one attribute name repeated', make: (n) => { const b = enc.encode(attrs(Math.max(1, Math.floor(n / 30)))); return quietly(() => parseProfile(b)); } },
  { name: 'search page: caller with @ runs', make: (n) => quietly(() => parseSearchPage(page(n), toVoicemail, trust)), floor: (n) => jsonFloor(page(n)) },
  { name: 'object URL: many segments', make: (n) => { const s = flat(fill('https://wsg.t-mobile.com/', 'a/', 'objects/x', n)); return quietly(() => objectPathFromUrl(s, trust)); } },
  { name: 'object URL: ?path= with dots', make: (n) => { const s = flat(fill('https://h/p?path=http://b/', '.a/', 'objects/x', n)); return quietly(() => objectPathFromUrl(s, trust)); } },
  { name: 'digest challenge: escape runs', make: (n) => { const s = flat(fill('Digest realm="', '\\a', '"', n)); return quietly(() => parseChallenges([s])); } },
  { name: 'BootstrappingInfo: nested elements', make: (n) => { const b = enc.encode(fill('<BootstrappingInfo xmlns="uri:3gpp-gba">', '<a>', '', n)); return quietly(() => parseBootstrappingInfo(b)); } },
  { name: 'TLV: many small objects', make: (n) => { const b = new Uint8Array(n).map((_v, i) => (i % 2 === 0 ? 0x80 : 0x00)); return quietly(() => parseTlvs(b)); } },
  { name: 'AMR: one-byte frames (parse)', make: (n) => { const b = amrFrames(n); return quietly(() => parseAmr(b)); } },
  { name: 'AMR: one-byte frames (upload scan)', make: (n) => { const b = amrFrames(n); return () => scanAmr(b); } },
  { name: 'WAV: empty unknown chunks', make: (n) => { const b = wavChunks(n); return quietly(() => parseWav(b)); } },
  { name: 'CA PEM: BEGIN without END', make: (n) => { const s = flat(fill('', pem, '', n)); return quietly(() => describeCaPem(s)); } },
  { name: 'NAF realm: long host', make: (n) => { const s = flat(fill('3GPP-bootstrapping@', 'a.', 'x', n)); return () => nafFqdnFromRealm(s); } },
  { name: 'IMPU: number runs without a host', make: (n) => { const t = flat(fill('tel:+', '1-', 'x', n)); const u = flat(fill('sip:+1;', 'a', '', n)); return quietly(() => msisdnFromImpus([t, u])); } },
  { name: 'settings: server URL', make: (n) => { const s = flat(fill('https://', 'a', '.example/', n)); return () => SettingsSchema.safeParse({ server: s }); } },
];

/** Runs every case; one row per parser with the 1 MiB / 1 KiB time-per-byte ratio. */
export async function bench(): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const c of CASES) {
    // Three rounds over the sizes, keeping each size's fastest figure: noise (other processes, GC, JIT
    // tiering) only ever slows a measurement down, so the minimum is the stable estimate.
    const best: number[] = [Infinity, Infinity, Infinity];
    const floor: number[] = [Infinity, Infinity, Infinity];
    let skipBig = false;
    // Our cost per byte, over the platform's floor when the case has one.
    const rel = (i: number) => (c.floor ? (best[i] ?? NaN) / (floor[i] ?? NaN) : (best[i] ?? NaN));
    for (let round = 0; round < 3; round++) {
      for (const [i, size] of SIZES.entries()) {
        if (i === 2 && skipBig) break;
        const fn = c.make(size);
        warmUp(fn);
        best[i] = Math.min(best[i] ?? Infinity, (perCallUs(fn, TIMING) * 1000) / size);
        if (c.floor) {
          const f = c.floor(size);
          warmUp(f);
          floor[i] = Math.min(floor[i] ?? Infinity, (perCallUs(f, TIMING) * 1000) / size);
        }
        // Quadratic code is ~64x per byte at 64 KiB; 16x leaves room for noise on a busy machine.
        if (i === 1 && round === 0 && rel(1) > 16 * rel(0)) skipBig = true;
      }
    }
    const [small = NaN, mid = NaN] = best;
    const big = skipBig ? undefined : best[2];
    const ratio = big === undefined ? Infinity : rel(2) / rel(0);
    rows.push({
      name: `linear: ${c.name}`,
      value: Number.isFinite(ratio) ? ratio : 999,
      unit: c.floor ? 'x per byte over the floor, 1 MiB vs 1 KiB' : 'x per byte, 1 MiB vs 1 KiB',
      target: '<= 2x',
      ok: ratio <= 2,
      note:
        `${small.toFixed(1)} / ${mid.toFixed(1)} / ${big === undefined ? 'skipped' : big.toFixed(1)} ns per byte at 1 KiB / 64 KiB / 1 MiB` +
        (c.floor ? ` (floor ${floor.map((f) => f.toFixed(1)).join(' / ')})` : ''),
    });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await bench();
  for (const r of rows) process.stdout.write(`${r.name}: ${r.value.toFixed(2)} ${r.unit} (${r.ok ? 'ok' : 'MISSED'}; ${r.note})\n`);
}
