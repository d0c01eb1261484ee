// The parts of electron-builder.yml that the Linux `dir` build in package.test.ts cannot exercise (deb,
// AppImage, dmg, NSIS run only on their own OS): read the configuration and check the promises it makes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APP_DIR_NAME } from '../../main/adapters/paths.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface BuilderConfig {
  productName: string;
  files: string[];
  extraResources: { from: string; to: string }[];
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; category: string; executableName: string };
  deb: { depends: string[]; afterInstall: string; afterRemove: string };
  mac: { target: string[]; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string; extendInfo: Record<string, string>; notarize?: unknown };
  win: { target: string[] };
  nsis: { oneClick: boolean; perMachine: boolean; allowElevation: boolean };
}

const cfg = parseYaml(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('Linux: AppImage and deb, category AudioVideo, the deb depends on pcscd and libsecret', () => {
    expect(cfg.linux.target).toEqual(['AppImage', 'deb']);
    expect(cfg.linux.category).toBe('AudioVideo');
    expect(cfg.linux.executableName).toBe('vvm-desk');
    expect(cfg.deb.depends).toEqual(expect.arrayContaining(['pcscd', 'libsecret-1-0']));
    // `depends` replaces electron-builder's list: Electron's own libraries must still be there.
    expect(cfg.deb.depends).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libnotify4', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1']));
  });

  it('the deb scripts are electron-builder\'s own plus the vvm-desk-cli link', () => {
    const templates = join(ROOT, 'node_modules', 'app-builder-lib', 'templates', 'linux');
    for (const [ours, theirs, extra] of [
      [cfg.deb.afterInstall, 'after-install.tpl', "ln -sf '/opt/${sanitizedProductName}/vvm-desk-cli' '/usr/bin/vvm-desk-cli'"],
      [cfg.deb.afterRemove, 'after-remove.tpl', "rm -f '/usr/bin/vvm-desk-cli'"],
    ] as const) {
      const script = readFileSync(join(ROOT, ours), 'utf8');
      // Every command line of the installed electron-builder's template is kept (comments aside), in order.
      const commands = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
      const mine = commands(script);
      let at = 0;
      for (const line of commands(readFileSync(join(templates, theirs), 'utf8'))) {
        const found = mine.indexOf(line, at);
        expect(found, `${ours}: ${line}`).toBeGreaterThanOrEqual(at);
        at = found + 1;
      }
      expect(mine).toContain(extra);
    }
  });

  it('macOS: dmg, hardened runtime with the microphone and smart-card entitlements, notarisation left to the environment', () => {
    expect(cfg.mac.target).toEqual(['dmg']);
    expect(cfg.mac.hardenedRuntime).toBe(true);
    expect(cfg.mac.notarize).toBeUndefined(); // not `false`: electron-builder notarises when APPLE_* are set
    expect(cfg.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/microphone/);
    for (const file of [cfg.mac.entitlements, cfg.mac.entitlementsInherit]) {
      const plist = readFileSync(join(ROOT, file), 'utf8');
      for (const key of ['com.apple.security.device.audio-input', 'com.apple.security.smartcard', 'com.apple.security.cs.allow-jit']) {
        expect(plist, `${file}: ${key}`).toMatch(new RegExp(`<key>${key.replace(/\./g, '\\.')}</key>\\s*<true/>`));
      }
    }
  });

  it('Windows: NSIS installer per user, never asking for elevation', () => {
    expect(cfg.win.target).toEqual(['nsis']);
    expect(cfg.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: false });
  });

  it('the fuses, the unpacked files and the demo resources are configured as the app relies on', () => {
    expect(cfg.electronFuses).toMatchObject({
      runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true, enableEmbeddedAsarIntegrityValidation: true, enableCookieEncryption: true,
    });
    expect(cfg.asarUnpack).toContain('**/*.node');
    expect(cfg.extraResources).toContainEqual({ from: 'assets/demo', to: 'assets/demo' });
    expect(cfg.files).not.toContain('out/**/*');
    // The folder name of the per-user folders is the product name (main/adapters/paths.ts).
    expect(cfg.productName).toBe(APP_DIR_NAME);
  });
});
