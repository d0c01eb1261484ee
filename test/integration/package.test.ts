// The installable package, checked without the Electron download: the app is built into a staging project
// (tsconfig.build.json, the preload and renderer bundles, the production dependencies copied from
// node_modules), then electron-builder packages the Linux `dir` target against a stand-in Electron folder
// made here (a launcher carrying Electron's fuse sentinel and wire, plus the file names Electron ships),
// exactly as electron-builder.yml says. Asserted: what app.asar holds and what it must not, the demo data
// in resources/, native modules and ffmpeg unpacked, the fuses flipped, the icons, and the packaged entry
// running the CLI (`--cli`) under Node from the packaged layout.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import * as asar from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIcns, readIco, readPngSize } from '../support/icons.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ELECTRON_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, in FuseV1Options order: RunAsNode, EnableCookieEncryption, EnableNodeOptionsEnvironmentVariable, EnableNodeCliInspectArguments, EnableEmbeddedAsarIntegrityValidation, OnlyLoadAppFromAsar, LoadBrowserProcessSpecificV8Snapshot, GrantFileProtocolExtraPrivileges. */
const STOCK_WIRE = '10110001';
/** @electron/fuses' wire states: the ASCII digits. */
const DISABLE = 0x30;
const ENABLE = 0x31;
/** What Electron ships in a Linux x64 zip, besides the `electron` launcher. */
const ELECTRON_FILES = [
  'chrome-sandbox', 'chrome_crashpad_handler', 'chrome_100_percent.pak', 'chrome_200_percent.pak', 'icudtl.dat', 'libEGL.so',
  'libGLESv2.so', 'libffmpeg.so', 'libvk_swiftshader.so', 'libvulkan.so.1', 'resources.pak', 'snapshot_blob.bin',
  'v8_context_snapshot.bin', 'vk_swiftshader_icd.json', 'LICENSE', 'LICENSES.chromium.html', 'locales/en-US.pak',
];

let work = '';
let appOut = '';
let resources = '';
let entries: string[] = [];
/** The ffmpeg-static binary that went into the package (the real download, or a stand-in). */
let stagedFfmpeg = '';

/** Runs a build step; `okCodes` lists exit codes that still count as success. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, okCodes: number[] = [0]): void {
  try {
    execFileSync(cmd, args, { cwd, env, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { status?: number | null; stdout?: Buffer; stderr?: Buffer; message: string };
    if (typeof err.status === 'number' && okCodes.includes(err.status)) return;
    throw new Error(`${basename(cmd)} ${args.join(' ')} failed: ${err.message}\n${String(err.stdout ?? '').slice(-4000)}\n${String(err.stderr ?? '').slice(-4000)}`);
  }
}

/** The stand-in Electron distribution folder: a launcher with the stock fuse wire, and Electron's file names. */
async function makeElectronDist(dir: string): Promise<void> {
  for (const f of ELECTRON_FILES) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), `stand-in for Electron's ${f}\n`);
  }
  writeFileSync(join(dir, 'version'), ELECTRON_VERSION);
  // Electron's default app is an asar archive (electron-builder reads every archive in resources/).
  const defaultApp = join(dir, '..', 'default-app');
  mkdirSync(defaultApp);
  writeFileSync(join(defaultApp, 'package.json'), JSON.stringify({ name: 'electron', main: 'main.js' }));
  writeFileSync(join(defaultApp, 'main.js'), '');
  mkdirSync(join(dir, 'resources'));
  await asar.createPackage(defaultApp, join(dir, 'resources', 'default_app.asar'));
  const launcher = Buffer.concat([
    Buffer.from('#!/bin/sh\n# stand-in Electron launcher; fuse wire: '),
    Buffer.from(SENTINEL, 'ascii'),
    Buffer.from([1, STOCK_WIRE.length]),
    Buffer.from(STOCK_WIRE, 'ascii'),
    Buffer.from('\necho "stand-in Electron: $*"\n'),
  ]);
  writeFileSync(join(dir, 'electron'), launcher);
  chmodSync(join(dir, 'electron'), 0o755);
}

/** Production dependencies (npm's own answer), copied package by package into the staging node_modules. */
function copyProductionDeps(app: string): void {
  // npm ls exits 1 over a problem anywhere in the tree (an invalid peer range, say) but still lists the
  // packages; a production package really missing fails the CLI run below.
  const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (ls.error) throw new Error(`npm ls could not run: ${ls.error.message}`);
  const out = ls.stdout;
  const modules = join(ROOT, 'node_modules');
  const dirs = out.split('\n').map((l) => l.trim()).filter((l) => l.startsWith(modules + sep));
  expect(dirs.length).toBeGreaterThan(3);
  for (const d of dirs) {
    cpSync(d, join(app, 'node_modules', relative(modules, d)), {
      recursive: true,
      // Nested node_modules are listed (and copied) as packages of their own.
      filter: (src) => src === d || !relative(d, src).split(sep).includes('node_modules'),
    });
  }
  // ffmpeg-static's binary comes from its download (scripts/fetch-ffmpeg.js), which needs the internet:
  // without it, an executable stand-in takes its place, so the unpacking rule is still exercised.
  const ffmpeg = join(app, 'node_modules', 'ffmpeg-static', 'ffmpeg');
  stagedFfmpeg = ffmpeg;
  if (!existsSync(ffmpeg)) {
    writeFileSync(ffmpeg, '#!/bin/sh\necho "ffmpeg stand-in"\n');
    chmodSync(ffmpeg, 0o755);
  }
}

/** A project folder holding only what the package is made of, built the way `npm run package` builds it. */
function stageProject(app: string): void {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  delete pkg.devDependencies;
  delete pkg.scripts;
  writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
  copyFileSync(join(ROOT, 'electron-builder.yml'), join(app, 'electron-builder.yml'));
  cpSync(join(ROOT, 'assets'), join(app, 'assets'), { recursive: true });
  const bin = (n: string) => join(ROOT, 'node_modules', '.bin', n);
  // Type errors are the type check's business (npm test runs it first); tsc's 2 means "errors, output written".
  run(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', join(app, 'out')], ROOT, process.env, [0, 2]);
  run(bin('vite'), ['build', '-c', 'vite.preload.config.ts', '--logLevel', 'error', '--outDir', join(app, 'out', 'preload')], ROOT);
  run(bin('vite'), ['build', '--logLevel', 'error', '--outDir', join(app, 'out', 'renderer')], ROOT);
  copyProductionDeps(app);
}

describe('the packaged app (electron-builder --linux dir, stand-in Electron)', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vvm-package-'));
    const dist = join(work, 'electron-dist');
    const app = join(work, 'app');
    mkdirSync(app);
    await makeElectronDist(dist);
    stageProject(app);
    const release = join(work, 'release');
    run(process.execPath, [
      join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', '--x64', '--publish', 'never', '--projectDir', app,
      `-c.electronDist=${dist}`, `-c.electronVersion=${ELECTRON_VERSION}`, '-c.npmRebuild=false', `-c.directories.output=${release}`,
    ], app, { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', ELECTRON_BUILDER_CACHE: join(work, 'cache') });
    appOut = join(release, 'linux-unpacked');
    resources = join(appOut, 'resources');
    entries = asar.listPackage(join(resources, 'app.asar'), { isPack: false }).map((e) => e.split(sep).join('/'));
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('app.asar holds the entry, main, shared, the preload bundle and the renderer', () => {
    const pkg = JSON.parse(asar.extractFile(join(resources, 'app.asar'), 'package.json').toString('utf8')) as { main: string; devDependencies?: unknown };
    expect(pkg.main).toBe('out/main/entry.js');
    expect(pkg.devDependencies).toBeUndefined();
    for (const f of ['/out/main/entry.js', '/out/main/electron-main.js', '/out/main/windows.js', '/out/main/cli/main.js', '/out/main/adapters/paths.js', '/out/shared/settings.js', '/out/preload/preload.cjs', '/out/renderer/index.html']) {
      expect(entries, f).toContain(f);
    }
    expect(entries.some((e) => /^\/out\/renderer\/assets\/.+\.js$/.test(e))).toBe(true);
    // Runtime dependencies of main are there.
    for (const m of ['zod', 'fast-xml-parser', 'pcsclite', 'keytar', 'ffmpeg-static']) expect(entries, m).toContain(`/node_modules/${m}/package.json`);
  });

  it('holds no test, fixture, web-harness, source map or development-only package', () => {
    const bad = entries.filter((e) =>
      /^\/out\/(test|e2e)(\/|$)/.test(e) || /\/fixtures?(\/|$)/.test(e) || /web-harness/.test(e) || e.endsWith('.map') || /\.test\.[cm]?js$/.test(e) ||
      /^\/node_modules\/(react|react-dom|@mui|@emotion|wavesurfer\.js|electron|electron-builder|vitest|vite|typescript|playwright-core|@ffmpeg-installer)(\/|$)/.test(e));
    expect(bad).toEqual([]);
    // Only the app's own out/ and node_modules/ and its package.json at the top.
    expect(new Set(entries.map((e) => e.split('/')[1]))).toEqual(new Set(['out', 'node_modules', 'package.json']));
  });

  it('ships the demo data beside app.asar, where main/adapters/paths.ts looks for it', () => {
    const demo = join(resources, 'assets', 'demo');
    const scenario = JSON.parse(readFileSync(join(demo, 'scenario.json'), 'utf8')) as { voicemails: { audioFile?: string }[]; greetings: { audioFile?: string }[] };
    const files = [...scenario.voicemails, ...scenario.greetings].map((o) => o.audioFile).filter((f): f is string => f !== undefined);
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const f of files) expect(readFileSync(join(demo, f)).subarray(0, 6).toString('latin1'), f).toBe('#!AMR\n');
    expect(readdirSync(join(ROOT, 'assets', 'demo')).sort()).toEqual(readdirSync(demo).sort());
  });

  it('unpacks every native module and the ffmpeg binary from the asar', () => {
    const archive = join(resources, 'app.asar');
    const natives = entries.filter((e) => e.endsWith('.node'));
    for (const m of ['pcsclite/build/Release/pcsclite.node', 'keytar/build/Release/keytar.node', 'better-sqlite3/build/Release/better_sqlite3.node']) {
      expect(natives, m).toContain(`/node_modules/${m}`);
    }
    // Build intermediates and test-only binaries of the native modules stay out.
    expect(entries.filter((e) => /\/build\/Release\/(obj|obj\.target|\.deps)\/|\.(a|o|lib|pdb)$|test_extension\.node$/.test(e))).toEqual([]);
    const ffmpeg = '/node_modules/ffmpeg-static/ffmpeg';
    for (const e of [...natives, ffmpeg]) {
      const st = asar.statFile(archive, e.slice(1), false) as { unpacked?: boolean };
      expect(st.unpacked, e).toBe(true);
      expect(existsSync(join(resources, 'app.asar.unpacked', ...e.split('/'))), e).toBe(true);
    }
    const unpacked = join(resources, 'app.asar.unpacked', 'node_modules', 'ffmpeg-static', 'ffmpeg');
    expect(statSync(unpacked).mode & 0o111).not.toBe(0);
    expect(readFileSync(unpacked).equals(readFileSync(stagedFfmpeg))).toBe(true);
  });

  it('flips the fuses in the packaged binary (renamed to the executableName)', async () => {
    const exe = join(appOut, 'vvm-desk');
    expect(readFileSync(exe).includes(Buffer.from(SENTINEL))).toBe(true);
    const wire = await getCurrentFuseWire(exe);
    const want: [FuseV1Options, number][] = [
      [FuseV1Options.RunAsNode, DISABLE],
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable, DISABLE],
      [FuseV1Options.EnableNodeCliInspectArguments, DISABLE],
      [FuseV1Options.OnlyLoadAppFromAsar, ENABLE],
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, ENABLE],
      [FuseV1Options.EnableCookieEncryption, ENABLE],
      [FuseV1Options.GrantFileProtocolExtraPrivileges, DISABLE],
    ];
    for (const [fuse, state] of want) {
      expect(wire[fuse], FuseV1Options[fuse]).toBe(state);
      // Every one of them differs from Electron's stock wire, so this proves the flip.
      expect(STOCK_WIRE.charCodeAt(fuse), FuseV1Options[fuse]).not.toBe(state);
    }
  });

  it('ships the Linux command-line wrapper, which starts the binary headless in CLI mode', () => {
    const wrapper = join(appOut, 'vvm-desk-cli');
    expect(statSync(wrapper).mode & 0o111).not.toBe(0);
    // The stand-in launcher prints its arguments.
    const out = execFileSync(wrapper, ['--demo', 'card', 'info'], { encoding: 'utf8' });
    expect(out.trim()).toBe('stand-in Electron: --ozone-platform=headless --disable-gpu --cli --demo card info');
  });

  it('runs the CLI from the packaged entry (`--cli`), demo data and dependencies from the package only', async () => {
    // Plain Node cannot read app.asar: the archive is extracted to resources/app (the layout of an app packaged
    // without asar), beside a copy of resources/assets.
    const copy = join(work, 'installed', 'resources');
    mkdirSync(copy, { recursive: true });
    asar.extractAll(join(resources, 'app.asar'), join(copy, 'app'));
    cpSync(join(resources, 'assets'), join(copy, 'assets'), { recursive: true });
    const cli = (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => {
      execFile(process.execPath, [join(copy, 'app', 'out', 'main', 'entry.js'), ...args],
        { cwd: work, env: { PATH: process.env.PATH, HOME: join(work, 'home'), VVM_DEMO_DIR: join(work, 'demo-state') }, timeout: 60_000 },
        (err, stdout, stderr) => res({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr }));
    });
    const r = await cli(['--cli', '--demo', 'voicemail', 'list', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(12);
    // The demo voicemails came from resources/assets/demo of the package, not from the project folder.
    rmSync(join(copy, 'assets'), { recursive: true });
    rmSync(join(work, 'demo-state'), { recursive: true, force: true });
    const missing = await cli(['--cli', '--demo', 'voicemail', 'list']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/demo data \(assets\/demo\) is missing/);
  });
});

describe('the icons (made by scripts/make-icons.js from assets/icon.svg)', () => {
  it('the PNG masters are 512 and 1024 pixels square, and the Linux icon set covers 16 to 1024', () => {
    for (const n of [16, 32, 48, 64, 128, 256, 512, 1024]) expect(readPngSize(readFileSync(join(ROOT, 'assets', 'icons', `${n}x${n}.png`)))).toEqual({ width: n, height: n });
    const cfg = parseYaml(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as { linux: { icon: string }; mac: { icon: string }; win: { icon: string } };
    expect(cfg.linux.icon).toBe('assets/icons');
    expect(cfg.mac.icon).toBe('assets/icon.icns');
    expect(cfg.win.icon).toBe('assets/icon.ico');
  });

  it('icon.ico holds 16, 32, 48 and 256 pixel images whose PNG sizes match the directory', () => {
    const images = readIco(readFileSync(join(ROOT, 'assets', 'icon.ico')));
    for (const im of images) expect(readPngSize(im.data)).toEqual({ width: im.width, height: im.height });
    expect(images.map((i) => i.width)).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });

  it('icon.icns holds 512 (ic09) and 1024 (ic10) pixel PNGs, and every PNG element has its type\'s size', () => {
    const elements = readIcns(readFileSync(join(ROOT, 'assets', 'icon.icns')));
    const sizeOf: Record<string, number> = { icp4: 16, icp5: 32, ic11: 32, icp6: 64, ic12: 64, ic07: 128, ic13: 256, ic08: 256, ic14: 512, ic09: 512, ic10: 1024 };
    for (const el of elements) {
      const n = sizeOf[el.type];
      expect(n, el.type).toBeDefined();
      expect(readPngSize(el.data), el.type).toEqual({ width: n, height: n });
    }
    expect(elements.map((e) => e.type)).toEqual(expect.arrayContaining(['ic09', 'ic10']));
  });
});
