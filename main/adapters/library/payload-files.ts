// The library's payload folder: each original AMR stored once, named by its SHA-256
// (`payloads/ab/abcdef...`), written atomically: a temporary file in the same folder, fsync, rename, fsync
// of the folder. A crash leaves either no file or the complete one under its final name (plus, at worst, a
// `.tmp` file that recovery removes). Files are 0600 in 0700 folders: voicemails are private.
//
// Writes normally run asynchronously (off the event loop, so a sync keeps its downloads and card operations
// flowing) BEFORE the transaction that references the file; a recovery sweep leaves files younger than a
// grace period alone, and the transaction re-checks the file under the write lock (rewriting it
// synchronously in the rare case a sweep took it), so a row never points at a missing file.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { FsError } from '../../errors.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, errno } from '../fs/atomic-write.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const TEMP = /^\.[0-9a-f]{64}\.[0-9a-f]{12}\.tmp$/;

/** SHA-256 of bytes, lower-case hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** FsError for a failed disk operation: fs.failed with the errno (ENOSPC, EACCES, EROFS, ...) in detail. */
export function diskError(e: unknown, what: string, path: string): FsError {
  // SQLite's own codes become the errno they stand for, so callers branch on one vocabulary.
  const raw = errno(e) ?? 'unknown';
  const code = raw === 'SQLITE_FULL' ? 'ENOSPC' : raw === 'SQLITE_READONLY' ? 'EROFS' : raw;
  const hint =
    code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL'
      ? 'Free some disk space and try again; nothing already stored was lost.'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN'
        ? 'The library folder is not writable: check its permissions or choose another data folder.'
        : 'Check the library folder and try again.';
  return new FsError('fs.failed', `Could not ${what} (${code}).`, { detail: { path, errno: code }, hint, cause: e });
}

/** Creates a folder (and parents) with mode 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open a folder: the rename is still atomic there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The content-addressed payload folder of one library. */
export class PayloadFiles {
  constructor(readonly root: string) {}

  /** Absolute path of a payload by hash. */
  path(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new RangeError('not a SHA-256 hex digest');
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Size of the stored file, or null when absent. */
  size(sha256: string): number | null {
    try {
      const st = statSync(this.path(sha256));
      return st.isFile() ? st.size : null;
    } catch {
      return null;
    }
  }

  /** Reads a payload and checks it against its name; null when absent or damaged. */
  read(sha256: string): Uint8Array | null {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path(sha256));
    } catch {
      return null;
    }
    return sha256Hex(bytes) === sha256 ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : null;
  }

  /** Writes `bytes` under its hash atomically (see the file comment). Throws FsError on disk failures. */
  write(sha256: string, bytes: Uint8Array): void {
    const final = this.path(sha256);
    const dir = join(this.root, sha256.slice(0, 2));
    const tmp = join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    let fd: number | null = null;
    try {
      ensurePrivateDir(dir);
      fd = openSync(tmp, 'wx', PRIVATE_FILE_MODE);
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
      closeSync(fd);
      fd = null;
      renameSync(tmp, final);
      fsyncDir(dir);
    } catch (e) {
      if (fd !== null) {
        try {
          closeSync(fd);
        } catch {
          // already failing
        }
      }
      try {
        unlinkSync(tmp);
      } catch {
        // never created, or already renamed
      }
      throw diskError(e, 'store a voicemail in the library', final);
    }
  }

  /** {@link PayloadFiles.write} without blocking the event loop (same steps, through fs/promises). */
  async writeAsync(sha256: string, bytes: Uint8Array): Promise<void> {
    const final = this.path(sha256);
    const dir = join(this.root, sha256.slice(0, 2));
    const tmp = join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      const fh = await open(tmp, 'wx', PRIVATE_FILE_MODE);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, final);
      try {
        const dh = await open(dir, 'r');
        try {
          await dh.sync();
        } finally {
          await dh.close();
        }
      } catch {
        // Some platforms (Windows) cannot open a folder: the rename is still atomic there.
      }
    } catch (e) {
      await unlink(tmp).catch(() => {});
      throw diskError(e, 'store a voicemail in the library', final);
    }
  }

  /** Removes a payload file (recovery only). */
  remove(sha256: string): void {
    try {
      unlinkSync(this.path(sha256));
    } catch {
      // already gone
    }
  }

  /** Last modification time of a payload file (ms), or null. */
  mtime(sha256: string): number | null {
    try {
      return statSync(this.path(sha256)).mtimeMs;
    } catch {
      return null;
    }
  }

  /**
   * Every file in the payload folder: complete payloads by hash; temporary files of interrupted writes
   * last modified before `staleBefore` are removed (younger ones may belong to a write in progress).
   */
  scan(staleBefore: number): { payloads: string[]; removedTemp: number } {
    const payloads: string[] = [];
    let removedTemp = 0;
    let subdirs: string[];
    try {
      subdirs = readdirSync(this.root);
    } catch {
      return { payloads, removedTemp };
    }
    for (const sub of subdirs) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue;
      let names: string[];
      try {
        names = readdirSync(join(this.root, sub));
      } catch {
        continue;
      }
      for (const n of names) {
        if (SHA256_HEX.test(n) && n.startsWith(sub)) payloads.push(n);
        else if (TEMP.test(n)) {
          try {
            if (statSync(join(this.root, sub, n)).mtimeMs >= staleBefore) continue;
            unlinkSync(join(this.root, sub, n));
            removedTemp++;
          } catch {
            // someone else removed it
          }
        }
      }
    }
    return { payloads, removedTemp };
  }
}
