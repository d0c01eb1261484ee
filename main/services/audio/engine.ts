// The audio part of the engine, as main/app.ts assembles it: one object the CLI, the IPC layer and the
// mstore CLI commands (`voicemail export`, `greeting upload`) use.
import type { ExportService } from './export.js';
import type { GreetingService } from './greeting.js';
import type { PlaybackService } from './playback.js';
import type { AmrCodecPort, TranscoderPort } from './ports.js';

/** What each feature needs from ffmpeg: an encoder (`enc:`) or a filter (`filter:`). */
export const FFMPEG_FEATURES: Record<string, string> = {
  'MP3 export': 'enc:libmp3lame',
  'FLAC export': 'enc:flac',
  'Ogg/Opus export': 'enc:libopus',
  'greeting silence trimming': 'filter:silenceremove',
};

/** Which tools the audio engine uses, for `audio tools` and diagnostics; `unavailable` names features ffmpeg lacks. */
export interface AudioToolsReport {
  amrCodec: string;
  ffmpeg: { path: string; source: string; version: string; libopencoreAmrnb: boolean; unavailable: string[] } | { missing: string };
}

/** The audio services, wired. */
export interface AudioEngine {
  /** The AMR-NB codec (ffmpeg libopencore or the bundled JS build, chosen on first use). */
  amr: AmrCodecPort;
  /** ffmpeg, located on first use. */
  transcoder: TranscoderPort;
  playback: PlaybackService;
  greeting: GreetingService;
  exporter: ExportService;
  /** Resolves the codec choice and probes ffmpeg (without failing when ffmpeg is missing). */
  report(signal?: AbortSignal): Promise<AudioToolsReport>;
}
