// The cross-process vpcd lock of the integration harness (test/support/pcscd.ts), on a private lock dir.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireVpcdLock } from '../support/pcscd.js';

let base = '';
let lock = '';
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'vvm-lock-'));
  lock = join(base, 'vpcd.lock');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('vpcd lock', () => {
  it('is exclusive while held and free again after release', async () => {
    const release = await acquireVpcdLock(1000, lock);
    await expect(acquireVpcdLock(600, lock)).rejects.toThrow(/timed out/);
    release();
    expect(existsSync(lock)).toBe(false);
    const again = await acquireVpcdLock(1000, lock);
    again();
  });
  it('waits for the holder and gets it when released', async () => {
    const release = await acquireVpcdLock(1000, lock);
    setTimeout(release, 300);
    const t = Date.now();
    const mine = await acquireVpcdLock(5000, lock);
    expect(Date.now() - t).toBeGreaterThanOrEqual(250);
    mine();
  });
  it('breaks a lock whose owner process is gone, or that is very old', async () => {
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), `${deadPid()} ${Date.now()}`);
    const r1 = await acquireVpcdLock(1000, lock);
    r1();
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), `${process.pid} ${Date.now() - 60 * 60_000}`);
    const r2 = await acquireVpcdLock(1000, lock);
    r2();
  });
  it('a release by a process that no longer owns the lock leaves the new owner alone', async () => {
    const r1 = await acquireVpcdLock(1000, lock);
    rmSync(lock, { recursive: true, force: true }); // as if broken as stale
    const r2 = await acquireVpcdLock(1000, lock);
    r1();
    expect(existsSync(lock)).toBe(true);
    r2();
    expect(existsSync(lock)).toBe(false);
  });
});
