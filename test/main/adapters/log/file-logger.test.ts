import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger, LOG_FILE_NAME } from '../../../../main/adapters/log/file-logger.js';

let work: string;
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('file logger', () => {
  it('appends JSON lines (0600 in a 0700 folder) with the stack of internal errors; debug stays out', () => {
    work = mkdtempSync(join(tmpdir(), 'vvm-log-'));
    const log = createFileLogger(join(work, 'logs'), () => new Date('2026-01-02T03:04:05Z'));
    log.info('started', { demo: true });
    log.debug('every request', { url: 'x' });
    log.internal('voicemail:list', new TypeError('boom'));
    expect(log.file).toBe(join(work, 'logs', LOG_FILE_NAME));
    const lines = readFileSync(log.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string; level: string; msg: string; ctx?: { stack?: string } });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['info', 'started'],
      ['error', 'internal error on voicemail:list'],
    ]);
    expect(lines[0]?.t).toBe('2026-01-02T03:04:05.000Z');
    expect(lines[1]?.ctx?.stack).toContain('TypeError: boom');
    expect(statSync(log.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(work, 'logs')).mode & 0o777).toBe(0o700);
  });

  it('rotates past 1 MiB, and a log that cannot be written never throws', () => {
    work = mkdtempSync(join(tmpdir(), 'vvm-log-'));
    const log = createFileLogger(work);
    writeFileSync(log.file, 'x'.repeat(1024 * 1024 + 1));
    log.warn('after rotation');
    expect(readFileSync(log.file, 'utf8')).toContain('after rotation');
    expect(statSync(`${log.file}.1`).size).toBe(1024 * 1024 + 1);
    // A file where the folder should be: nothing can be written, and nothing throws.
    writeFileSync(join(work, 'blocked'), '');
    expect(() => createFileLogger(join(work, 'blocked')).error('lost')).not.toThrow();
  });
});
