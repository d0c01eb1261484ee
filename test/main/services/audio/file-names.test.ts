import { describe, expect, it } from 'vitest';
import { DEFAULT_NAME_TEMPLATE, fileNameFor, formatDuration } from '../../../../main/services/audio/file-names.js';
import { sanitizeFilename } from '../../../../main/protocol/mstore/filename.js';

// Exports use the one sanitiser of downloads (its own cases: test/main/protocol/mstore/filename.test.ts).
const safeFileName = (s: string) => sanitizeFilename(s, 'voicemail');

describe('export file names', () => {
  it('default template gives "2024-01-01 14.05 +12065550100 (0m42s).mp3"', () => {
    const name = fileNameFor(DEFAULT_NAME_TEMPLATE, { date: '2024-01-01T14:05:30Z', from: '+12065550100', durationMs: 42_000, id: 'x', ext: 'mp3' }, 'UTC');
    expect(name).toBe('2024-01-01 14.05 +12065550100 (0m42s).mp3');
  });

  it('uses the given time zone', () => {
    const name = fileNameFor('{date} {time}.{ext}', { date: '2024-01-01T02:05:00Z', from: null, durationMs: 0, id: 'x', ext: 'wav' }, 'America/Los_Angeles');
    expect(name).toBe('2023-12-31 18.05.wav');
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0m00s');
    expect(formatDuration(42_400)).toBe('0m42s');
    expect(formatDuration(125_000)).toBe('2m05s');
    expect(formatDuration(3_723_000)).toBe('1h02m03s');
  });

  it.each([
    ['a/b\\c:d*e?f"g<h>i|j.mp3', 'a_b_c_d_e_f_g_h_i_j.mp3'],
    ['..', 'voicemail'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['.hidden.wav', 'hidden.wav'],
    ['name. . ', 'name'],
    ['CON', '_CON'],
    ['lpt1.mp3', '_lpt1.mp3'],
    ['tab\there\u0001.wav', 'tab_here_.wav'],
    ['', 'voicemail'],
  ])('safeFileName(%j) = %j', (input, out) => {
    expect(safeFileName(input)).toBe(out);
  });

  it('a server caller id cannot add folders, controls or bidi tricks to an export name', () => {
    const name = fileNameFor(DEFAULT_NAME_TEMPLATE, { date: '2024-01-01T14:05:30Z', from: '../x\u202e\n/CON', durationMs: 0, id: 'x', ext: 'mp3' }, 'UTC');
    expect(name).toBe('2024-01-01 14.05 .._x__CON (0m00s).mp3');
  });

  it('unknown caller and unknown template fields', () => {
    expect(fileNameFor('{from} {nope} {id}.{ext}', { date: 'garbage', from: null, durationMs: 1, id: 'id1', ext: 'amr' })).toBe('unknown {nope} id1.amr');
  });

  it('shortens long names to at most 200 UTF-8 bytes, keeping the extension', () => {
    const name = safeFileName('é'.repeat(300) + '.flac');
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(200);
    expect(name.endsWith('.flac')).toBe(true);
  });
});
