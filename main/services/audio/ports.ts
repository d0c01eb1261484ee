// Ports of the audio services. Adapters: main/adapters/ffmpeg (transcoder, AMR via libopencore_amrnb),
// main/adapters/amr-codec (opencore-amr in JS), main/adapters/fs (atomic writes, cache directory).

/** The AMR-NB codec (opencore-amr, from ffmpeg's libopencore_amrnb or the bundled JS build). */
export interface AmrCodecPort {
  /** 'ffmpeg-libopencore' or 'opencore-js', for diagnostics. */
  readonly name: string;
  /** Decodes a whole "#!AMR\n" file (DTX/SID and NO_DATA frames included) to 8 kHz mono PCM: 160 samples per frame. */
  decode(amr: Uint8Array, signal?: AbortSignal): Promise<Int16Array>;
  /**
   * Encodes 8 kHz mono PCM as an AMR-NB file in mode MR122 (12.2 kbit/s) with DTX OFF; the last partial frame
   * is zero-padded, so the file has ceil(samples / 160) frames.
   */
  encodeMr122(pcm: Int16Array, signal?: AbortSignal): Promise<Uint8Array>;
}

/** Tags written into exported files. */
export interface AudioTags {
  title?: string;
  artist?: string;
  /** ISO 8601 date or date-time. */
  date?: string;
  comment?: string;
  album?: string;
}

/** Export container/codec choices besides the original AMR. */
export type EncodedFormat = 'wav' | 'mp3' | 'flac' | 'opus';

/** Options for decoding an arbitrary input to PCM. */
export interface ToPcmOptions {
  sampleRate: number;
  /** Remove leading and trailing silence. */
  trimSilence?: boolean;
  /** Stop decoding after this many seconds (the caller detects "too long" by asking for a little more). */
  maxSeconds?: number;
  signal?: AbortSignal;
}

/** A general-purpose transcoder (ffmpeg). */
export interface TranscoderPort {
  /** Decodes any supported input (WAV, MP3, M4A/AAC, FLAC, Ogg/Opus, WebM/Opus) to mono s16 PCM. */
  toPcm(input: Uint8Array, opts: ToPcmOptions): Promise<Int16Array>;
  /** Encodes mono s16 PCM to the format, with tags. */
  fromPcm(pcm: Int16Array, sampleRate: number, format: EncodedFormat, tags: AudioTags, signal?: AbortSignal): Promise<Uint8Array>;
}

/** Options of an atomic write. */
export interface WriteOptions {
  /** 'error' (default): FsError('fs.exists'); 'suffix': "name (1).ext", "name (2).ext", ...; 'overwrite'. */
  onExists?: 'error' | 'suffix' | 'overwrite';
  signal?: AbortSignal;
}

/** Writes whole files atomically: a temporary file in the same folder, then a rename. */
export interface FileSinkPort {
  /** Writes `data` to `dir/name`; returns the name actually used (it differs with onExists 'suffix'). */
  writeAtomic(dir: string, name: string, data: Uint8Array, opts?: WriteOptions): Promise<string>;
}

/** A directory of cached blobs by key (decoded voicemails, peaks). Keys are safe file names. */
export interface BlobCachePort {
  get(key: string): Promise<Uint8Array | null>;
  set(key: string, data: Uint8Array): Promise<void>;
}
