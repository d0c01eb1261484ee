import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishExclusive, suffixedName, writeFileAtomic, type LinkFn } from '../../../../main/adapters/fs/atomic-write.js';
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
