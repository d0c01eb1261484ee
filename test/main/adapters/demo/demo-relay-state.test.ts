// Demo mode's relay state: the seeded scenario from assets/demo (real spoken AMR-NB), the per-user data
// folder, and persistence that survives a damaged file.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAssetsDir, demoDir, loadDemoState, saveDemoState, seedScenario } from '../../../../main/adapters/demo/demo-relay-state.js';
import { scanAmr } from '../../../../main/protocol/mstore/amr-frames.js';
import { FsError } from '../../../../main/errors.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'vvm-demo-state-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('demoDir', () => {
  it('VVM_DEMO_DIR wins; otherwise the per-user data folder of each OS', () => {
    expect(demoDir({ VVM_DEMO_DIR: '/x/y' }, 'linux')).toBe('/x/y');
    expect(demoDir({ HOME: '/home/a' }, 'linux')).toBe('/home/a/.local/share/VVM Desk/demo');
    expect(demoDir({ HOME: '/home/a', XDG_DATA_HOME: '/data' }, 'linux')).toBe('/data/VVM Desk/demo');
    expect(demoDir({ HOME: '/home/a', VVM_DATA_DIR: '/d' }, 'linux')).toBe('/d/demo');
    expect(demoDir({ HOME: '/Users/a' }, 'darwin')).toBe('/Users/a/Library/Application Support/VVM Desk/demo');
    expect(demoDir({ USERPROFILE: 'C:/Users/a', LOCALAPPDATA: 'C:/Users/a/AppData/Local' }, 'win32')).toBe(join('C:/Users/a/AppData/Local', 'VVM Desk', 'demo'));
  });
});

describe('the seeded demo data', () => {
  it('about a dozen voicemails and a couple of greetings, each valid AMR-NB of a plausible spoken length, kept small', () => {
    const sc = seedScenario();
    expect(sc.voicemails).toHaveLength(12);
    expect(sc.greetings.length).toBeGreaterThanOrEqual(2);
    const audios = [...sc.voicemails, ...sc.greetings].map((o) => Buffer.from(o.audioBase64 ?? '', 'base64'));
    for (const a of audios) {
      const scan = scanAmr(new Uint8Array(a));
      if (!scan.ok) throw new Error(`demo audio is not AMR-NB: ${scan.reason}`);
      expect(scan.durationMs).toBeGreaterThanOrEqual(2000);
      expect(scan.durationMs).toBeLessThanOrEqual(60_000);
    }
    expect(new Set(audios.map((a) => a.toString('base64'))).size).toBe(audios.length);
    const assets = demoAssetsDir();
    const total = readdirSync(assets).reduce((n, f) => n + statSync(join(assets, f)).size, 0);
    expect(total).toBeLessThan(200 * 1024);
    expect(sc.voicemails.some((v) => !v.read) && sc.voicemails.some((v) => v.read)).toBe(true);
    expect(sc.greetings.filter((g) => g.active)).toHaveLength(1);
  });

  it('refuses an audio file name that would leave the assets folder', () => {
    const assets = tmp();
    copyFileSync(join(demoAssetsDir(), 'vm01.amr'), join(assets, 'vm01.amr'));
    writeFileSync(join(assets, 'scenario.json'), JSON.stringify({ msisdn: '+12065550100', voicemails: [{ from: '12065550142', date: '2026-11-27T16:42:10Z', audioFile: '../vm01.amr' }] }));
    expect(() => seedScenario(assets)).toThrow(FsError);
    writeFileSync(join(assets, 'scenario.json'), JSON.stringify({ msisdn: '+12065550100', voicemails: [{ from: '12065550142', date: '2026-11-27T16:42:10Z', audioFile: 'vm01.amr' }] }));
    expect(seedScenario(assets).voicemails[0]?.audioBase64).toBe(readFileSync(join(assets, 'vm01.amr')).toString('base64'));
  });
});

describe('persistence', () => {
  it('saves atomically and loads back what was saved', () => {
    const dir = join(tmp(), 'nested');
    const sc = seedScenario();
    const changed = { ...sc, voicemails: sc.voicemails.slice(1), pin: '7391' };
    saveDemoState(dir, changed);
    expect(readdirSync(dir)).toEqual(['relay-state.json']);
    const back = loadDemoState(dir);
    expect(back.pin).toBe('7391');
    expect(back.voicemails).toHaveLength(11);
  });

  it('a damaged or invalid state file starts again from the seed', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'relay-state.json'), '{"msisdn": ');
    expect(loadDemoState(dir).voicemails).toHaveLength(12);
    writeFileSync(join(dir, 'relay-state.json'), JSON.stringify({ msisdn: 'not a number' }));
    expect(loadDemoState(dir).msisdn).toBe('+12065550100');
  });

  it('an unwritable folder is fs.failed with a hint', () => {
    const file = join(tmp(), 'a-file');
    writeFileSync(file, 'x');
    const e = (() => {
      try {
        saveDemoState(join(file, 'sub'), seedScenario());
        return null;
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(FsError);
    expect(e).toMatchObject({ code: 'fs.failed' });
  });
});
