// ffmpeg leaves nothing behind (issue 11): its temporary audio lives in a private 0700 folder of ours,
// directories a killed run left there are swept by the next run, and children die with this process.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privateTempRoot, sweepStaleTempDirs } from '../../../../main/adapters/ffmpeg/runner.js';

let base = '';
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'vvm-debris-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('ffmpeg temporary files', () => {
  it('live in a 0700 folder owned by this user; a planted symlink or a shared folder is not used', async () => {
    const root = await privateTempRoot(base);
    expect(root).toBe(join(base, `vvm-desk-${process.getuid?.()}`));
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(await privateTempRoot(base)).toBe(root);

    const other = mkdtempSync(join(tmpdir(), 'vvm-debris-'));
    try {
      symlinkSync(base, join(other, `vvm-desk-${process.getuid?.()}`));
      expect(await privateTempRoot(other)).toBe(other);
      rmSync(join(other, `vvm-desk-${process.getuid?.()}`));
      mkdirSync(join(other, `vvm-desk-${process.getuid?.()}`), { mode: 0o777 });
      chmodSync(join(other, `vvm-desk-${process.getuid?.()}`), 0o777);
      expect(await privateTempRoot(other)).toBe(other);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('directories of a killed run are swept once stale, fresh ones and other names are kept', async () => {
    const root = await privateTempRoot(base);
    for (const d of ['vvm-ffmpeg-old', 'vvm-ffmpeg-new', 'other-old']) {
      mkdirSync(join(root, d));
      writeFileSync(join(root, d, 'output'), 'voicemail audio');
    }
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(root, 'vvm-ffmpeg-old'), old, old);
    utimesSync(join(root, 'other-old'), old, old);
    expect(await sweepStaleTempDirs(root)).toEqual(['vvm-ffmpeg-old']);
    expect(existsSync(join(root, 'vvm-ffmpeg-new'))).toBe(true);
    expect(existsSync(join(root, 'other-old'))).toBe(true);
  });

  it('a child ffmpeg is killed when the process that started it exits', async () => {
    // A stand-in ffmpeg that records its pid and would run for 30 s.
    const fake = join(base, 'ffmpeg');
    writeFileSync(fake, `#!/bin/sh\necho $$ > "${join(base, 'pid')}"\nexec sleep 30\n`, { mode: 0o755 });
    const runner = resolve(import.meta.dirname, '../../../../main/adapters/ffmpeg/runner.ts');
    const script = `import { FfmpegRunner } from ${JSON.stringify(runner)};
      const r = new FfmpegRunner(${JSON.stringify(fake)});
      r.run(['-i', 'pipe:0', 'pipe:1'], { input: new Uint8Array(10) }).catch(() => {});
      setTimeout(() => process.exit(0), 800);`;
    const tsx = resolve(import.meta.dirname, '../../../../node_modules/tsx/dist/cli.mjs');
    await new Promise<void>((done) => spawn(process.execPath, [tsx, '--eval', script], { stdio: 'ignore' }).on('close', () => done()));
    const pid = Number(readFileSync(join(base, 'pid'), 'utf8'));
    expect(pid).toBeGreaterThan(0);
    let alive = true;
    for (let i = 0; i < 40 && alive; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  });
});
