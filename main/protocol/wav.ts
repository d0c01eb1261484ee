// RIFF/WAVE with 16-bit PCM (the canonical "WAVE_FORMAT_PCM" layout of the Microsoft RIFF specification,
// "Multimedia Programming Interface and Data Specifications 1.0", 1991). Pure: samples in, bytes out,
// and back. Samples are little-endian signed 16-bit; a LIST/INFO chunk carries optional tags.
import { AudioError } from '../errors.js';

/** Tags written to the LIST/INFO chunk (INAM title, IART artist, ICRD creation date, ICMT comment). */
export interface WavInfoTags {
  title?: string;
  artist?: string;
  date?: string;
  comment?: string;
}

/** Decoded PCM from a WAV file. */
export interface PcmAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved samples (mono: one per frame). */
  samples: Int16Array;
}

const INFO_IDS: [keyof WavInfoTags, string][] = [
  ['title', 'INAM'],
  ['artist', 'IART'],
  ['date', 'ICRD'],
  ['comment', 'ICMT'],
];

function ascii(view: DataView, offset: number, s: string): void {
  for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i));
}

function fourcc(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset] ?? 0, bytes[offset + 1] ?? 0, bytes[offset + 2] ?? 0, bytes[offset + 3] ?? 0);
}

function infoChunk(tags: WavInfoTags): Uint8Array {
  const enc = new TextEncoder();
  const parts: { id: string; data: Uint8Array }[] = [];
  for (const [key, id] of INFO_IDS) {
    const v = tags[key];
    if (v === undefined || v === '') continue;
    // INFO strings are NUL-terminated, chunks padded to an even size.
    const text = enc.encode(v);
    const data = new Uint8Array(text.length + 1);
    data.set(text);
    parts.push({ id, data });
  }
  if (parts.length === 0) return new Uint8Array(0);
  const body = 4 + parts.reduce((n, p) => n + 8 + p.data.length + (p.data.length & 1), 0);
  const out = new Uint8Array(8 + body);
  const view = new DataView(out.buffer);
  ascii(view, 0, 'LIST');
  view.setUint32(4, body, true);
  ascii(view, 8, 'INFO');
  let o = 12;
  for (const p of parts) {
    ascii(view, o, p.id);
    view.setUint32(o + 4, p.data.length, true);
    out.set(p.data, o + 8);
    o += 8 + p.data.length + (p.data.length & 1);
  }
  return out;
}

/** Encodes 16-bit PCM as a WAV file (fmt, optional LIST/INFO, data). */
export function encodeWav(samples: Int16Array, sampleRate: number, channels = 1, tags: WavInfoTags = {}): Uint8Array {
  const info = infoChunk(tags);
  const dataBytes = samples.length * 2;
  const total = 12 + 24 + info.length + 8 + dataBytes;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  ascii(view, 0, 'RIFF');
  view.setUint32(4, total - 8, true);
  ascii(view, 8, 'WAVE');
  ascii(view, 12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // WAVE_FORMAT_PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true); // byte rate
  view.setUint16(32, channels * 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  out.set(info, 36);
  const d = 36 + info.length;
  ascii(view, d, 'data');
  view.setUint32(d + 4, dataBytes, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(d + 8 + i * 2, samples[i] ?? 0, true);
  return out;
}

function invalid(message: string, offset: number): AudioError {
  return new AudioError('audio.invalid', message, { detail: { offset }, hint: 'Use a 16-bit PCM WAV file, or another supported format.' });
}

/**
 * Parses a 16-bit PCM WAV file. A data chunk whose size runs past the end (streamed WAV, size 0 or
 * 0xFFFFFFFF) is taken to the end of the file. Other sample formats are AudioError('audio.invalid').
 */
export function parseWav(bytes: Uint8Array): PcmAudio {
  if (bytes.length === 0) throw new AudioError('audio.empty', 'The audio is empty (0 bytes).', { hint: 'Choose a file that contains audio.' });
  if (bytes.length < 12 || fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'WAVE') throw invalid('Not a WAV file: no RIFF/WAVE header at byte 0.', 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 12;
  let fmt: { channels: number; sampleRate: number } | null = null;
  while (pos + 8 <= bytes.length) {
    const id = fourcc(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw invalid(`Truncated WAV fmt chunk at byte ${pos}.`, pos);
      const format = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      // WAVE_FORMAT_EXTENSIBLE (0xFFFE) carries the real format in its sub-format GUID; PCM's starts 01 00.
      const sub = format === 0xfffe && size >= 26 ? view.getUint16(body + 24, true) : format;
      if (sub !== 1 || bits !== 16) throw invalid(`Unsupported WAV sample format (format ${format}, ${bits} bits) at byte ${pos}; 16-bit PCM is needed.`, pos);
      fmt = { channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true) };
      if (fmt.channels < 1 || fmt.sampleRate < 1) throw invalid(`Invalid WAV fmt chunk at byte ${pos}.`, pos);
    } else if (id === 'data') {
      if (!fmt) throw invalid(`WAV data chunk at byte ${pos} comes before any fmt chunk.`, pos);
      const end = size === 0 || body + size > bytes.length ? bytes.length : body + size;
      const count = Math.floor((end - body) / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = view.getInt16(body + i * 2, true);
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, samples };
    }
    pos = body + size + (size & 1);
  }
  throw invalid(fmt ? 'WAV file has no data chunk.' : 'WAV file has no fmt chunk.', pos);
}

/** True when the bytes look like a RIFF/WAVE file. */
export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && fourcc(bytes, 0) === 'RIFF' && fourcc(bytes, 8) === 'WAVE';
}
