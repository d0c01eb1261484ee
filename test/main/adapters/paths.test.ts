// The per-user folders (one spelling on every OS, env overrides), the resources folder in development and
// in a packaged layout, and the app.asar -> app.asar.unpacked mapping.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_DIR_NAME, cacheDir, configDir, dataDir, demoDir, resourcePath, resourcesDir, unpackedPath } from '../../../main/adapters/paths.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('per-user folders', () => {
  it('Linux: XDG base directories (absolute only), else ~/.config, ~/.local/share, ~/.cache', () => {
    const env = { HOME: '/home/a' };
    expect(configDir(env, 'linux')).toBe('/home/a/.config/VVM Desk');
    expect(dataDir(env, 'linux')).toBe('/home/a/.local/share/VVM Desk');
    expect(cacheDir(env, 'linux')).toBe('/home/a/.cache/VVM Desk');
    const xdg = { HOME: '/home/a', XDG_CONFIG_HOME: '/c', XDG_DATA_HOME: '/d', XDG_CACHE_HOME: '/k' };
    expect([configDir(xdg, 'linux'), dataDir(xdg, 'linux'), cacheDir(xdg, 'linux')]).toEqual(['/c/VVM Desk', '/d/VVM Desk', '/k/VVM Desk']);
    // A relative XDG value is ignored, as the XDG spec says.
    expect(dataDir({ HOME: '/home/a', XDG_DATA_HOME: 'rel' }, 'linux')).toBe('/home/a/.local/share/VVM Desk');
  });

  it('macOS: Application Support for config and data, Caches for the cache', () => {
    const env = { HOME: '/Users/a' };
    expect(configDir(env, 'darwin')).toBe('/Users/a/Library/Application Support/VVM Desk');
    expect(dataDir(env, 'darwin')).toBe('/Users/a/Library/Application Support/VVM Desk');
    expect(cacheDir(env, 'darwin')).toBe('/Users/a/Library/Caches/VVM Desk');
  });

  it('Windows: roaming config, local data and cache, from the env or from the profile folder', () => {
    const env = { USERPROFILE: 'C:/Users/a', APPDATA: 'C:/R', LOCALAPPDATA: 'C:/L' };
    expect(configDir(env, 'win32')).toBe(join('C:/R', 'VVM Desk'));
    expect(dataDir(env, 'win32')).toBe(join('C:/L', 'VVM Desk'));
    expect(cacheDir(env, 'win32')).toBe(join('C:/L', 'VVM Desk', 'Cache'));
    expect(dataDir({ USERPROFILE: 'C:/Users/a' }, 'win32')).toBe(join('C:/Users/a', 'AppData', 'Local', 'VVM Desk'));
  });

  it('one folder name everywhere, the overrides win, and no home folder gives null', () => {
    expect(APP_DIR_NAME).toBe('VVM Desk');
    const env = { HOME: '/home/a', VVM_CONFIG_DIR: '/o/c', VVM_DATA_DIR: '/o/d', VVM_CACHE_DIR: '/o/k' };
    for (const p of ['linux', 'darwin', 'win32'] as const) {
      expect([configDir(env, p), dataDir(env, p), cacheDir(env, p)]).toEqual([resolve('/o/c'), resolve('/o/d'), resolve('/o/k')]);
      expect(demoDir(env, p)).toBe(join(resolve('/o/d'), 'demo'));
      expect(demoDir({ ...env, VVM_DEMO_DIR: '/o/demo' }, p)).toBe(resolve('/o/demo'));
    }
    expect(configDir({}, 'linux')).toBeNull();
    expect(dataDir({ HOME: '' }, 'darwin')).toBeNull();
    expect(cacheDir({}, 'win32')).toBeNull();
  });
});

describe('resources', () => {
  it('is the project folder in development (assets/demo found there)', () => {
    expect(resourcesDir()).toBe(ROOT);
    expect(resourcePath('assets', 'demo', 'scenario.json')).toBe(join(ROOT, 'assets', 'demo', 'scenario.json'));
  });

  it('is process.resourcesPath when the code runs from inside it (packaged Electron)', () => {
    const res = join(tmpdir(), 'x', 'resources');
    expect(resourcesDir(join(res, 'app.asar', 'out', 'main', 'adapters'), res)).toBe(res);
    // Electron in development also sets resourcesPath (its own dist/resources): not ours, ignored.
    expect(resourcesDir(join(ROOT, 'out', 'main', 'adapters'), join(ROOT, 'node_modules', 'electron', 'dist', 'resources'))).toBe(ROOT);
  });

  it('is the folder above app/ when a packaged layout runs under plain Node', () => {
    const d = mkdtempSync(join(tmpdir(), 'vvm-paths-'));
    dirs.push(d);
    const app = join(d, 'Resources', 'app');
    mkdirSync(join(app, 'out', 'main', 'adapters'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'vvm-desk' }));
    expect(resourcesDir(join(app, 'out', 'main', 'adapters'), undefined)).toBe(join(d, 'Resources'));
    // Someone else's package.json on the way up is skipped.
    mkdirSync(join(app, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(app, 'node_modules', 'x', 'package.json'), JSON.stringify({ name: 'x' }));
    expect(resourcesDir(join(app, 'node_modules', 'x'), undefined)).toBe(join(d, 'Resources'));
  });

  it('maps paths inside app.asar to app.asar.unpacked, and leaves others alone', () => {
    const inAsar = ['', 'opt', 'VVM Desk', 'resources', 'app.asar', 'node_modules', 'ffmpeg-static', 'ffmpeg'].join(sep);
    expect(unpackedPath(inAsar)).toBe(['', 'opt', 'VVM Desk', 'resources', 'app.asar.unpacked', 'node_modules', 'ffmpeg-static', 'ffmpeg'].join(sep));
    const plain = join(ROOT, 'node_modules', 'ffmpeg-static', 'ffmpeg');
    expect(unpackedPath(plain)).toBe(plain);
    const already = ['', 'r', 'app.asar.unpacked', 'f'].join(sep);
    expect(unpackedPath(already)).toBe(already);
  });
});
