// The notified-state file next to a line's library: survives a restart, shrugs off a damaged file, and a
// disk that refuses the write costs at most a repeated notification, never an exception.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileNotifiedState } from '../../../../main/adapters/fs/notified-state.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vvm-notified-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('file notified state', () => {
  it('remembers across a reopen (a restarted app), deletes too, and leaves no temp file', () => {
    const a = fileNotifiedState(dir);
    a.add('new:VV-Mail/Inbox/1');
    a.add('quota:45');
    a.delete('quota:45');
    const b = fileNotifiedState(dir);
    expect(b.has('new:VV-Mail/Inbox/1')).toBe(true);
    expect(b.has('quota:45')).toBe(false);
    expect(readdirSync(dir)).toEqual(['notified.json']);
    expect(readFileSync(join(dir, 'notified.json'), 'utf8')).toBe('{"keys":["new:VV-Mail/Inbox/1"]}');
  });

  it('a damaged or foreign file counts as nothing notified yet', () => {
    for (const text of ['{not json', '{"keys":"x"}', '[1,2]', '{"keys":[1,{"a":2},"ok"]}']) {
      writeFileSync(join(dir, 'notified.json'), text);
      const s = fileNotifiedState(dir);
      expect(s.has('ok')).toBe(text.includes('"ok"'));
      expect(s.has('x')).toBe(false);
    }
  });

  it('a write the disk refuses does not throw and leaves no temp file; the state still holds in memory', () => {
    // notified.json taken by a non-empty folder: the rename fails whatever the user's rights (root too).
    mkdirSync(join(dir, 'notified.json', 'x'), { recursive: true });
    const s = fileNotifiedState(dir);
    expect(() => s.add('new:VV-Mail/Inbox/2')).not.toThrow();
    expect(s.has('new:VV-Mail/Inbox/2')).toBe(true);
    expect(readdirSync(dir)).toEqual(['notified.json']);
  });
});
