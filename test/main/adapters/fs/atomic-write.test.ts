import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishExclusive, suffixedName, sweepStaleTempFiles, writeFileAtomic, type LinkFn } from '../../../../main/adapters/fs/atomic-write.js';
import { DirBlobCache } from '../../../../main/adapters/fs/blob-cache.js';
import { FsError } from '../../../../main/errors.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vvm-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (s: string) => new TextEncoder().encode(s);

describe('writeFileAtomic', () => {
  it('writes the file and leaves no temporary file behind', async () => {
    expect(await writeFileAtomic(dir, 'a.wav', bytes('one'))).toBe('a.wav');
    expect(await readFile(join(dir, 'a.wav'), 'utf8')).toBe('one');
    expect(await readdir(dir)).toEqual(['a.wav']);
  });

  it('never overwrites by default: FsError fs.exists, old content kept', async () => {
    await writeFile(join(dir, 'a.wav'), 'old');
    const e = await writeFileAtomic(dir, 'a.wav', bytes('new')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FsError);
    expect(e instanceof FsError && e.code).toBe('fs.exists');
    expect(await readFile(join(dir, 'a.wav'), 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['a.wav']);
  });

  it('numbers the name with onExists suffix', async () => {
    await writeFile(join(dir, 'a.wav'), 'old');
    await writeFile(join(dir, 'a (1).wav'), 'old1');
    expect(await writeFileAtomic(dir, 'a.wav', bytes('new'), { onExists: 'suffix' })).toBe('a (2).wav');
    expect(await readFile(join(dir, 'a (2).wav'), 'utf8')).toBe('new');
    expect(suffixedName('noext', 3)).toBe('noext (3)');
  });

  it('replaces with onExists overwrite', async () => {
    await writeFile(join(dir, 'a.wav'), 'old');
    await writeFileAtomic(dir, 'a.wav', bytes('new'), { onExists: 'overwrite' });
    expect(await readFile(join(dir, 'a.wav'), 'utf8')).toBe('new');
  });

  it('creates the folder, and reports an unwritable target as fs.failed', async () => {
    expect(await writeFileAtomic(join(dir, 'x', 'y'), 'a.wav', bytes('1'))).toBe('a.wav');
    await writeFile(join(dir, 'file'), '');
    const e = await writeFileAtomic(join(dir, 'file'), 'a.wav', bytes('1')).catch((x: unknown) => x);
    expect(e instanceof FsError && e.code).toBe('fs.failed');
    // Said plainly (issue 11), for the folder itself and for a file on the way to it.
    expect(e instanceof FsError && e.message).toBe(`${join(dir, 'file')} is a file, not a folder.`);
    const deeper = await writeFileAtomic(join(dir, 'file', 'sub'), 'a.wav', bytes('1')).catch((x: unknown) => x);
    expect(deeper instanceof FsError && e instanceof FsError && [deeper.code, deeper.message.endsWith('is a file, not a folder.')]).toEqual(['fs.failed', true]);
  });

  it('an aborted signal writes nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(writeFileAtomic(dir, 'a.wav', bytes('1'), { signal: ac.signal })).rejects.toMatchObject({ code: 'op.cancelled' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('on a file system without hard links (link() fails EPERM) still publishes, never overwrites, numbers names', async () => {
    const noLinks: LinkFn = async () => {
      throw Object.assign(new Error('link not supported'), { code: 'EPERM' });
    };
    expect(await writeFileAtomic(dir, 'a.wav', bytes('one'), { link: noLinks })).toBe('a.wav');
    expect(await readFile(join(dir, 'a.wav'), 'utf8')).toBe('one');
    const e = await writeFileAtomic(dir, 'a.wav', bytes('two'), { link: noLinks }).catch((x: unknown) => x);
    expect(e instanceof FsError && e.code).toBe('fs.exists');
    expect(await writeFileAtomic(dir, 'a.wav', bytes('three'), { link: noLinks, onExists: 'suffix' })).toBe('a (1).wav');
    expect(await readFile(join(dir, 'a.wav'), 'utf8')).toBe('one');
    expect(await readFile(join(dir, 'a (1).wav'), 'utf8')).toBe('three');
    expect((await readdir(dir)).sort()).toEqual(['a (1).wav', 'a.wav']);
  });

  it('publishExclusive passes on link errors that are not about missing hard links, touching nothing', async () => {
    await writeFile(join(dir, 'tmp'), 'x');
    const eio: LinkFn = async () => {
      throw Object.assign(new Error('io'), { code: 'EIO' });
    };
    await expect(publishExclusive(join(dir, 'tmp'), join(dir, 'final'), eio)).rejects.toMatchObject({ code: 'EIO' });
    expect(await readdir(dir)).toEqual(['tmp']);
  });

  it('a failed publish is a typed fs.failed and leaves no temporary file', async () => {
    const eio: LinkFn = async () => {
      throw Object.assign(new Error('io'), { code: 'EIO' });
    };
    await writeFile(join(dir, 'keep.wav'), 'old');
    const e = await writeFileAtomic(dir, 'a.wav', bytes('1'), { link: eio }).catch((x: unknown) => x);
    expect(e instanceof FsError && e.code).toBe('fs.failed');
    expect(e instanceof FsError && e.detail).toMatchObject({ errno: 'EIO' });
    expect(await readdir(dir)).toEqual(['keep.wav']);
  });
});

describe('long names, private modes, debris (issue 11)', () => {
  const len = (s: string) => new TextEncoder().encode(s).length;

  it('writes names of 236-255 bytes (the temporary name is shortened, not name + 19 bytes)', async () => {
    for (const n of [236, 250, 255]) {
      const name = `${'n'.repeat(n - 4)}.amr`;
      expect(await writeFileAtomic(dir, name, bytes('x'))).toBe(name);
    }
    const name = `${'é'.repeat(125)}a.amr`;
    expect(len(name)).toBe(255);
    expect(await writeFileAtomic(dir, name, bytes('1'))).toBe(name);
    const second = await writeFileAtomic(dir, name, bytes('2'), { onExists: 'suffix' });
    expect(second.endsWith(' (1).amr')).toBe(true);
    expect(len(second)).toBeLessThanOrEqual(255);
    expect((await readdir(dir)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('creates private folders and files when asked', async () => {
    const sub = join(dir, 'a', 'b');
    await writeFileAtomic(sub, 'k', bytes('1'), { fileMode: 0o600, dirMode: 0o700 });
    expect((await stat(sub)).mode & 0o777).toBe(0o700);
    expect((await stat(join(sub, 'k'))).mode & 0o777).toBe(0o600);
  });

  it('the decoded-audio cache keeps files 0600 in a 0700 folder, narrowing an existing wider folder', async () => {
    const cacheDir = join(dir, 'cache');
    await mkdir(cacheDir, { mode: 0o755 });
    const cache = new DirBlobCache(cacheDir);
    await cache.set('v1.wav', bytes('RIFF'));
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(cacheDir, 'v1.wav'))).mode & 0o777).toBe(0o600);
    expect(new TextDecoder().decode((await cache.get('v1.wav')) ?? new Uint8Array())).toBe('RIFF');
  });

  it('sweeps stale temporary files of a killed write, and only those', async () => {
    const stale = '.settings.json.0123456789ab.part';
    const fresh = '.settings.json.ba9876543210.part';
    await writeFile(join(dir, stale), 'x');
    await writeFile(join(dir, fresh), 'x');
    await writeFile(join(dir, 'settings.json'), '{}');
    await writeFile(join(dir, 'notes.part'), 'user file');
    await mkdir(join(dir, '.d.0123456789ab.part'));
    const old = new Date(Date.now() - 3_600_000);
    for (const f of [stale, 'settings.json', 'notes.part', '.d.0123456789ab.part']) await utimes(join(dir, f), old, old);
    expect(await sweepStaleTempFiles(dir)).toEqual([stale]);
    expect((await readdir(dir)).sort()).toEqual(['.d.0123456789ab.part', fresh, 'notes.part', 'settings.json'].sort());
    expect(await sweepStaleTempFiles(join(dir, 'missing'))).toEqual([]);
  });
});
