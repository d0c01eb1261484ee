// exportItemOf: what the CLI's `voicemail export` and the desktop's export both name files after.
import { describe, expect, it } from 'vitest';
import { exportItemOf } from '../../../../main/services/audio/export.js';

describe('exportItemOf', () => {
  it.each([
    ['12065550123', '+12065550123'],
    ['442079460000', '+442079460000'],
    ['', null],
    ['Unknown', 'Unknown'],
    ['5550123', '5550123'],
  ])('caller %j -> %j', (from, want) => {
    expect(exportItemOf({ id: 'v1', from, date: '2026-01-10T12:00:00Z' })).toEqual({ id: 'v1', from: want, date: '2026-01-10T12:00:00Z' });
  });
});
