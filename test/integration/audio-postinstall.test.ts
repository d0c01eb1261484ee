// scripts/fetch-ffmpeg.js (the project's postinstall) must never fail an install: without network it
// prints one line and exits 0, so `npm ci` stays green on offline build machines.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/fetch-ffmpeg.js');

describe('postinstall fetch-ffmpeg', () => {
  it('tolerates an unreachable download: exit 0, at most one line', () => {
    // A proxy on a closed local port makes ffmpeg-static's download fail at once, as offline.
    const r = spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, HTTPS_PROXY: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9' }, encoding: 'utf8', timeout: 150_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeLessThanOrEqual(1);
    if (lines.length === 1) expect(lines[0]).toMatch(/^vvm-desk postinstall: /);
  });

  it('can be skipped', () => {
    const r = spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, VVM_SKIP_FFMPEG_DOWNLOAD: '1' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('skipped');
  });
});
