// Export voicemails to files: WAV, MP3, FLAC, Ogg/Opus (tagged with caller, date, duration) or the
// original AMR bytes; names from a template; atomic writes that never overwrite silently; an optional
// JSON or CSV manifest; progress and cancellation per item. Payloads come from `fetchPayload` (the mstore
// client provides it), so this service does not depend on mstore code.
import { FsError, toAppError, throwIfAborted } from '../../errors.js';
import type { AppError } from '../../../shared/errors.js';
import { isAmrNb, parseAmr } from '../../protocol/amr/amr-file.js';
import { parseWav } from '../../protocol/wav.js';
import type { OpOptions } from '../ports.js';
import { DEFAULT_NAME_TEMPLATE, fileNameFor, formatDuration } from './file-names.js';
import type { PlaybackService } from './playback.js';
import type { FileSinkPort, TranscoderPort } from './ports.js';

/** Formats `voicemail export --format` accepts. */
export const EXPORT_FORMATS = ['wav', 'mp3', 'flac', 'opus', 'amr'] as const;
/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const EXTENSIONS: Record<ExportFormat, string> = { wav: 'wav', mp3: 'mp3', flac: 'flac', opus: 'opus', amr: 'amr' };

/** What the exporter needs to know about one voicemail. */
export interface ExportItem {
  id: string;
  /** Caller in E.164, or null when withheld. */
  from: string | null;
  /** ISO instant the voicemail was left. */
  date: string;
  /** Library facts for the manifest (exports from the local library): they add manifest columns. */
  library?: LibraryManifestFields;
}

/** Manifest columns an export from the local library adds (caller, date and duration are there already). */
export interface LibraryManifestFields {
  read: boolean;
  /** SHA-256 (hex) of the original AMR kept in the library. */
  sha256: string;
  notes: string;
  /** The server's file name of the original. */
  serverFilename: string;
}

/**
 * The export item of a listed voicemail. The server gives callers as digits without '+' (e.g.
 * 12065550123) and '' when withheld: E.164 when it looks like one, null when withheld. Used by the
 * CLI's `voicemail export` and the desktop alike, so both name the files the same way.
 */
export function exportItemOf(v: { id: string; from: string; date: string }): ExportItem {
  const from = v.from === '' ? null : /^\d{11,15}$/.test(v.from) ? `+${v.from}` : v.from;
  return { id: v.id, from, date: v.date };
}

/** Options of {@link ExportService.export}. */
export interface ExportOptions extends OpOptions {
  format: ExportFormat;
  outDir: string;
  /** File name template (see file-names.ts); default {@link DEFAULT_NAME_TEMPLATE}. */
  template?: string;
  /** 'error' (default) or 'suffix' (" (1)"). Never overwrites. */
  onExists?: 'error' | 'suffix';
  manifest?: 'json' | 'csv';
  /** IANA time zone for {date}/{time} in names (default: the system's). */
  timeZone?: string;
}

/** One exported file. */
export interface ExportedFile {
  id: string;
  file: string;
  from: string | null;
  date: string;
  durationMs: number;
  format: ExportFormat;
  bytes: number;
  /** Present when the item came from the local library. */
  library?: LibraryManifestFields;
}

/** Outcome of a batch: what was written, what failed (the rest still ran), and the manifest's name. */
export interface ExportResult {
  files: ExportedFile[];
  failed: { id: string; error: AppError }[];
  manifest?: string;
}

/** Dependencies of {@link ExportService}. */
export interface ExportDeps {
  playback: PlaybackService;
  transcoder: TranscoderPort;
  sink: FileSinkPort;
}

function csvField(v: string): string {
  // Spreadsheet formula injection: neutralise a leading = @ or control char, and +/- unless it is a number.
  const guarded = /^[=@\t\r]/.test(v) || (/^[+-]/.test(v) && !/^[+-]\d+$/.test(v)) ? `'${v}` : v;
  return `"${guarded.replace(/"/g, '""')}"`;
}

/** CSV manifest (RFC 4180, CRLF). */
export function manifestCsv(files: ExportedFile[]): string {
  const lib = files.some((f) => f.library !== undefined);
  const head = ['id', 'file', 'from', 'date', 'durationMs', 'format', 'bytes', ...(lib ? ['read', 'sha256', 'notes', 'serverFilename'] : [])];
  const rows = files.map((f) =>
    [
      f.id, f.file, f.from ?? '', f.date, String(f.durationMs), f.format, String(f.bytes),
      ...(lib ? [f.library ? String(f.library.read) : '', f.library?.sha256 ?? '', f.library?.notes ?? '', f.library?.serverFilename ?? ''] : []),
    ].map(csvField).join(','),
  );
  return [head.join(','), ...rows].join('\r\n') + '\r\n';
}

/** Exports voicemails. */
export class ExportService {
  constructor(private readonly deps: ExportDeps) {}

  async export(items: ExportItem[], fetchPayload: (id: string, signal?: AbortSignal) => Promise<Uint8Array>, opts: ExportOptions): Promise<ExportResult> {
    const { signal, onProgress } = opts;
    const files: ExportedFile[] = [];
    const failed: { id: string; error: AppError }[] = [];
    const total = items.length;
    let diskFailed = false;
    for (const [i, item] of items.entries()) {
      throwIfAborted(signal);
      onProgress?.({ phase: 'export', done: i, total });
      try {
        files.push(await this.one(item, fetchPayload, opts));
      } catch (e) {
        const error = toAppError(e);
        if (error.code === 'op.cancelled') throw e;
        failed.push({ id: item.id, error });
        if (error.code === 'fs.failed') {
          // The folder itself is the problem (read-only, full, gone): every further item would download,
          // decode and encode only to fail the same way. Stop; what was written stays, nothing partial.
          // Each later item gets its own error (not exported, why) instead of a copy of this item's.
          const errno = typeof error.detail?.errno === 'string' ? error.detail.errno : 'unknown';
          for (const rest of items.slice(i + 1)) {
            const skipped = new FsError('fs.failed', `Not exported: writing to ${opts.outDir} had already failed (${errno}).`, {
              detail: { path: opts.outDir, errno, notAttempted: 'true' },
              ...(error.hint !== undefined && { hint: error.hint }),
            });
            failed.push({ id: rest.id, error: toAppError(skipped) });
          }
          diskFailed = true;
          break;
        }
      }
    }
    onProgress?.({ phase: 'export', done: total, total });
    const result: ExportResult = { files, failed };
    if (opts.manifest && files.length > 0 && !diskFailed) {
      throwIfAborted(signal);
      const text = opts.manifest === 'json' ? JSON.stringify({ exported: files }, null, 2) + '\n' : manifestCsv(files);
      result.manifest = await this.deps.sink.writeAtomic(opts.outDir, `manifest.${opts.manifest}`, new TextEncoder().encode(text), {
        onExists: opts.onExists ?? 'error',
        ...(signal && { signal }),
      });
    }
    return result;
  }

  private async one(item: ExportItem, fetchPayload: (id: string, signal?: AbortSignal) => Promise<Uint8Array>, opts: ExportOptions): Promise<ExportedFile> {
    const { signal } = opts;
    let data: Uint8Array;
    let durationMs: number;
    const format = opts.format;
    if (format === 'amr') {
      data = await fetchPayload(item.id, signal);
      // The original bytes, checked: a truncated download must not be saved as if it were whole.
      durationMs = isAmrNb(data) ? parseAmr(data).durationMs : (await this.deps.playback.decodePayload(data, signal)).samples.length / 8;
    } else {
      const audio = await this.deps.playback.prepare(item.id, (s) => fetchPayload(item.id, s), signal ? { signal } : {});
      durationMs = audio.durationMs;
      const { samples, sampleRate } = parseWav(audio.wav);
      const when = new Date(item.date);
      const tags = {
        title: `Voicemail from ${item.from ?? 'unknown caller'}`,
        artist: item.from ?? 'unknown caller',
        album: 'Voicemail',
        date: Number.isNaN(when.getTime()) ? item.date : when.toISOString(),
        comment: `Duration ${formatDuration(durationMs)} (${Math.round(durationMs)} ms)`,
      };
      data = await this.deps.transcoder.fromPcm(samples, sampleRate, format, tags, signal);
    }
    throwIfAborted(signal);
    const name = fileNameFor(opts.template ?? DEFAULT_NAME_TEMPLATE, { date: item.date, from: item.from, durationMs, id: item.id, ext: EXTENSIONS[opts.format] }, opts.timeZone);
    const file = await this.deps.sink.writeAtomic(opts.outDir, name, data, { onExists: opts.onExists ?? 'error', ...(signal && { signal }) });
    return { id: item.id, file, from: item.from, date: item.date, durationMs, format: opts.format, bytes: data.length, ...(item.library && { library: item.library }) };
  }
}
