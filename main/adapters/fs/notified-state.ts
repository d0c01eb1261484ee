// What the mailbox already notified for one line (main/services/mailbox/notifications.ts), kept as a small
// JSON file next to that line's library so a restart never repeats a notification. Written whole through a
// temp file and a rename (a crash leaves the old or the new list, never half of one); a missing or damaged
// file counts as "nothing notified yet" (worst case: one repeated notification, never a lost voicemail).
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempFileName } from '../../protocol/mstore/filename.js';
import type { NotifiedStatePort } from '../../services/mailbox/notifications.js';
import { PRIVATE_FILE_MODE } from './atomic-write.js';

/** Most keys kept (the oldest dropped first): a line's notifications over years stay a small file. */
const MAX_KEYS = 5000;
const FILE = 'notified.json';

/** The notified state stored in `dir` (the line's library folder). */
export function fileNotifiedState(dir: string): NotifiedStatePort {
  const path = join(dir, FILE);
  const keys = new Set<string>(load(path));
  function save(): void {
    const list = [...keys].slice(-MAX_KEYS);
    const tmp = join(dir, tempFileName(FILE, randomBytes(6).toString('hex')));
    try {
      writeFileSync(tmp, JSON.stringify({ keys: list }), { mode: PRIVATE_FILE_MODE });
      renameSync(tmp, path);
    } catch {
      // A full or read-only disk: the notification was shown; at worst it is shown once more after a restart.
      rmSync(tmp, { force: true });
    }
  }
  return {
    has: (k) => keys.has(k),
    add(k) {
      if (keys.has(k)) return;
      keys.add(k);
      save();
    },
    delete(k) {
      if (keys.delete(k)) save();
    },
  };
}

function load(path: string): string[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || !('keys' in parsed) || !Array.isArray(parsed.keys)) return [];
    return parsed.keys.filter((k): k is string => typeof k === 'string' && k.length <= 1024).slice(-MAX_KEYS);
  } catch {
    return [];
  }
}
