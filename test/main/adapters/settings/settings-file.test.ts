import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings, saveSettings } from '../../../../main/adapters/settings/settings-file.js';
import { defaultSettings } from '../../../../shared/settings.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vvm-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings file', () => {
  it('gives the defaults without a file', async () => {
    expect(await loadSettings(join(dir, 'settings.json'))).toEqual(defaultSettings());
  });

  it('round-trips, creating the folder, leaving no temporary file', async () => {
    const file = join(dir, 'sub', 'settings.json');
    const s = { ...defaultSettings(), reader: 'Virtual PCD 00 00', imei: '35123456789012' };
    await saveSettings(file, s);
    expect(await loadSettings(file)).toEqual(s);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['settings.json']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ reader: 'Virtual PCD 00 00' });
  });

  it('drops a NAF FQDN override equal to the server host (the old saved default), keeps a real one', async () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ ...defaultSettings(), nafFqdn: 'wsg.t-mobile.com' }));
    expect((await loadSettings(file)).nafFqdn).toBeUndefined();
    writeFileSync(file, JSON.stringify({ ...defaultSettings(), server: 'https://proxy.example/phone20/mStoreRelay', nafFqdn: 'wsg.t-mobile.com' }));
    expect((await loadSettings(file)).nafFqdn).toBe('wsg.t-mobile.com');
  });

  it('is readable by the user only (0600)', async () => {
    const file = join(dir, 'settings.json');
    await saveSettings(file, defaultSettings());
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('concurrent saves in one process each write whole files: the last one wins, no temporary file left', async () => {
    const file = join(dir, 'settings.json');
    const imeis = ['35123456789010', '35123456789011', '35123456789012', '35123456789013'];
    await Promise.all(imeis.map((imei) => saveSettings(file, { ...defaultSettings(), imei })));
    expect(imeis).toContain((await loadSettings(file)).imei);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('reports corrupt JSON and invalid values as config.invalid, naming the fields', async () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{ not json');
    await expect(loadSettings(file)).rejects.toMatchObject({ code: 'config.invalid' });
    writeFileSync(file, JSON.stringify({ server: 'not a url', connectTimeoutMs: -1 }));
    await expect(loadSettings(file)).rejects.toMatchObject({ code: 'config.invalid', detail: { fields: ['server', 'connectTimeoutMs'] } });
  });

  it('a start sweeps the stale temporary files of a save that was killed (issue 11), and the folder is 0700', async () => {
    const file = join(dir, 'cfg', 'settings.json');
    await saveSettings(file, defaultSettings());
    expect(statSync(join(dir, 'cfg')).mode & 0o777).toBe(0o700);
    const stale = join(dir, 'cfg', '.settings.json.0123456789ab.part');
    writeFileSync(stale, '{');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(stale, old, old);
    expect(await loadSettings(file)).toEqual(defaultSettings());
    expect(readdirSync(join(dir, 'cfg'))).toEqual(['settings.json']);
  });

  it('refuses to save invalid settings', async () => {
    const file = join(dir, 'settings.json');
    await expect(saveSettings(file, { ...defaultSettings(), server: 'nope' })).rejects.toThrow();
    expect(existsSync(file)).toBe(false);
  });
});
