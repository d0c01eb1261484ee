// On-disk cache of derived audio (decoded WAV, peaks JSON) under a cache directory. Keys are validated
// safe names; writes are atomic, so a crash never leaves a truncated entry.
import { readFile } from 'node:fs/promises';
import { FsError } from '../../errors.js';
import type { BlobCachePort } from '../../services/audio/ports.js';
import { writeFileAtomic } from './atomic-write.js';
import { join } from 'node:path';

const SAFE_KEY = /^[A-Za-z0-9._-]{1,200}$/;

/** BlobCachePort on a directory. */
export class DirBlobCache implements BlobCachePort {
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
    await writeFileAtomic(this.dir, key, data, { onExists: 'overwrite' });
  }
}
