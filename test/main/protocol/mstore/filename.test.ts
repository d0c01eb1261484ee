import { describe, expect, it } from 'vitest';
import { MAX_COMPONENT_BYTES, MAX_DISPOSITION_CHARS, contentDispositionFilename, isTempFileName, numberedFilename, sanitizeFilename, tempFileName } from '../../../../main/protocol/mstore/filename.js';
import { pinRejection } from '../../../../main/protocol/mstore/pin.js';
import { PIN_REJECT_REASONS } from '../../../../shared/domain/mstore.js';

describe('Content-Disposition', () => {
  it('reads quoted, token and RFC 5987 forms', () => {
    expect(contentDispositionFilename('attachment; filename="voicemail-20240101000000.amr"')).toBe('voicemail-20240101000000.amr');
    expect(contentDispositionFilename('attachment; filename=a.amr')).toBe('a.amr');
    expect(contentDispositionFilename('attachment; filename="a\\"b.amr"')).toBe('a"b.amr');
    expect(contentDispositionFilename("attachment; filename*=UTF-8''caf%C3%A9.amr")).toBe('café.amr');
    expect(contentDispositionFilename('attachment')).toBeNull();
  });
  it('keeps only the last path segment (RFC 6266 4.3)', () => {
    expect(contentDispositionFilename('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(contentDispositionFilename('attachment; filename=..\\..\\win.ini')).toBe('win.ini');
    expect(contentDispositionFilename("attachment; filename*=UTF-8''a%2Fb.amr")).toBe('b.amr');
  });
  it('finds the name in a 64 KiB header and ignores a parameter past the cap', () => {
    const pad = `x=${'a'.repeat(64 * 1024)}`;
    expect(contentDispositionFilename(`attachment; filename="v.amr"; ${pad}`)).toBe('v.amr');
    expect(contentDispositionFilename(`attachment; ${'y'.repeat(MAX_DISPOSITION_CHARS)}; filename="v.amr"`)).toBeNull();
  });
});

describe('sanitizeFilename', () => {
  const cases: [string, string][] = [
    ['voicemail.amr', 'voicemail.amr'],
    // One sanitiser for downloads and exports: separators become `_` (Content-Disposition drops the
    // directory part itself, below).
    ['../../etc/passwd', '_.._etc_passwd'],
    ['..\\..\\Windows\\win.ini', '_.._Windows_win.ini'],
    ['..', 'fallback.amr'],
    ['CON', '_CON'],
    ['con.amr', '_con.amr'],
    ['LPT9.txt', '_LPT9.txt'],
    ['COM1', '_COM1'],
    ['a\u0000b\u001fc.amr', 'a_b_c.amr'],
    ['name. . ', 'name'],
    ['a<b>c:d"e|f?g*h.amr', 'a_b_c_d_e_f_g_h.amr'],
    ['', 'fallback.amr'],
    ['/', 'fallback.amr'],
    ['.hidden', 'hidden'],
    // Bidi controls and lone surrogates are removed, not replaced (issue 11).
    ['evil\u202eexe.amr', 'evilexe.amr'],
    ['a\u2066b\u2069c\u200f.amr', 'abc.amr'],
    ['x\ud800y\udc00z.amr', 'xyz.amr'],
    ['pair\ud83d\ude00.amr', 'pair\ud83d\ude00.amr'],
    ['CON .amr', '_CON .amr'],
    ['con  .tar.gz', '_con .tar.gz'],
    ['name .', 'name'],
    ['tab\there\u0001.wav', 'tab_here_.wav'],
  ];
  for (const [input, out] of cases) it(`${JSON.stringify(input)} -> ${out}`, () => expect(sanitizeFilename(input, 'fallback.amr')).toBe(out));

  it('caps the length at 200 UTF-8 bytes and keeps the extension', () => {
    const s = sanitizeFilename(`${'é'.repeat(300)}.amr`, 'f.amr');
    expect(new TextEncoder().encode(s).length).toBeLessThanOrEqual(200);
    expect(s.endsWith('.amr')).toBe(true);
  });
  it('numbers alternatives', () => {
    expect(numberedFilename('a.amr', 1)).toBe('a (1).amr');
    expect(numberedFilename('a', 2)).toBe('a (2)');
  });

  const bytes = (s: string) => new TextEncoder().encode(s).length;
  it('checks reserved names after shortening ("CON" + spaces + "y" is not left as CON)', () => {
    expect(sanitizeFilename(`CON${' '.repeat(300)}y`, 'f.amr')).toBe('CON y'); // white space runs collapse first
    expect(sanitizeFilename(`CON${' .'.repeat(150)}y-z`, 'f.amr')).toBe('_CON');
    expect(sanitizeFilename(`CON${' .'.repeat(150)}y.amr`, 'f.amr')).toBe('_CON.amr');
    expect(sanitizeFilename(`aux${'.'.repeat(500)}x`, 'f.amr')).toBe('_aux.x');
    const long = sanitizeFilename(`CON.${'a'.repeat(196)}`, 'f.amr');
    expect(long.startsWith('_CON.')).toBe(true);
    expect(bytes(long)).toBeLessThanOrEqual(200);
  });
  it('never ends in a dot or space after shortening', () => {
    const s = sanitizeFilename(`${'a'.repeat(198)}. .${'b'.repeat(50)}`, 'f.amr');
    expect(s).toBe('a'.repeat(198));
    expect(sanitizeFilename(`${'a'.repeat(194)} . . ${'b'.repeat(50)}.amr`, 'f.amr')).toBe(`${'a'.repeat(194)}.amr`);
  });
  it('keeps the extension of a name far longer than the input cap', () => {
    const s = sanitizeFilename(`${'x'.repeat(64 * 1024)}.amr`, 'f.amr');
    expect(s).toBe(`${'x'.repeat(196)}.amr`);
  });
  it('numbered and temporary names of a 255-byte name stay within 255 bytes', () => {
    const name = `${'é'.repeat(125)}a.amr`;
    expect(bytes(name)).toBe(MAX_COMPONENT_BYTES);
    expect(bytes(numberedFilename(name, 9999))).toBeLessThanOrEqual(MAX_COMPONENT_BYTES);
    expect(numberedFilename(name, 12).endsWith(' (12).amr')).toBe(true);
    const tmp = tempFileName(name, '0123456789ab');
    expect(bytes(tmp)).toBeLessThanOrEqual(MAX_COMPONENT_BYTES);
    expect(isTempFileName(tmp)).toBe(true);
    expect(isTempFileName('.settings.json.0123456789ab.part')).toBe(true);
    expect(isTempFileName('settings.json')).toBe(false);
    expect(isTempFileName('.a.part')).toBe(false);
  });
});

describe('PIN reasons', () => {
  it('maps each of the ten reason phrases, and unknown ones', () => {
    const msgs = new Set<string>();
    for (const r of PIN_REJECT_REASONS) {
      const m = pinRejection(r);
      expect(m.reason).toBe(r);
      msgs.add(m.message);
    }
    expect(msgs.size).toBe(10);
    expect(pinRejection(undefined).reason).toBe('unknown');
    expect(pinRejection('Something else').reason).toBe('unknown');
  });
});
