// Whole-file writes that never leave a half-written file under the final name and never overwrite
// silently: write a temporary file in the SAME folder (so rename is atomic on one file system), fsync,
// then publish it. Without overwrite, publishing uses link() (fails with EEXIST if the name was taken in
// the meantime) instead of rename(), which would replace it.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { CancelledError, FsError, throwIfAborted } from '../../errors.js';
import type { FileSinkPort, WriteOptions } from '../../services/audio/ports.js';

/** Candidate names for onExists 'suffix': "a.mp3", "a (1).mp3", "a (2).mp3", ... */
export function suffixedName(name: string, n: number): string {
  if (n === 0) return name;
  const ext = extname(name);
  const stem = ext ? name.slice(0, -ext.length) : name;
  return `${stem} (${n})${ext}`;
}

function fsFailure(e: unknown, path: string): FsError {
  const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'unknown';
  const hint =
    code === 'ENOSPC' ? 'Free some disk space and try again.' : code === 'EACCES' || code === 'EPERM' ? 'Choose a folder you can write to.' : 'Check the folder and try again.';
  return new FsError('fs.failed', `Could not write ${path} (${code}).`, { detail: { path, errno: code }, hint, cause: e });
}

async function writeTemp(dir: string, name: string, data: Uint8Array): Promise<string> {
  const tmp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.part`);
  const fh = await open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return tmp;
}

/** Writes `data` to `dir/name` atomically; see {@link FileSinkPort}. */
export async function writeFileAtomic(dir: string, name: string, data: Uint8Array, opts: WriteOptions = {}): Promise<string> {
  const mode = opts.onExists ?? 'error';
  throwIfAborted(opts.signal);
  let tmp: string;
  try {
    await mkdir(dir, { recursive: true });
    tmp = await writeTemp(dir, name, data);
  } catch (e) {
    throw fsFailure(e, join(dir, name));
  }
  try {
    if (opts.signal?.aborted) throw new CancelledError();
    if (mode === 'overwrite') {
      await rename(tmp, join(dir, name));
      return name;
    }
    for (let n = 0; n < 10_000; n++) {
      const candidate = suffixedName(name, n);
      try {
        await link(tmp, join(dir, candidate));
        return candidate;
      } catch (e) {
        const code = e instanceof Error && 'code' in e ? e.code : undefined;
        if (code !== 'EEXIST') throw fsFailure(e, join(dir, candidate));
        if (mode === 'error') {
          throw new FsError('fs.exists', `${candidate} already exists in the output folder; nothing was overwritten.`, {
            detail: { path: join(dir, candidate) },
            hint: 'Choose another folder, remove the file, or ask for numbered names (--on-exists suffix).',
          });
        }
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
