// scripts/fetch-ffmpeg.js (the project's postinstall) must never fail an install: without network it
// prints one line and exits 0, so `npm ci` stays green on offline build machines. With network it fetches
// ffmpeg-static's binary, which the engine then prefers; a download cut short leaves nothing behind.
// The online cases run the script in a sandbox project (a copy of ffmpeg-static, its dependencies linked)
// against a local HTTP server standing in for the release host (FFMPEG_BINARIES_URL), so the shared
// node_modules is never touched.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arch, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegStaticBinary, resolveFfmpeg } from '../../main/adapters/ffmpeg/locate.js';
import { tempDir } from '../support/audio.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/fetch-ffmpeg.js');

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

describe('postinstall with a reachable release host (sandbox project, local server)', () => {
  const tmp = tempDir('vvm-postinstall-');
  const FAKE = '#!/bin/sh\necho "ffmpeg version sandbox"\n';
  let server: Server;
  let base = '';
  let mode: 'ok' | 'cut' = 'ok';
  let requests: string[] = [];

  /** A project folder with our script and a fresh copy of ffmpeg-static (no binary yet). */
  function sandbox(name: string): { script: string; binary: string } {
    const proj = join(tmp.dir, name);
    const pkg = join(proj, 'node_modules', 'ffmpeg-static');
    mkdirSync(join(proj, 'scripts'), { recursive: true });
    mkdirSync(pkg, { recursive: true });
    copyFileSync(SCRIPT, join(proj, 'scripts', 'fetch-ffmpeg.js'));
    const src = join(ROOT, 'node_modules', 'ffmpeg-static');
    for (const f of ['index.js', 'install.js', 'package.json']) copyFileSync(join(src, f), join(pkg, f));
    // Its dependencies, linked (Node resolves their own dependencies from the real path).
    for (const dep of ['@derhuerst', 'env-paths', 'https-proxy-agent', 'progress']) symlinkSync(join(ROOT, 'node_modules', dep), join(proj, 'node_modules', dep));
    return { script: join(proj, 'scripts', 'fetch-ffmpeg.js'), binary: join(pkg, platform() === 'win32' ? 'ffmpeg.exe' : 'ffmpeg') };
  }

  function runScript(script: string): Promise<{ code: number | null; stderr: string }> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: tmp.dir, XDG_CACHE_HOME: join(tmp.dir, 'cache'), CI: '1', FFMPEG_BINARIES_URL: base };
    return new Promise((done) => {
      const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code) => done({ code, stderr }));
    });
  }

  beforeAll(async () => {
    const gz = gzipSync(Buffer.from(FAKE + '#'.repeat(200_000)));
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (!req.url?.endsWith('.gz')) return void res.writeHead(404).end();
      if (mode === 'cut') {
        res.writeHead(200, { 'content-length': String(gz.length) });
        res.write(gz.subarray(0, gz.length >> 1), () => res.socket?.destroy());
        return;
      }
      res.writeHead(200, { 'content-length': String(gz.length) }).end(gz);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    tmp.cleanup();
  });

  it('downloads the binary to ffmpeg-static\'s path, executable, and the engine then prefers it', async () => {
    mode = 'ok';
    requests = [];
    const { script, binary } = sandbox('online');
    const r = await runScript(script);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('fetched the bundled ffmpeg (ffmpeg-static)');
    expect(requests[0]).toBe(`/b6.1.1/ffmpeg-${platform()}-${arch()}.gz`);
    expect(readFileSync(binary, 'utf8').startsWith(FAKE)).toBe(true);
    expect(statSync(binary).mode & 0o111).not.toBe(0);
    const staticBinary = ffmpegStaticBinary(() => binary);
    expect(resolveFfmpeg({ env: { FFMPEG_PATH: '/usr/bin/ffmpeg', PATH: '/usr/bin' }, staticBinary })).toEqual({ path: binary, source: 'ffmpeg-static' });
    // A second install finds it and does nothing.
    requests = [];
    expect((await runScript(script)).code).toBe(0);
    expect(requests).toEqual([]);
  });

  it('a download cut short exits 0 and leaves no truncated binary for the engine to pick', async () => {
    mode = 'cut';
    const { script, binary } = sandbox('cut');
    const r = await runScript(script);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^vvm-desk postinstall: bundled ffmpeg not downloaded/m);
    expect(existsSync(binary)).toBe(false);
    expect(ffmpegStaticBinary(() => binary)).toBeNull();
  });
});
