// `vvm-desk sync` and `vvm-desk archive ...` as real processes in demo mode (simulated ISIM, BSF and
// strict relay on loopback; the relay's state lives in VVM_DEMO_DIR, so a test can add a voicemail
// "on the carrier's side" between two runs), with the library in a temporary --data-dir.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDemoState, saveDemoState } from '../../main/adapters/demo/demo-relay-state.js';
import { requireBuilt, runCli, type CliRun } from '../support/cli-process.js';

let demoDir = '';
let dataDir = '';
let work = '';

function cli(args: string[]): Promise<CliRun> {
  return runCli(['--demo', '--data-dir', dataDir, ...args], { VVM_DEMO_DIR: demoDir, VVM_CONFIG_DIR: work }, 60_000, work);
}

beforeAll(() => requireBuilt(['main/cli/commands/sync.ts', 'main/cli/commands/archive.ts', 'main/services/library/sync.ts', 'main/adapters/library/sqlite-library.ts']));
beforeEach(() => {
  demoDir = mkdtempSync(join(tmpdir(), 'vvm-demo-'));
  dataDir = mkdtempSync(join(tmpdir(), 'vvm-data-'));
  work = mkdtempSync(join(tmpdir(), 'vvm-work-'));
});
afterEach(() => {
  for (const d of [demoDir, dataDir, work]) rmSync(d, { recursive: true, force: true });
});

interface ReportJson {
  newItems: { id: string; sha256: string | null }[];
  downloaded: number;
  goneFromServer: string[];
  complete: boolean;
}

/** Adds a voicemail to the demo carrier's saved state (as if someone had just called). */
function arrive(from: string, filename: string): void {
  const state = loadDemoState(demoDir);
  const audio = state.voicemails[0]?.audioBase64 ?? '';
  state.voicemails.push({ from, date: '2026-12-01T09:30:00Z', read: false, keep: false, filename, audioBase64: audio });
  saveDemoState(demoDir, state);
}

describe('vvm-desk sync', () => {
  it('first sync stores everything, second downloads nothing, a new voicemail runs --on-new exactly once', async () => {
    const r1 = await cli(['--json', 'sync']);
    expect(r1.code, r1.stderr).toBe(0);
    const j1 = JSON.parse(r1.stdout) as ReportJson;
    expect(j1.complete).toBe(true);
    expect(j1.newItems.length).toBeGreaterThan(5);
    expect(j1.downloaded).toBe(j1.newItems.length + loadDemoState(demoDir).greetings.length);
    const r2 = await cli(['--json', 'sync']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(JSON.parse(r2.stdout)).toMatchObject({ newItems: [], downloaded: 0 });

    // The hook records its argv and environment; the server's file name tries a shell injection.
    const hook = join(work, 'hook.mjs');
    const log = join(work, 'hook.log');
    writeFileSync(hook, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), id: process.env.VVM_ID, from: process.env.VVM_FROM, file: process.env.VVM_FILENAME, audio: process.env.VVM_AUDIO, sha: process.env.VVM_SHA256, dur: process.env.VVM_DURATION }) + '\\n');\n`);
    // Kept out of the shell's reach: a file name that would run a command if it ever met one.
    arrive('14255550123', 'vm-$(touch pwned)`touch pwned2`;touch pwned3.amr');
    const r3 = await cli(['--json', 'sync', '--on-new', `${process.execPath} ${hook} extra-arg`]);
    expect(r3.code, r3.stderr).toBe(0);
    const j3 = JSON.parse(r3.stdout) as ReportJson;
    expect(j3.newItems).toHaveLength(1);
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; id: string; from: string; file: string; audio: string; sha: string; dur: string });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.id).toBe(j3.newItems[0]?.id);
    expect(call?.from).toBe('+14255550123');
    expect(call?.argv).toEqual(['extra-arg', call?.audio]);
    expect(createHash('sha256').update(readFileSync(call?.audio ?? '')).digest('hex')).toBe(call?.sha);
    for (const f of ['pwned', 'pwned2', 'pwned3.amr']) expect(existsSync(join(work, f))).toBe(false);
    // Nothing new: the hook does not run again.
    const r4 = await cli(['sync', '--on-new', `${process.execPath} ${hook}`]);
    expect(r4.code, r4.stderr).toBe(0);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('a voicemail deleted on the server stays in the archive, listed, searchable and exportable offline', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    const before = JSON.parse((await cli(['--json', 'archive', 'list'])).stdout) as { id: string; from: string; sha256: string }[];
    const victim = before[0];
    const del = await cli(['voicemail', 'delete', victim?.id ?? '']);
    expect(del.code, del.stderr).toBe(0);
    const s = await cli(['--json', 'sync']);
    expect((JSON.parse(s.stdout) as ReportJson).goneFromServer).toEqual([victim?.id]);
    const list = await cli(['--json', 'archive', 'list', '--all']);
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as { id: string; goneFromServerAt: number | null; sha256: string }[];
    expect(rows.find((r) => r.id === victim?.id)?.goneFromServerAt).not.toBeNull();
    const human = await cli(['archive', 'list']);
    expect(human.stdout).toMatch(new RegExp(`^.A. .*${victim?.id ?? 'x'}`, 'm'));
    const found = await cli(['--json', 'archive', 'list', '--search', victim?.from.slice(1) ?? '']);
    expect((JSON.parse(found.stdout) as { id: string }[]).map((r) => r.id)).toContain(victim?.id);
    // Export needs neither card nor relay: no --demo here.
    const out = join(work, 'export');
    const ex = await runCli(['--data-dir', dataDir, 'archive', 'export', victim?.id ?? '', '--out', out, '--format', 'amr', '--manifest', 'json'], { VVM_CONFIG_DIR: work }, 60_000, work);
    expect(ex.code, ex.stderr).toBe(0);
    const files = readdirSync(out);
    expect(files).toContain('manifest.json');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { exported: { id: string; file: string; library: { sha256: string } }[] };
    expect(manifest.exported).toHaveLength(1);
    const entry = manifest.exported[0];
    expect(createHash('sha256').update(readFileSync(join(out, entry?.file ?? ''))).digest('hex')).toBe(entry?.library.sha256);
    expect(entry?.library.sha256).toBe(victim?.sha256);
  });

  it('prune-server deletes only what the library holds, verified', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    arrive('14255550124', 'late.amr'); // arrives after the sync: prune-server syncs it first
    const r = await cli(['--json', 'archive', 'prune-server']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { results: { ok: boolean }[] };
    expect(out.results.every((x) => x.ok)).toBe(true);
    expect(loadDemoState(demoDir).voicemails).toEqual([]);
    const list = await cli(['--json', 'archive', 'list', '--all']);
    const rows = JSON.parse(list.stdout) as { goneFromServerAt: number | null; sha256: string | null }[];
    expect(rows.length).toBe(out.results.length);
    expect(rows.every((x) => x.goneFromServerAt !== null && x.sha256 !== null)).toBe(true);
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['sync', '--watch', '1s'])).code).toBe(2);
    expect((await cli(['sync', '--on-new', ' '])).code).toBe(2);
    expect((await cli(['archive', 'export', '--format', 'amr'])).code).toBe(2);
    expect((await runCli(['--data-dir', dataDir, 'archive', 'list'], { VVM_CONFIG_DIR: work }, 30_000, work)).code).toBe(2); // empty library
  });
});
