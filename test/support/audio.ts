// Test helpers for audio: real tools (ffmpeg, ffprobe, sox, espeak-ng) generate inputs at test time into
// temp dirs, and independent decoders check outputs. A missing tool FAILS the test with an install hint.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseWav } from '../../main/protocol/wav.js';

const INSTALL = 'install the test tools: bash scripts/install-system-deps.sh (apt-get install -y ffmpeg sox libsox-fmt-all espeak-ng)';

/** Absolute path of a system tool, or throws with an install hint. */
export function requireTool(name: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  if (r.status !== 0 || !p) throw new Error(`${name} is not installed: ${INSTALL}`);
  return p;
}

/**
 * The static ffmpeg with libopencore_amrnb shipped in @ffmpeg-installer's per-platform npm package
 * (pulled in as an optional dependency of the @ffmpeg-installer/ffmpeg devDependency, so `npm ci` also
 * works on platforms it has no build for; there this fails with a message).
 */
export function installerFfmpeg(): string {
  const pkg = `@ffmpeg-installer/${process.platform}-${process.arch}`;
  const p = resolve(`node_modules/${pkg}/ffmpeg${process.platform === 'win32' ? '.exe' : ''}`);
  if (!existsSync(p)) throw new Error(`${pkg} is missing: run npm ci (it comes with the @ffmpeg-installer/ffmpeg devDependency)`);
  return p;
}

/** A temp dir removed by the returned cleanup. */
export function tempDir(prefix = 'vvm-audio-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function run(cmd: string, args: string[]): Buffer {
  return execFileSync(cmd, args, { maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A sine tone as a WAV file (ffmpeg lavfi), `amplitude` 0..1. */
export function toneWav(dir: string, name: string, freq: number, seconds: number, rate = 8000, amplitude = 0.5): string {
  const out = join(dir, name);
  run(requireTool('ffmpeg'), ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${freq}:sample_rate=${rate}:duration=${seconds}`, '-af', `volume=${amplitude * 8}`, '-ac', '1', '-c:a', 'pcm_s16le', out]);
  return out;
}

/** Real speech from espeak-ng (22.05 kHz mono WAV). */
export function speechWav(dir: string, name: string, text: string): string {
  const out = join(dir, name);
  run(requireTool('espeak-ng'), ['-w', out, text]);
  return out;
}

/** Converts any file with ffmpeg (system build) using extra output args. */
export function ffmpegConvert(input: string, output: string, outArgs: string[] = [], ffmpeg = requireTool('ffmpeg')): string {
  run(ffmpeg, ['-v', 'error', '-y', '-i', input, ...outArgs, output]);
  return output;
}

/** AMR-NB with DTX (sox always enables DTX): SID and NO_DATA frames in pauses. */
export function soxAmrDtx(wav: string, out: string): string {
  run(requireTool('sox'), [wav, '-r', '8000', '-c', '1', '-t', 'amr-nb', '-C', '7', out]);
  return out;
}

/** ffprobe's JSON for a file (format and streams). */
export function ffprobe(file: string): { format: { duration?: string; format_name?: string; tags?: Record<string, string> }; streams: { codec_name?: string; sample_rate?: string; channels?: number; tags?: Record<string, string> }[] } {
  const out = run(requireTool('ffprobe'), ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]).toString('utf8');
  return JSON.parse(out);
}

/** Number of packets ffprobe reads from the first audio stream (AMR: one per 20 ms frame). */
export function ffprobePackets(file: string): number {
  const out = run(requireTool('ffprobe'), ['-v', 'error', '-count_packets', '-select_streams', 'a:0', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file]).toString('utf8');
  return Number(out.trim());
}

/** sox's view of a file: duration in seconds (decoded independently of ffmpeg). */
export function soxDuration(file: string, type?: string): number {
  const args = type ? ['--i', '-D', '-t', type, file] : ['--i', '-D', file];
  return Number(run(requireTool('sox'), args).toString('utf8').trim());
}

/** Samples of a 16-bit mono WAV file or bytes. */
export function wavSamples(fileOrBytes: string | Uint8Array): { samples: Int16Array; sampleRate: number } {
  const bytes = typeof fileOrBytes === 'string' ? new Uint8Array(readFileSync(fileOrBytes)) : fileOrBytes;
  const w = parseWav(bytes);
  return { samples: w.samples, sampleRate: w.sampleRate };
}

/**
 * Decodes any file to 8 kHz mono s16 with ffmpeg (independent reference decoder): the system build by
 * default; `inArgs` go before `-i` (e.g. forcing the libopencore_amrnb decoder of the static build).
 */
export function referencePcm(file: string, rate = 8000, ffmpeg = requireTool('ffmpeg'), inArgs: string[] = []): Int16Array {
  const raw = run(ffmpeg, ['-v', 'error', ...inArgs, '-i', file, '-ac', '1', '-ar', String(rate), '-f', 's16le', '-']);
  const out = new Int16Array(raw.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = raw.readInt16LE(i * 2);
  return out;
}

/** Writes bytes to dir/name and returns the path. */
export function writeTemp(dir: string, name: string, data: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

/**
 * Frequency with the most energy between fmin and fmax (Goertzel scan at 1 Hz, parabolic refinement),
 * over the middle of the signal (codec start-up transients excluded).
 */
export function dominantFrequency(samples: Int16Array, rate: number, fmin = 100, fmax = 3500): number {
  const start = Math.floor(samples.length / 4);
  const seg = samples.subarray(start, start + Math.min(rate, samples.length - start));
  const power = (f: number) => {
    const w = (2 * Math.PI * f) / rate;
    const c = 2 * Math.cos(w);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < seg.length; i++) {
      const s0 = (seg[i] ?? 0) + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return s1 * s1 + s2 * s2 - c * s1 * s2;
  };
  let best = fmin;
  let bestP = -1;
  for (let f = fmin; f <= fmax; f++) {
    const p = power(f);
    if (p > bestP) {
      bestP = p;
      best = f;
    }
  }
  const a = power(best - 0.5);
  const b = bestP;
  const c = power(best + 0.5);
  const denom = a - 2 * b + c;
  return denom === 0 ? best : best + (0.5 * (a - c)) / denom / 2;
}

/** Best normalised cross-correlation of b against a over lags 0..maxLag (b delayed). */
export function bestCorrelation(a: Int16Array, b: Int16Array, maxLag = 400): number {
  let best = -1;
  const n = Math.min(a.length, b.length) - maxLag;
  for (let lag = 0; lag <= maxLag; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < n; i++) {
      const x = a[i] ?? 0;
      const y = b[i + lag] ?? 0;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    const r = aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
    if (r > best) best = r;
  }
  return best;
}

/** Integrated loudness (LUFS) measured by ffmpeg's ebur128 filter. */
export function integratedLoudness(file: string): number {
  const r = spawnSync(requireTool('ffmpeg'), ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128', '-f', 'null', '-'], { encoding: 'utf8' });
  const m = /I:\s+(-?[\d.]+) LUFS\s+Threshold/.exec(r.stderr.slice(r.stderr.lastIndexOf('Summary')));
  if (!m?.[1]) throw new Error('could not measure loudness');
  return Number(m[1]);
}
