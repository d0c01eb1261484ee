// The CLI takes the desktop's settings file (VVM_CONFIG_DIR, or the OS config folder) as its defaults,
// and its global options override it. Runs runCli in-process with a command that reports its settings.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/main.js';
import type { CliIo, CommandGroup } from '../../main/cli/framework.js';
import { configDir } from '../../main/adapters/paths.js';
import { saveSettings, settingsFilePath } from '../../main/adapters/settings/settings-file.js';
import { defaultSettings, type Settings } from '../../shared/settings.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vvm-cli-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `vvm-desk probe settings <argv>` and returns the settings the command was given. */
async function settingsSeen(argv: string[], env: Record<string, string | undefined>): Promise<{ code: number; settings: Settings | null; stderr: string }> {
  let seen: Settings | null = null;
  let stderr = '';
  const group: CommandGroup = {
    name: 'probe',
    summary: 'test',
    commands: {
      settings: {
        summary: 'reports its settings',
        usage: '',
        run: async (ctx) => {
          seen = ctx.settings;
          return 0;
        },
      },
    },
  };
  const io: CliIo = { stdout: () => {}, stderr: (t) => void (stderr += t), promptSecret: async () => null, env, cwd: dir };
  const code = await runCli(['probe', 'settings', ...argv], io, [group]);
  return { code, settings: seen, stderr };
}

describe('CLI settings from the desktop settings file', () => {
  it('uses the values the app saved (BSF, IMEI, key reuse, reader) as defaults', async () => {
    const saved: Settings = { ...defaultSettings(), bsf: 'derive', imei: '35123456789012', reuseBootstrap: true, reader: 'Virtual PCD 00 01' };
    await saveSettings(join(dir, 'settings.json'), saved);
    const r = await settingsSeen([], { VVM_CONFIG_DIR: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.settings).toEqual(saved);
  });

  it('lets the global options override the file, keeping the rest of it', async () => {
    await saveSettings(join(dir, 'settings.json'), { ...defaultSettings(), bsf: 'derive', imei: '35123456789012', reuseBootstrap: true });
    const r = await settingsSeen(['--bsf', 'https://bsf.example.test/', '--imei', '35000000000001'], { VVM_CONFIG_DIR: dir });
    expect(r.code).toBe(0);
    expect(r.settings).toMatchObject({ bsf: 'https://bsf.example.test/', imei: '35000000000001', reuseBootstrap: true });
  });

  it('leaves the saved reader to the real card under --demo, while --reader still applies', async () => {
    await saveSettings(join(dir, 'settings.json'), { ...defaultSettings(), reader: 'Virtual PCD 00 01', reuseBootstrap: true });
    const demo = await settingsSeen(['--demo'], { VVM_CONFIG_DIR: dir });
    expect(demo.settings?.reader).toBeUndefined();
    expect(demo.settings?.reuseBootstrap).toBe(true);
    expect((await settingsSeen(['--demo', '--reader', 'ACR38'], { VVM_CONFIG_DIR: dir })).settings?.reader).toBe('ACR38');
  });

  it('gives the defaults when there is no file, or no folder to look in', async () => {
    expect((await settingsSeen([], { VVM_CONFIG_DIR: join(dir, 'nothing-here') })).settings).toEqual(defaultSettings());
    expect((await settingsSeen([], {})).settings).toEqual(defaultSettings());
  });

  it('reports an invalid settings file as config.invalid with a hint naming it (exit 1)', async () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ imei: 'not digits' }));
    const r = await settingsSeen([], { VVM_CONFIG_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.settings).toBeNull();
    expect(r.stderr).toMatch(/\[config\.invalid\]/);
    expect(r.stderr).toContain(join(dir, 'settings.json'));
  });

  it('finds the desktop folder from the environment when VVM_CONFIG_DIR is not set', async () => {
    const home = join(dir, 'home');
    const file = settingsFilePath({ HOME: home }, 'linux');
    expect(file).toBe(join(home, '.config', 'VVM Desk', 'settings.json'));
    expect(configDir({ HOME: home, XDG_CONFIG_HOME: join(dir, 'xdg') }, 'linux')).toBe(join(dir, 'xdg', 'VVM Desk'));
    expect(configDir({ HOME: home }, 'darwin')).toBe(join(home, 'Library', 'Application Support', 'VVM Desk'));
    expect(configDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe(join('C:\\Users\\u\\AppData\\Roaming', 'VVM Desk'));
    expect(configDir({ HOME: home, VVM_CONFIG_DIR: dir }, 'linux')).toBe(dir);
    // runCli looks where this platform's desktop app keeps its settings.
    const here = settingsFilePath({ HOME: home, USERPROFILE: home });
    if (here === null) throw new Error('no settings path from HOME');
    await saveSettings(here, { ...defaultSettings(), reuseBootstrap: true });
    expect((await settingsSeen([], { HOME: home, USERPROFILE: home })).settings?.reuseBootstrap).toBe(true);
  });
});
