import { describe, expect, it } from 'vitest';
import { AudioError } from '../../../main/errors.js';
import { encodeWav, isWav, parseWav } from '../../../main/protocol/wav.js';

function ramp(n: number): Int16Array {
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++) s[i] = ((i * 997) % 65536) - 32768;
  return s;
}

describe('WAV', () => {
  it('writes the canonical 44-byte header for PCM16 mono', () => {
    const wav = encodeWav(Int16Array.from([1, -2, 32767, -32768]), 8000);
    const v = new DataView(wav.buffer);
    expect(new TextDecoder().decode(wav.subarray(0, 4))).toBe('RIFF');
    expect(v.getUint32(4, true)).toBe(wav.length - 8);
    expect(new TextDecoder().decode(wav.subarray(8, 16))).toBe('WAVEfmt ');
    expect(v.getUint16(20, true)).toBe(1);
    expect(v.getUint16(22, true)).toBe(1);
    expect(v.getUint32(24, true)).toBe(8000);
    expect(v.getUint32(28, true)).toBe(16000);
    expect(v.getUint16(32, true)).toBe(2);
    expect(v.getUint16(34, true)).toBe(16);
    expect(new TextDecoder().decode(wav.subarray(36, 40))).toBe('data');
    expect(v.getUint32(40, true)).toBe(8);
    expect(wav.length).toBe(52);
    expect(v.getInt16(44, true)).toBe(1);
    expect(v.getInt16(50, true)).toBe(-32768);
  });

  it('round-trips samples, with and without INFO tags', () => {
    const s = ramp(12345);
    for (const tags of [{}, { title: 'Voicemail from +12065550100', artist: '+12065550100', date: '2024-01-01T14:05:00.000Z', comment: 'odd' }]) {
      const wav = encodeWav(s, 8000, 1, tags);
      expect(isWav(wav)).toBe(true);
      const back = parseWav(wav);
      expect(back.sampleRate).toBe(8000);
      expect(back.channels).toBe(1);
      expect(Array.from(back.samples)).toEqual(Array.from(s));
    }
  });

  it('writes LIST/INFO chunks with NUL-terminated, even-padded strings', () => {
    const wav = encodeWav(Int16Array.from([0]), 8000, 1, { title: 'ab', artist: 'xyz' });
    const text = new TextDecoder('latin1').decode(wav);
    expect(text).toContain('LISTINFO'.slice(0, 4));
    expect(text).toContain('INFOINAM');
    const i = text.indexOf('INAM');
    expect(new DataView(wav.buffer).getUint32(i + 4, true)).toBe(3);
    expect(text.slice(i + 8, i + 11)).toBe('ab\0');
    expect(text.slice(i + 12, i + 16)).toBe('IART');
  });

  it('accepts a streamed WAV whose data size is unknown', () => {
    const wav = encodeWav(ramp(100), 8000);
    new DataView(wav.buffer).setUint32(40, 0xffffffff, true);
    expect(parseWav(wav).samples.length).toBe(100);
  });

  it('rejects non-WAV, non-PCM16 and empty input with typed errors', () => {
    const codeOf = (b: Uint8Array) => {
      try {
        parseWav(b);
      } catch (e) {
        return e instanceof AudioError ? e.code : 'other';
      }
      return 'none';
    };
    expect(codeOf(new Uint8Array(0))).toBe('audio.empty');
    expect(codeOf(new TextEncoder().encode('#!AMR\n<<<<'))).toBe('audio.invalid');
    const float = encodeWav(ramp(4), 8000);
    new DataView(float.buffer).setUint16(20, 3, true);
    new DataView(float.buffer).setUint16(34, 32, true);
    expect(codeOf(float)).toBe('audio.invalid');
    expect(codeOf(encodeWav(ramp(4), 8000).subarray(0, 30))).toBe('audio.invalid');
  });
});
