import { describe, expect, it } from 'vitest';
import { base64Lines, bulkDeleteBody, bulkUpdateBody, greetingMultipart, pinChangeBody, searchBody, vvmOnBody } from '../../../../main/protocol/mstore/bodies.js';
import { scanAmr } from '../../../../main/protocol/mstore/amr-frames.js';

function amr(frames: number): Uint8Array {
  const out = new Uint8Array(6 + frames * 13);
  out.set(new TextEncoder().encode('#!AMR\n'));
  for (let i = 0; i < frames; i++) out[6 + i * 13] = 0x04; // mode 0 (4.75 kbit/s), 13 bytes
  return out;
}

describe('JSON bodies', () => {
  it('search: maxEntries 100, no fromCursor on the first page, Not PurgedObject, Date descending', () => {
    expect(searchBody('F')).toEqual({
      selectionCriteria: {
        maxEntries: 100,
        searchScope: { resourceURL: 'F' },
        searchCriteria: { operator: 'Not', criterion: [{ type: 'PurgedObject', value: '' }] },
        sortCriteria: { criterion: [{ type: 'Date', order: 'Descending' }] },
      },
    });
    expect(searchBody('F', 'c:1')).toMatchObject({ selectionCriteria: { fromCursor: 'c:1' } });
  });
  it('profile PUTs carry only the changed attributes', () => {
    expect(vvmOnBody(false)).toEqual({ vvmserviceProfile: { attributes: { attribute: [{ name: 'vvmon', value: ['false'] }] } } });
    expect(pinChangeBody('1', '2')).toEqual({ vvmserviceProfile: { attributes: { attribute: [{ name: 'OLD_PWD', value: ['1'] }, { name: 'PWD', value: ['2'] }] } } });
  });
  it('bulk bodies', () => {
    expect(bulkUpdateBody(['u'], 'RemoveFlag', ['\\Seen'])).toEqual({ bulkUpdate: { objects: { objectReference: [{ resourceURL: 'u' }] }, operation: 'RemoveFlag', flags: { flag: ['\\Seen'] } } });
    expect(bulkDeleteBody(['u', 'v'])).toEqual({ bulkDelete: { objects: { objectReference: [{ resourceURL: 'u' }, { resourceURL: 'v' }] } } });
  });
});

describe('greeting multipart', () => {
  it('has the exact layout of the client notes', () => {
    const audio = amr(100);
    const meta = { folder: 'greeting' as const, durationS: 2, date: '2026-03-01T00:00:00Z', messageId: '1772323200000', subject: 'hi', type: 'normal-greeting' as const };
    const mp = greetingMultipart(meta, audio, 'OUT', 'IN');
    expect(mp.contentType).toBe('multipart/form-data; boundary=OUT');
    const text = new TextDecoder().decode(mp.body);
    const json = JSON.stringify({
      object: {
        attributes: { attribute: [
          { name: 'content-duration', value: ['2'] }, { name: 'date', value: ['2026-03-01T00:00:00Z'] }, { name: 'Message-Id', value: ['1772323200000'] },
          { name: 'mime-version', value: ['1.0'] }, { name: 'subject', value: ['hi'] }, { name: 'x-cns-greeting-type', value: ['normal-greeting'] },
        ] },
        flags: { flag: ['\\Seen'] },
        parentFolderPath: '/VV-Mail/Greetings',
      },
    });
    const b64 = base64Lines(audio);
    const inner = `--IN\r\nContent-Disposition: attachment;filename="audio.amr"\r\nContent-Transfer-Encoding: base64\r\nContent-Type: audio/amr\r\nContent-Length: ${b64.length}\r\n\r\n${b64}\r\n--IN--\r\n`;
    const expected =
      `--OUT\r\nContent-Disposition: form-data; name="root-fields"\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${json.length}\r\n\r\n${json}` +
      `\r\n--OUT\r\nContent-Disposition: form-data;name="attachments"\r\nContent-Type: multipart/mixed; boundary=IN\r\nContent-Length: ${inner.length}\r\n\r\n${inner}` +
      `\r\n--OUT--\r\n`;
    expect(text).toBe(expected);
    const lines = b64.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.slice(0, -1).every((l) => l.length === 76)).toBe(true);
    expect(() => greetingMultipart(meta, audio, 'X', 'X')).toThrow(RangeError);
  });
});

describe('AMR frame scan', () => {
  it('counts frames and duration', () => {
    expect(scanAmr(amr(150))).toEqual({ ok: true, frames: 150, durationMs: 3000 });
  });
  it('rejects a bad header, a truncated frame, a reserved type, no frames', () => {
    expect(scanAmr(new TextEncoder().encode('#!AMR-WB\n'))).toMatchObject({ ok: false });
    expect(scanAmr(amr(3).subarray(0, 30))).toMatchObject({ ok: false, reason: 'truncated frame' });
    const bad = amr(2);
    bad[6] = 9 << 3;
    expect(scanAmr(bad)).toMatchObject({ ok: false });
    expect(scanAmr(amr(0))).toMatchObject({ ok: false, reason: 'no audio frames' });
  });
});
