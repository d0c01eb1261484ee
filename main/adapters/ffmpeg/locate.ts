// Finding ffmpeg and probing what it can do, once per binary.
// Resolution order: ffmpeg-static's binary when it exists on disk (its download is attempted by the
// project's postinstall, scripts/fetch-ffmpeg.js), then FFMPEG_PATH, then `ffmpeg` on PATH.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { AudioError, throwIfAborted } from '../../errors.js';
import { unpackedPath } from '../paths.js';

/** Where the chosen ffmpeg came from. */
export type FfmpegSource = 'ffmpeg-static' | 'FFMPEG_PATH' | 'PATH';

/** What one ffmpeg binary can do, from `-version`, `-encoders`, `-decoders` and `-filters`. */
export interface FfmpegCapabilities {
  path: string;
  source: FfmpegSource;
  /** First line of `ffmpeg -version`. */
  version: string;
  encoders: ReadonlySet<string>;
  decoders: ReadonlySet<string>;
  filters: ReadonlySet<string>;
}

/** Install hint shown whenever ffmpeg or one of its codecs is missing. */
export const FFMPEG_INSTALL_HINT =
  'Install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg), ' +
  'or set FFMPEG_PATH to an ffmpeg binary, or reinstall with internet access so the bundled ffmpeg-static binary is fetched.';

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where ffmpeg-static's download puts its binary: next to its package.json (as its index.js computes it).
 * Not `require('ffmpeg-static')`, which would return process.env.FFMPEG_BIN when set: ffmpeg's location
 * must depend only on the options given here (FFMPEG_PATH in `env`), not on a variable read behind them.
 * In a packaged app the package sits inside app.asar; its binary is unpacked (electron-builder.yml
 * asarUnpack) and only that copy can be executed.
 */
export function ffmpegStaticModulePath(platform: NodeJS.Platform = process.platform): unknown {
  const pkg = createRequire(import.meta.url).resolve('ffmpeg-static/package.json');
  return unpackedPath(join(dirname(pkg), platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg'));
}

/**
 * ffmpeg-static's binary path when that file exists and is executable, else null (its download is
 * optional: scripts/fetch-ffmpeg.js). `modulePath` is injectable so tests can point it at a fake file.
 */
export function ffmpegStaticBinary(modulePath: () => unknown = ffmpegStaticModulePath): string | null {
  try {
    const p = modulePath();
    return typeof p === 'string' && isExecutableFile(p) ? p : null;
  } catch {
    return null;
  }
}

/** Looks `ffmpeg` up in a PATH string, as a shell would. */
export function findOnPath(pathVar: string | undefined, platform: NodeJS.Platform = process.platform): string | null {
  if (!pathVar) return null;
  const names = platform === 'win32' ? ['ffmpeg.exe', 'ffmpeg'] : ['ffmpeg'];
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const p = join(dir, n);
      if (isExecutableFile(p)) return p;
    }
  }
  return null;
}

/** Inputs of the resolution; `staticBinary` is injectable so tests can pretend it is absent. */
export interface LocateOptions {
  env: Record<string, string | undefined>;
  /** Defaults to {@link ffmpegStaticBinary}(). */
  staticBinary?: string | null;
}

/** Picks the ffmpeg binary (no probing). Throws AudioError('audio.ffmpegMissing') when none is found. */
export function resolveFfmpeg(opts: LocateOptions): { path: string; source: FfmpegSource } {
  const stat = opts.staticBinary === undefined ? ffmpegStaticBinary() : opts.staticBinary;
  if (stat) return { path: stat, source: 'ffmpeg-static' };
  const configured = opts.env.FFMPEG_PATH;
  if (configured) {
    // A configured path that is wrong is an error, not a reason to silently use another ffmpeg.
    if (isExecutableFile(configured)) return { path: configured, source: 'FFMPEG_PATH' };
    throw new AudioError('audio.ffmpegMissing', 'FFMPEG_PATH does not point to an executable ffmpeg.', {
      detail: { FFMPEG_PATH: configured },
      hint: 'Fix or unset FFMPEG_PATH. ' + FFMPEG_INSTALL_HINT,
    });
  }
  const onPath = findOnPath(opts.env.PATH);
  if (onPath) return { path: onPath, source: 'PATH' };
  throw new AudioError('audio.ffmpegMissing', 'ffmpeg was not found (no bundled binary, FFMPEG_PATH unset, not on PATH).', { hint: FFMPEG_INSTALL_HINT });
}

function runForText(path: string, args: string[], signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, ['-hide_banner', ...args], { stdio: ['ignore', 'pipe', 'pipe'], signal, timeout: 15_000 });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.resume();
    child.on('error', (e) => reject(e));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code ?? 'signal'}`))));
  });
}

/** Parses `ffmpeg -encoders` / `-decoders` / `-filters` listings into names. */
export function parseListing(text: string, kind: 'codecs' | 'filters'): Set<string> {
  const names = new Set<string>();
  // Codec rows: " A....D name  description" (flags column of 6); filter rows: " TSC name  A->A  description".
  const re = kind === 'codecs' ? /^\s[VASDFXBI.]{6}\s+(\S+)\s/ : /^\s[TSC.]{2,3}\s+(\S+)\s+\S+->\S+/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (m?.[1] && m[1] !== '=') names.add(m[1]);
  }
  return names;
}

const probes = new Map<string, Promise<FfmpegCapabilities>>();

/**
 * Probes one binary (`-version`, `-encoders`, `-decoders`, `-filters`), memoised per path for the life of
 * the process. A binary that does not run is AudioError('audio.ffmpegMissing').
 */
export function probeFfmpeg(path: string, source: FfmpegSource, signal?: AbortSignal): Promise<FfmpegCapabilities> {
  const key = `${source}:${path}`;
  const cached = probes.get(key);
  if (cached) return cached;
  const p = (async () => {
    throwIfAborted(signal);
    try {
      const [version, enc, dec, fil] = await Promise.all([
        runForText(path, ['-version'], signal),
        runForText(path, ['-encoders'], signal),
        runForText(path, ['-decoders'], signal),
        runForText(path, ['-filters'], signal),
      ]);
      return {
        path,
        source,
        version: version.split('\n')[0]?.trim() ?? 'unknown',
        encoders: parseListing(enc, 'codecs'),
        decoders: parseListing(dec, 'codecs'),
        filters: parseListing(fil, 'filters'),
      };
    } catch (e) {
      throwIfAborted(signal);
      throw new AudioError('audio.ffmpegMissing', `ffmpeg at ${path} (${source}) could not be run.`, {
        detail: { path, source },
        hint: FFMPEG_INSTALL_HINT,
        cause: e,
      });
    }
  })();
  probes.set(key, p);
  p.catch(() => probes.delete(key));
  return p;
}

/**
 * Resolves and probes ffmpeg. A bundled binary that does not run (a damaged download, a wrong
 * architecture) must not hide a working one: then FFMPEG_PATH and PATH are tried as if it were absent.
 */
export async function locateFfmpeg(opts: LocateOptions, signal?: AbortSignal): Promise<FfmpegCapabilities> {
  const { path, source } = resolveFfmpeg(opts);
  if (source !== 'ffmpeg-static') return probeFfmpeg(path, source, signal);
  try {
    return await probeFfmpeg(path, source, signal);
  } catch (bundledFailed) {
    throwIfAborted(signal);
    let next: { path: string; source: FfmpegSource };
    try {
      next = resolveFfmpeg({ ...opts, staticBinary: null });
    } catch {
      throw bundledFailed;
    }
    return probeFfmpeg(next.path, next.source, signal);
  }
}

/** Throws AudioError('audio.codecMissing') naming what is missing unless every encoder listed exists. */
export function requireEncoder(caps: FfmpegCapabilities, encoder: string, purpose: string): void {
  if (caps.encoders.has(encoder)) return;
  throw new AudioError('audio.codecMissing', `The ffmpeg in use has no '${encoder}' encoder, needed for ${purpose}.`, {
    detail: { path: caps.path, source: caps.source, version: caps.version, missing: encoder },
    hint: `Use an ffmpeg build with ${encoder} (set FFMPEG_PATH). ${FFMPEG_INSTALL_HINT}`,
  });
}

/** Same for a filter (loudnorm, silenceremove). */
export function requireFilter(caps: FfmpegCapabilities, filter: string, purpose: string): void {
  if (caps.filters.has(filter)) return;
  throw new AudioError('audio.codecMissing', `The ffmpeg in use has no '${filter}' filter, needed for ${purpose}.`, {
    detail: { path: caps.path, source: caps.source, version: caps.version, missing: filter },
    hint: FFMPEG_INSTALL_HINT,
  });
}
