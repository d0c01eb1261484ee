// On-disk cache of derived audio (decoded WAV, peaks JSON) under a cache directory. Keys are validated
// safe names; writes are atomic, so a crash never leaves a truncated entry. The audio is the user's
// voicemail: files are 0600 in a 0700 folder (a folder made earlier with wider bits is narrowed once).
import { chmod, readFile } from 'node:fs/promises';
import { FsError } from '../../errors.js';
import type { BlobCachePort } from '../../services/audio/ports.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, writeFileAtomic } from './atomic-write.js';
import { join } from 'node:path';

const SAFE_KEY = /^[A-Za-z0-9._-]{1,200}$/;

/** BlobCachePort on a directory. */
export class DirBlobCache implements BlobCachePort {
  private narrowed = false;

  constructor(private readonly dir: string) {}

  private check(key: string): void {
    if (!SAFE_KEY.test(key) || key.startsWith('.')) throw new FsError('fs.failed', 'Invalid cache key.', { detail: { key } });
  }

  async get(key: string): Promise<Uint8Array | null> {
    this.check(key);
    try {
      return new Uint8Array(await readFile(join(this.dir, key)));
    } catch {
      return null;
    }
  }

  async set(key: string, data: Uint8Array): Promise<void> {
    this.check(key);
    await writeFileAtomic(this.dir, key, data, { onExists: 'overwrite', fileMode: PRIVATE_FILE_MODE, dirMode: PRIVATE_DIR_MODE });
    if (!this.narrowed) {
      this.narrowed = true;
      await chmod(this.dir, PRIVATE_DIR_MODE).catch(() => {});
    }
  }
}
