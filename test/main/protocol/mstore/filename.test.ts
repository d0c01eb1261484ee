import { describe, expect, it } from 'vitest';
import { contentDispositionFilename, numberedFilename, sanitizeFilename } from '../../../../main/protocol/mstore/filename.js';
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
});

describe('sanitizeFilename', () => {
  const cases: [string, string][] = [
    ['voicemail.amr', 'voicemail.amr'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\win.ini', 'win.ini'],
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
    ['evil\u202eexe.amr', 'evil_exe.amr'],
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
