// Runs ffmpeg with pipes: input on stdin, output on stdout, errors on stderr (-loglevel error).
// Bounded concurrency (a small semaphore shared by every caller of one runner), killed on abort or
// timeout, stderr turned into typed AudioErrors. Two exceptions to "pipes only", both through a private
// temporary directory (mkdtemp: random name, mode 0700) removed afterwards, never a predictable path:
// - inputs in an MP4/MOV container whose index (moov) may sit at the end cannot be read from a pipe;
// - outputs whose header is finished by seeking back once the stream ends (MP3: the Xing/LAME frame
//   with frame count, encoder delay and padding; FLAC: STREAMINFO's total samples and MD5) are written
//   to a file there (FFMPEG_OUTFILE) and read back. Through a pipe those headers stay empty, and readers
//   then see the wrong duration (MP3 about 0.15 s too long at 8 kHz).
// Temporary directories live under one private folder of ours (vvm-desk-<uid>, 0700, checked to be ours),
// and a process that was killed before it could clean up leaves debris there that the next run sweeps
// (directories older than an hour). Children are killed when this process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioError, CancelledError, throwIfAborted } from '../../errors.js';

/** Placeholder for the input in argument lists: replaced by a temp path for seek-only containers. */
export const FFMPEG_STDIN = 'pipe:0';
/** Output to stdout. */
export const FFMPEG_STDOUT = 'pipe:1';
/** Placeholder for a seekable output file: replaced by a path in a private temp dir, read back as the result. */
export const FFMPEG_OUTFILE = 'vvm-seekable-output';

const DEFAULT_MAX_OUTPUT = 512 * 1024 * 1024;

/** A temporary directory older than this belongs to a run that was killed, not to one in progress. */
export const STALE_TEMP_DIR_MS = 60 * 60_000;

const live = new Set<ChildProcess>();
let exitHooked = false;

/** Kills `child` when this process exits (normal exit, or a signal Node turns into an exit). */
function killWithParent(child: ChildProcess): void {
  live.add(child);
  child.once('close', () => live.delete(child));
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

/**
 * The private parent of our temporary directories: `<tmp>/vvm-desk-<uid>`, mode 0700, a real directory
 * owned by this user (a symlink or someone else's folder planted there is not used: then the system
 * temporary folder itself, where mkdtemp still gives a private 0700 directory).
 */
export async function privateTempRoot(base = tmpdir()): Promise<string> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const root = join(base, uid === null ? 'vvm-desk' : `vvm-desk-${uid}`);
  try {
    await mkdir(root, { mode: 0o700 });
  } catch (e) {
    if (!(e instanceof Error && 'code' in e && e.code === 'EEXIST')) return base;
  }
  try {
    const st = await lstat(root);
    if (!st.isDirectory() || (uid !== null && st.uid !== uid) || (process.platform !== 'win32' && (st.mode & 0o077) !== 0)) return base;
  } catch {
    return base;
  }
  return root;
}

/** Removes `vvm-ffmpeg-*` directories in `root` older than `olderThanMs`: audio left by a killed run. */
export async function sweepStaleTempDirs(root: string, olderThanMs = STALE_TEMP_DIR_MS, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith('vvm-ffmpeg-')) continue;
    try {
      const st = await lstat(join(root, name));
      if (!st.isDirectory() || now - st.mtimeMs < olderThanMs) continue;
      await rm(join(root, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // gone already or not ours
    }
  }
  return removed;
}

/** A counting semaphore. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly limit: number) {
    if (limit < 1) throw new RangeError('Semaphore limit must be >= 1');
  }
  /** Runs `fn` once a slot is free. Waiting is abandoned (CancelledError) if the signal aborts. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const i = this.waiters.indexOf(go);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new CancelledError());
        };
        const go = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        if (signal?.aborted) return reject(new CancelledError());
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(go);
      });
    } else {
      this.active++;
    }
    try {
      throwIfAborted(signal);
      return await fn();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    }
  }
  /** Runs currently holding a slot (for tests and diagnostics). */
  get running(): number {
    return this.active;
  }
}

/** Options of one ffmpeg run. */
export interface FfmpegRunOptions {
  /** Bytes for stdin (the args must read `pipe:0`). */
  input?: Uint8Array;
  signal?: AbortSignal;
  /** Kill after this long (default 120 s). */
  timeoutMs?: number;
  /** Refuse more output than this (default 512 MiB). */
  maxOutputBytes?: number;
}

/** True for ISO-BMFF inputs (MP4/M4A/MOV: "ftyp" box at byte 4), which ffmpeg may need to seek in. */
export function needsSeekableInput(input: Uint8Array): boolean {
  return input.length >= 8 && input[4] === 0x66 && input[5] === 0x74 && input[6] === 0x79 && input[7] === 0x70;
}

/** Turns ffmpeg's stderr (at -loglevel error) into a typed error. Exported for tests. */
export function classifyFfmpegFailure(stderr: string, exitCode: number | null): AudioError {
  const text = stderr.trim();
  const tail = text.split('\n').slice(-6).join('\n').slice(-800);
  const detail = { exitCode: exitCode ?? -1, stderr: tail };
  if (/Unknown encoder|Encoder not found|Unknown decoder|Decoder not found|Unsupported codec/i.test(text)) {
    return new AudioError('audio.codecMissing', 'ffmpeg lacks a codec needed for this conversion.', { detail, hint: 'Use an ffmpeg build with the codec (set FFMPEG_PATH).' });
  }
  if (/No such filter/i.test(text)) {
    return new AudioError('audio.codecMissing', 'ffmpeg lacks a filter needed for this conversion.', { detail, hint: 'Use a full ffmpeg build (set FFMPEG_PATH).' });
  }
  if (/not on whitelist/i.test(text)) {
    return new AudioError('audio.invalid', 'This kind of file is not accepted as audio input.', { detail, hint: 'Use WAV, MP3, M4A/AAC, FLAC, Ogg/Opus, WebM/Opus or AMR-NB.' });
  }
  if (/Invalid data found|moov atom not found|could not find codec parameters|Invalid argument|Error while decoding|does not contain any stream|Failed to read frame|End of file/i.test(text)) {
    return new AudioError('audio.invalid', 'The input is not audio ffmpeg can decode (corrupt, truncated or an unsupported format).', {
      detail,
      hint: 'Use WAV, MP3, M4A/AAC, FLAC, Ogg/Opus, WebM/Opus or AMR-NB.',
    });
  }
  return new AudioError('audio.failed', `ffmpeg failed (exit ${exitCode ?? 'killed'}).`, { detail, hint: 'Run with --verbose and check the detail; report it if it persists.' });
}

/** Runs ffmpeg binaries with a shared concurrency bound. */
export class FfmpegRunner {
  private readonly sem: Semaphore;
  constructor(
    readonly path: string,
    concurrency = 2,
  ) {
    this.sem = new Semaphore(concurrency);
  }

  private root: Promise<string> | null = null;

  /** The private temp root, found once; the first use also sweeps what killed runs left there. */
  private tempRoot(): Promise<string> {
    this.root ??= privateTempRoot().then(async (r) => {
      await sweepStaleTempDirs(r);
      return r;
    });
    return this.root;
  }

  /** Runs `ffmpeg -hide_banner -loglevel error -nostats <args>`; resolves with stdout. */
  run(args: string[], opts: FfmpegRunOptions = {}): Promise<Uint8Array> {
    return this.sem.run(async () => {
      const input = opts.input;
      const seekIn = input !== undefined && needsSeekableInput(input) && args.includes(FFMPEG_STDIN);
      const seekOut = args.includes(FFMPEG_OUTFILE);
      if (!seekIn && !seekOut) return this.spawnOnce(args, opts);
      const dir = await mkdtemp(join(await this.tempRoot(), 'vvm-ffmpeg-'));
      try {
        const inFile = join(dir, 'input');
        const outFile = join(dir, 'output');
        if (seekIn) await writeFile(inFile, input, { mode: 0o600 });
        const mapped = args.map((a) => (seekIn && a === FFMPEG_STDIN ? inFile : a === FFMPEG_OUTFILE ? outFile : a));
        const stdout = await this.spawnOnce(mapped, seekIn ? { ...opts, input: undefined } : opts);
        if (!seekOut) return stdout;
        const out = new Uint8Array(await readFile(outFile));
        const maxOut = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
        if (out.length > maxOut) throw new AudioError('audio.failed', 'ffmpeg produced more output than allowed.', { detail: { maxOutputBytes: maxOut } });
        return out;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, opts.signal);
  }

  private spawnOnce(args: string[], opts: FfmpegRunOptions): Promise<Uint8Array> {
    const { signal, input } = opts;
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const maxOut = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    throwIfAborted(signal);
    return new Promise<Uint8Array>((resolve, reject) => {
      const child = spawn(this.path, ['-hide_banner', '-loglevel', 'error', '-nostats', ...args], {
        stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      killWithParent(child);
      const chunks: Buffer[] = [];
      let outBytes = 0;
      let stderr = '';
      let failure: Error | null = null;
      const kill = (why: Error) => {
        if (!failure) failure = why;
        child.kill('SIGKILL');
      };
      const onAbort = () => kill(new CancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => kill(new AudioError('audio.failed', `ffmpeg took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`, { retryable: true })), timeoutMs);
      child.stdout?.on('data', (d: Buffer) => {
        outBytes += d.length;
        if (outBytes > maxOut) kill(new AudioError('audio.failed', 'ffmpeg produced more output than allowed.', { detail: { maxOutputBytes: maxOut } }));
        else chunks.push(d);
      });
      child.stderr?.setEncoding('utf8').on('data', (d: string) => {
        if (stderr.length < 16_384) stderr += d;
      });
      child.on('error', (e: NodeJS.ErrnoException) => {
        failure ??=
          e.code === 'ENOENT' || e.code === 'EACCES'
            ? new AudioError('audio.ffmpegMissing', `ffmpeg at ${this.path} could not be started.`, { detail: { path: this.path, errno: e.code } })
            : e;
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (failure) return reject(failure);
        if (code !== 0) return reject(classifyFfmpegFailure(stderr, code));
        resolve(new Uint8Array(Buffer.concat(chunks)));
      });
      if (input && child.stdin) {
        // ffmpeg may exit before reading everything (bad input): EPIPE is then expected, the exit code tells.
        child.stdin.on('error', () => {});
        child.stdin.end(input);
      }
    });
  }
}
