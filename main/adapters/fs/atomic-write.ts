// Whole-file writes that never leave a half-written file under the final name and never overwrite
// silently: write a temporary file in the SAME folder (so rename is atomic on one file system), fsync,
// then publish it. Without overwrite, publishing uses link() (fails with EEXIST if the name was taken in
// the meantime) instead of rename(), which would replace it. File systems without hard links (FAT/exFAT
// USB sticks, some network shares) get a fallback that is just as safe for other files: reserve the name
// with an exclusive create (O_EXCL), then rename over that empty placeholder of our own.
// A failed write (disk full, read-only folder) removes its temporary file: nothing partial is left and
// nothing that was there before is touched.
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError, FsError, throwIfAborted } from '../../errors.js';
import { isTempFileName, numberedFilename, tempFileName } from '../../protocol/mstore/filename.js';
import type { FileSinkPort, WriteOptions } from '../../services/audio/ports.js';

/** Candidate names for onExists 'suffix': "a.mp3", "a (1).mp3", "a (2).mp3", ... (within 255 bytes). */
export function suffixedName(name: string, n: number): string {
  return numberedFilename(name, n);
}

/** The errno code of a Node fs error (ENOSPC, EROFS, ...). */
export function errno(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function fsFailure(e: unknown, path: string): FsError {
  const code = errno(e) ?? 'unknown';
  const hint =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'Free some disk space and try again.'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'Choose a folder you can write to (this one is read-only or not yours).'
        : 'Check the folder and try again.';
  return new FsError('fs.failed', `Could not write ${path} (${code}).`, { detail: { path, errno: code }, hint, cause: e });
}

async function writeTemp(dir: string, name: string, data: Uint8Array, fileMode: number): Promise<string> {
  // The temporary name is shortened so a final name of up to 255 bytes does not fail with ENAMETOOLONG.
  const tmp = join(dir, tempFileName(name, randomBytes(6).toString('hex')));
  const fh = await open(tmp, 'wx', fileMode);
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  return tmp;
}

/** Errors of link() on file systems that have no hard links. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** The link() used to publish; injectable so the no-hard-link fallback can be tested on any disk. */
export type LinkFn = (existing: string, target: string) => Promise<void>;

/**
 * Publishes `tmp` as `target` unless `target` exists (EEXIST, nothing touched). Returns false when the
 * name is taken.
 */
export async function publishExclusive(tmp: string, target: string, linkFn: LinkFn = link): Promise<boolean> {
  try {
    await linkFn(tmp, target);
    return true;
  } catch (e) {
    const code = errno(e);
    if (code === 'EEXIST') return false;
    if (!code || !NO_HARD_LINKS.has(code)) throw e;
  }
  // No hard links here: claim the name exclusively, then move our temp file onto our own placeholder.
  try {
    await (await open(target, 'wx', 0o644)).close();
  } catch (e) {
    if (errno(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    await rename(tmp, target);
  } catch (e) {
    await unlink(target).catch(() => {});
    throw e;
  }
  return true;
}

/** Permission bits for the app's own data (caches, settings, library): the user only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Writes `data` to `dir/name` atomically; see {@link FileSinkPort}. `fileMode` (default 0644) is the new
 * file's permission bits, e.g. 0600 for files only the user may read; `dirMode` (default 0777 less the
 * umask) applies to folders this call creates.
 */
export async function writeFileAtomic(dir: string, name: string, data: Uint8Array, opts: WriteOptions & { link?: LinkFn; fileMode?: number; dirMode?: number } = {}): Promise<string> {
  const mode = opts.onExists ?? 'error';
  throwIfAborted(opts.signal);
  let tmp: string;
  try {
    await mkdir(dir, { recursive: true, ...(opts.dirMode !== undefined && { mode: opts.dirMode }) });
  } catch (e) {
    const code = errno(e);
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      // The output location (or a folder on its way) is a file: say so, rather than "EEXIST".
      throw new FsError('fs.failed', `${dir} is a file, not a folder.`, { detail: { path: dir, errno: code }, hint: 'Choose a folder to write into.', cause: e });
    }
    throw fsFailure(e, join(dir, name));
  }
  try {
    tmp = await writeTemp(dir, name, data, opts.fileMode ?? 0o644);
  } catch (e) {
    throw fsFailure(e, join(dir, name));
  }
  try {
    if (opts.signal?.aborted) throw new CancelledError();
    if (mode === 'overwrite') {
      try {
        await rename(tmp, join(dir, name));
      } catch (e) {
        throw fsFailure(e, join(dir, name));
      }
      return name;
    }
    for (let n = 0; n < 10_000; n++) {
      const candidate = suffixedName(name, n);
      let published: boolean;
      try {
        published = await publishExclusive(tmp, join(dir, candidate), opts.link);
      } catch (e) {
        throw fsFailure(e, join(dir, candidate));
      }
      if (published) return candidate;
      if (mode === 'error') {
        throw new FsError('fs.exists', `${candidate} already exists in the output folder; nothing was overwritten.`, {
          detail: { path: join(dir, candidate) },
          hint: 'Choose another folder, remove the file, or ask for numbered names.',
          action: 'chooseOtherFolder',
        });
      }
    }
    throw new FsError('fs.failed', `Too many files named like ${name}.`, { detail: { path: join(dir, name) } });
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** FileSinkPort on the local file system. */
export class LocalFileSink implements FileSinkPort {
  writeAtomic(dir: string, name: string, data: Uint8Array, opts?: WriteOptions): Promise<string> {
    return writeFileAtomic(dir, name, data, opts);
  }
}

/** A temporary file older than this is debris of a killed process, not a write in progress. */
export const STALE_TEMP_MS = 10 * 60_000;

/**
 * Removes the temporary files a killed process left in `dir` (`.name.<hex>.part`, see tempFileName)
 * once they are older than `olderThanMs`, so a write still running in another process is left alone.
 * Only regular files with our temporary-name shape are touched; errors are ignored (best effort at
 * start). Returns the names removed.
 */
export async function sweepStaleTempFiles(dir: string, opts: { olderThanMs?: number; now?: number } = {}): Promise<string[]> {
  const cutoff = (opts.now ?? Date.now()) - (opts.olderThanMs ?? STALE_TEMP_MS);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!isTempFileName(name)) continue;
    try {
      const st = await lstat(join(dir, name));
      if (!st.isFile() || st.mtimeMs > cutoff) continue;
      await unlink(join(dir, name));
      removed.push(name);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}
