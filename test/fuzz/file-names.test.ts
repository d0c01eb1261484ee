// Fuzz: the one file-name sanitiser (downloads and exports) and Content-Disposition. Invariants, not just
// "does not throw": a sanitised name is never empty, never reserved on Windows, never holds a separator,
// a forbidden or control character, a bidi control or a lone surrogate, never starts or ends with a dot
// or space, fits 200 UTF-8 bytes, and is a fixed point; its numbered and temporary names fit 255 bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentDispositionFilename, numberedFilename, sanitizeFilename, tempFileName } from '../../main/protocol/mstore/filename.js';
import { fileNameFor } from '../../main/services/audio/file-names.js';
import { FUZZ_TIMEOUT_MS, check, hostileString } from './fuzz-config.js';

const bytes = (s: string) => new TextEncoder().encode(s).length;
// Written from Win32 "Naming Files", independently of the sanitiser's own table.
const RESERVED = new Set(['CON', 'PRN', 'AUX', 'NUL', 'CONIN$', 'CONOUT$', 'CLOCK$', ...[...'0123456789¹²³'].flatMap((d) => [`COM${d}`, `LPT${d}`])]);

function assertSafe(name: string): void {
  expect(name.length).toBeGreaterThan(0);
  // eslint-disable-next-line no-control-regex
  expect(name).not.toMatch(/[/\\<>:"|?*\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  expect(name).not.toMatch(/[\ud800-\udfff]/u); // lone surrogates only (u flag pairs the rest)
  expect(name).not.toMatch(/^[. ]|[. ]$/);
  const stem = (name.split('.')[0] ?? '').replace(/[ .]+$/, '').toUpperCase();
  expect(RESERVED.has(stem)).toBe(false);
  expect(bytes(name)).toBeLessThanOrEqual(200);
}

// Names built to hit the edges: reserved stems, runs of dots and spaces, long middles, extensions.
const edgy = fc
  .tuple(
    fc.constantFrom('', 'CON', 'con', 'Aux', 'nul', 'COM1', 'lpt9', 'COM¹', 'CONIN$', 'x', '..', '.'),
    fc.array(fc.constantFrom(' ', '.', ' .', '\t', '\u202e', '\ud83d', 'é', 'a', '/', '\u0085'), { maxLength: 400 }).map((a) => a.join('')),
    fc.constantFrom('', 'y', 'y-z'),
    fc.constantFrom('', '.amr', '.mp3', '.tar.gz', '.', ' .amr', '.AMR '),
  )
  .map((p) => p.join(''));

describe('fuzz: file names', () => {
  it('sanitizeFilename keeps every invariant and is a fixed point', () => {
    check(
      fc.property(fc.oneof(hostileString(600), edgy, fc.string({ unit: 'binary', maxLength: 300 })), (raw) => {
        const s = sanitizeFilename(raw, 'fallback.amr');
        assertSafe(s);
        expect(sanitizeFilename(s, 'fallback.amr')).toBe(s);
        expect(bytes(numberedFilename(s, 9999))).toBeLessThanOrEqual(255);
        expect(bytes(tempFileName(s, 'ffffffffffff'))).toBeLessThanOrEqual(255);
      }),
      3,
    );
  }, FUZZ_TIMEOUT_MS);

  it('numbered and temporary names of any 255-byte name fit 255 bytes', () => {
    check(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 255 }), fc.integer({ min: 1, max: 99_999 }), (raw, n) => {
        expect(bytes(numberedFilename(raw, n))).toBeLessThanOrEqual(255);
        expect(bytes(tempFileName(raw, '0123456789ab'))).toBeLessThanOrEqual(255);
      }),
    );
  }, FUZZ_TIMEOUT_MS);

  it('Content-Disposition never throws and its name sanitises safely', () => {
    const header = fc.oneof(
      hostileString(400),
      fc.tuple(fc.constantFrom('attachment; filename=', 'attachment; filename="', "attachment; filename*=UTF-8''", 'inline;filename*=iso-8859-1\'en\''), hostileString(200), fc.constantFrom('', '"', '; x=1')).map((p) => p.join('')),
    );
    check(
      fc.property(header, (h) => {
        const name = contentDispositionFilename(h);
        if (name !== null) {
          expect(name).not.toMatch(/[/\\]/); // RFC 6266: only the last path segment
          assertSafe(sanitizeFilename(name, 'download.amr'));
        }
      }),
      2,
    );
  }, FUZZ_TIMEOUT_MS);

  it('export names from a template and server values are safe', () => {
    check(
      fc.property(hostileString(80), fc.option(hostileString(80)), fc.constantFrom('{date} {time} {from} ({duration}).{ext}', '{from}/{id}.{ext}', '{id}', '..'), (id, from, template) => {
        assertSafe(fileNameFor(template, { date: '2024-01-01T00:00:00Z', from, durationMs: 1000, id, ext: 'mp3' }, 'UTC'));
      }),
    );
  }, FUZZ_TIMEOUT_MS);
});
