// The release workflow cannot run here; what can be checked of it is: valid YAML, the three runners, the
// steps that make installers, and that every `npm run X` (and `bash file`) it calls exists in this project.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface Step { name?: string; uses?: string; run?: string; if?: string; shell?: string; env?: Record<string, string>; with?: Record<string, unknown> }
interface Job { 'runs-on': string; needs?: string | string[]; if?: string; container?: string; strategy?: { matrix?: { os?: string[] } }; steps: Step[] }
interface Workflow { name: string; on: Record<string, unknown>; jobs: Record<string, Job> }

const workflow = parseYaml(readFileSync(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8')) as Workflow;
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const allSteps = Object.values(workflow.jobs).flatMap((j) => j.steps);
const runText = allSteps.map((s) => s.run ?? '').join('\n');

describe('.github/workflows/release.yml', () => {
  it('packages on Windows, macOS and Linux runners, from a tag or by hand', () => {
    const pkg = workflow.jobs.package;
    if (pkg === undefined) throw new Error('no package job');
    expect([...(pkg.strategy?.matrix?.os ?? [])].sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    expect(pkg['runs-on']).toBe('${{ matrix.os }}');
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect((workflow.on.push as { tags: string[] }).tags).toEqual(['v*']);
  });

  it('every `npm run X` it calls is a package.json script, and every `bash file` exists', () => {
    const called = [...runText.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(called.length).toBeGreaterThanOrEqual(5);
    for (const s of called) expect(scripts, `npm run ${s}`).toHaveProperty([s as string]);
    for (const m of runText.matchAll(/\bbash ([\w./-]+\.sh|\.ci\/run)\b/g)) expect(existsSync(join(ROOT, m[1] as string)), m[1]).toBe(true);
  });

  it('tests, rebuilds the native modules for Electron, packages and uploads the installers, in that order', () => {
    const steps = workflow.jobs.package?.steps ?? [];
    const at = (re: RegExp) => steps.findIndex((s) => re.test(s.run ?? s.uses ?? ''));
    const install = at(/^npm ci\b/);
    const tests = at(/npm run (typecheck|test:)/);
    const rebuild = at(/npm run rebuild:electron/);
    const pack = at(/npm run package\b/);
    const upload = at(/^actions\/upload-artifact@/);
    expect([install, tests, rebuild, pack, upload].every((i) => i >= 0)).toBe(true);
    expect(install < tests && tests < rebuild && rebuild < pack && pack < upload).toBe(true);
    expect(scripts['rebuild:electron']).toBe('electron-builder install-app-deps');
    expect(scripts.package).toMatch(/npm run build && npm run build:web && electron-builder/);
    const paths = String(steps[upload]?.with?.path ?? '');
    for (const ext of ['AppImage', 'deb', 'dmg', 'exe']) expect(paths).toContain(`release/*.${ext}`);
    // The whole suite ran first, on Debian, through the same script CI uses.
    expect(workflow.jobs.package?.needs).toBe('test-linux');
    expect(workflow.jobs['test-linux']?.steps.some((s) => s.run === 'bash .ci/run')).toBe(true);
  });

  it('signing secrets reach electron-builder only through env, and empty ones are dropped', () => {
    for (const s of allSteps) expect(s.run ?? '', s.name).not.toMatch(/secrets\./);
    const pack = workflow.jobs.package?.steps.find((s) => /npm run package/.test(s.run ?? ''));
    expect(Object.keys(pack?.env ?? {}).sort()).toEqual(['APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_ID', 'APPLE_TEAM_ID', 'CSC_KEY_PASSWORD', 'CSC_LINK']);
    expect(pack?.shell).toBe('bash');
    expect(pack?.run).toMatch(/unset "\$v"/);
    expect(pack?.run).toMatch(/CSC_IDENTITY_AUTO_DISCOVERY=false/);
    // Publishing happens only for version tags.
    expect(workflow.jobs.publish?.if).toBe("startsWith(github.ref, 'refs/tags/v')");
  });
});
