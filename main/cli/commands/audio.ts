// `vvm-desk audio convert IN OUT` and `vvm-desk audio info FILE`: local files, no card or network.
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { createAudioEngine } from '../../app.js';
import { AudioError, FsError } from '../../errors.js';
import { AMR_MODE_NAMES, AMR_SAMPLE_RATE, isAmrNb, parseAmr } from '../../protocol/amr/amr-file.js';
import { isWav, parseWav } from '../../protocol/wav.js';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.js';
import { FFMPEG_INSTALL_HINT } from '../../adapters/ffmpeg/locate.js';
import { GREETING_LOUDNESS, type PreparedGreeting } from '../../services/audio/greeting.js';
import { normalizeLoudness } from '../../services/audio/loudness.js';
import type { EncodedFormat } from '../../services/audio/ports.js';
import { UsageError, type Command, type CommandContext, type CommandGroup } from '../framework.js';

const OUTPUT_FORMATS: Record<string, EncodedFormat | 'amr'> = {
  '.amr': 'amr',
  '.wav': 'wav',
  '.mp3': 'mp3',
  '.flac': 'flac',
  '.opus': 'opus',
  '.ogg': 'opus',
};

/** Reads an input file with typed errors. */
export async function readInputFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'unknown';
    throw new FsError('fs.failed', `Cannot read ${path} (${code}).`, { detail: { path, errno: code }, hint: 'Check the file name and permissions.' });
  }
}

function onExists(ctx: CommandContext): 'error' | 'suffix' | 'overwrite' {
  const v = ctx.options['on-exists'];
  if (v === undefined) return ctx.options.force === true ? 'overwrite' : 'error';
  if (v === 'error' || v === 'suffix' || v === 'overwrite') return v;
  throw new UsageError(`--on-exists must be error, suffix or overwrite (got ${String(v)})`);
}

function engineFor(ctx: CommandContext) {
  const codec = ctx.options.codec;
  if (codec !== undefined && codec !== 'auto' && codec !== 'js' && codec !== 'ffmpeg') throw new UsageError('--codec must be auto, js or ffmpeg');
  return createAudioEngine({ env: ctx.io.env, ...(codec !== undefined && { amrCodec: codec }) });
}

const convert: Command = {
  summary: 'convert audio to or from AMR-NB (formats by extension: .amr .wav .mp3 .flac .opus/.ogg)',
  usage: 'IN OUT [--normalize] [--trim-silence] [--codec auto|js|ffmpeg] [--on-exists error|suffix|overwrite] [--force]',
  options: {
    normalize: { type: 'boolean', default: false },
    'trim-silence': { type: 'boolean', default: false },
    codec: { type: 'string' },
    'on-exists': { type: 'string' },
    force: { type: 'boolean', default: false },
  },
  async run(ctx) {
    const [inPath, outPath] = ctx.args;
    if (!inPath || !outPath || ctx.args.length !== 2) throw new UsageError('audio convert needs IN and OUT');
    const outFormat = OUTPUT_FORMATS[extname(outPath).toLowerCase()];
    if (!outFormat) throw new UsageError(`unsupported output extension '${extname(outPath)}' (use .amr, .wav, .mp3, .flac, .opus or .ogg)`);
    const input = await readInputFile(inPath);
    if (input.length === 0) throw new AudioError('audio.empty', `${inPath} is empty.`, { hint: 'Choose a file that contains audio.' });
    const inIsAmr = isAmrNb(input);
    if (!inIsAmr && outFormat !== 'amr') throw new UsageError('audio convert converts to or from AMR-NB: IN or OUT must be .amr');
    const audio = engineFor(ctx);
    const { signal } = ctx;
    // Everything goes through 8 kHz mono PCM, the AMR-NB format.
    let pcm: Int16Array;
    if (inIsAmr) pcm = await audio.amr.decode(input, signal);
    else if (isWav(input) && !ctx.options.normalize && !ctx.options['trim-silence'] && wavIs8kMono(input)) pcm = parseWav(input).samples;
    else {
      pcm = await audio.transcoder.toPcm(input, { sampleRate: AMR_SAMPLE_RATE, trimSilence: ctx.options['trim-silence'] === true, signal });
    }
    if (ctx.options.normalize === true) pcm = normalizeLoudness(pcm, AMR_SAMPLE_RATE, GREETING_LOUDNESS).samples;
    const out = outFormat === 'amr' ? await audio.amr.encodeMr122(pcm, signal) : await audio.transcoder.fromPcm(pcm, AMR_SAMPLE_RATE, outFormat, {}, signal);
    const dir = dirname(resolve(ctx.io.cwd, outPath));
    const written = await writeFileAtomic(dir, basename(outPath), out, { onExists: onExists(ctx), signal });
    const durationMs = outFormat === 'amr' ? parseAmr(out).durationMs : (pcm.length * 1000) / AMR_SAMPLE_RATE;
    const report = await audio.report(signal);
    ctx.print({ output: resolve(dir, written), format: outFormat, bytes: out.length, durationMs, amrCodec: report.amrCodec }, () => `${resolve(dir, written)}: ${outFormat}, ${(durationMs / 1000).toFixed(2)} s, ${out.length} bytes (AMR codec: ${report.amrCodec})\n`);
    return 0;
  },
};

function wavIs8kMono(bytes: Uint8Array): boolean {
  const w = parseWav(bytes);
  return w.sampleRate === AMR_SAMPLE_RATE && w.channels === 1;
}

/** `audio info` result. */
export interface AudioInfo {
  file: string;
  codec: string;
  sampleRate: number;
  channels: number;
  durationMs: number;
  frames?: number;
  modeCounts?: Record<string, number>;
  sidFrames?: number;
  noDataFrames?: number;
  badQualityFrames?: number;
  bytes: number;
}

/** Describes a file: AMR-NB in detail (frames, modes), WAV from its header, anything else via ffmpeg. */
export async function describeAudio(file: string, bytes: Uint8Array, decodeOther: (b: Uint8Array) => Promise<Int16Array>): Promise<AudioInfo> {
  if (bytes.length === 0) throw new AudioError('audio.empty', `${file} is empty.`, { hint: 'Choose a file that contains audio.' });
  if (isAmrNb(bytes) || bytes[0] === 0x23) {
    const i = parseAmr(bytes);
    const modeCounts: Record<string, number> = {};
    AMR_MODE_NAMES.forEach((n, k) => (modeCounts[n] = i.modeCounts[k] ?? 0));
    return { file, codec: 'amr-nb', sampleRate: 8000, channels: 1, durationMs: i.durationMs, frames: i.frames, modeCounts, sidFrames: i.sidFrames, noDataFrames: i.noDataFrames, badQualityFrames: i.badQualityFrames, bytes: bytes.length };
  }
  if (isWav(bytes)) {
    const w = parseWav(bytes);
    return { file, codec: 'pcm_s16le (wav)', sampleRate: w.sampleRate, channels: w.channels, durationMs: (w.samples.length / w.channels / w.sampleRate) * 1000, bytes: bytes.length };
  }
  const pcm = await decodeOther(bytes);
  return { file, codec: 'other (decoded with ffmpeg)', sampleRate: AMR_SAMPLE_RATE, channels: 1, durationMs: (pcm.length * 1000) / AMR_SAMPLE_RATE, bytes: bytes.length };
}

const info: Command = {
  summary: 'describe an audio file (codec, duration, AMR frames and mode counts)',
  usage: 'FILE [--json]',
  async run(ctx) {
    const [file] = ctx.args;
    if (!file || ctx.args.length !== 1) throw new UsageError('audio info needs one FILE');
    const bytes = await readInputFile(resolve(ctx.io.cwd, file));
    const audio = createAudioEngine({ env: ctx.io.env });
    const i = await describeAudio(file, bytes, (b) => audio.transcoder.toPcm(b, { sampleRate: AMR_SAMPLE_RATE, signal: ctx.signal }));
    ctx.print(i, () => {
      const lines = [`${i.file}: ${i.codec}, ${i.sampleRate} Hz, ${i.channels} ch, ${(i.durationMs / 1000).toFixed(2)} s, ${i.bytes} bytes`];
      if (i.frames !== undefined) {
        const modes = Object.entries(i.modeCounts ?? {})
          .filter(([, n]) => n > 0)
          .map(([m, n]) => `${m} ${n}`)
          .join(', ');
        lines.push(`  frames ${i.frames} (speech: ${modes || 'none'}; SID ${i.sidFrames}; NO_DATA ${i.noDataFrames}; bad ${i.badQualityFrames})`);
      }
      return lines.join('\n') + '\n';
    });
    return 0;
  },
};

const tools: Command = {
  summary: 'show which ffmpeg and AMR-NB codec are used, and what is missing',
  usage: '[--codec auto|js|ffmpeg] [--json]',
  options: { codec: { type: 'string' } },
  async run(ctx) {
    const r = await engineFor(ctx).report(ctx.signal);
    ctx.print(r, () => {
      const lines = [`AMR-NB codec: ${r.amrCodec === 'opencore-js' ? 'opencore-amr (bundled JavaScript build)' : "opencore-amr (ffmpeg's libopencore_amrnb)"}`];
      if ('missing' in r.ffmpeg) lines.push(`ffmpeg: not available: ${r.ffmpeg.missing}`, `  ${FFMPEG_INSTALL_HINT}`, '  (voicemail playback and AMR conversion to WAV still work)');
      else {
        lines.push(`ffmpeg: ${r.ffmpeg.path} (${r.ffmpeg.source})`, `  ${r.ffmpeg.version}`);
        lines.push(r.ffmpeg.unavailable.length === 0 ? '  every export format and greeting option is available' : `  unavailable: ${r.ffmpeg.unavailable.join(', ')} (use a fuller ffmpeg build: set FFMPEG_PATH)`);
      }
      return lines.join('\n') + '\n';
    });
    return 0;
  },
};

/** The `audio` command group. */
export const audioGroup: CommandGroup = {
  name: 'audio',
  summary: 'local audio conversion and inspection (AMR-NB)',
  commands: { convert, info, tools },
};

// ---- hooks used by the `voicemail` and `greeting` groups ----

/** Options `greeting upload` adds for the audio conversion (spread into its `options`). */
export const GREETING_AUDIO_OPTIONS = {
  'trim-silence': { type: 'boolean', default: false },
  'trim-to-limit': { type: 'boolean', default: false },
  'no-normalize': { type: 'boolean', default: false },
  /** Also write the encoded greeting decoded back to WAV: exactly what callers will hear. */
  preview: { type: 'string' },
} as const;

/**
 * Turns any supported input (WAV, MP3, M4A/AAC, FLAC, Ogg/Opus, WebM/Opus, AMR) into an uploadable greeting:
 * mono 8 kHz, loudness-normalised, MR122 AMR-NB without DTX, at most 100 s (AudioError('audio.tooLong')
 * unless --trim-to-limit). Used by `greeting upload`.
 */
export async function greetingFromInput(ctx: CommandContext, input: Uint8Array): Promise<PreparedGreeting> {
  const audio = createAudioEngine({ env: ctx.io.env });
  const g = await audio.greeting.prepare(input, {
    signal: ctx.signal,
    trimSilence: ctx.options['trim-silence'] === true,
    trimToLimit: ctx.options['trim-to-limit'] === true,
    normalize: ctx.options['no-normalize'] !== true,
  });
  if (ctx.global.verbose) ctx.io.stderr(`[info] greeting encoded: AMR-NB MR122, ${g.info.frames} frames, ${(g.durationMs / 1000).toFixed(2)} s${g.truncated ? ' (cut to 100 s)' : ''}\n`);
  const preview = ctx.options.preview;
  if (typeof preview === 'string' && preview !== '') {
    // Written before anything is uploaded, never over an existing file (a failure stops the upload).
    const path = resolve(ctx.io.cwd, preview);
    const written = await writeFileAtomic(dirname(path), basename(path), g.previewWav, { signal: ctx.signal });
    ctx.io.stderr(`preview (the encoded greeting as callers will hear it): ${join(dirname(path), written)}\n`);
  }
  return g;
}
