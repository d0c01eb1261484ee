// The real `vvm-desk` process (node bin/vvm-desk.js, compiled to out/ by `npx tsc -p tsconfig.json`) in
// demo mode: in-process simulated ISIM, simulated BSF and the strict relay on loopback, state persisted
// in a temporary VVM_DEMO_DIR. Checks JSON output, files written and exit codes.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedScenario } from '../../main/adapters/demo/demo-relay-state.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'vvm-desk.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let demoDir = '';
let work = '';

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((res) => {
    execFile(process.execPath, [BIN, '--demo', ...args], { cwd: work, env: { ...process.env, VVM_DEMO_DIR: demoDir, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      res({ code, stdout, stderr });
    });
  });
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli', 'main.js'))) throw new Error('The CLI is not built: run `npx tsc -p tsconfig.json` (or npm run build) before these tests.');
});
beforeEach(() => {
  demoDir = mkdtempSync(join(tmpdir(), 'vvm-demo-'));
  work = mkdtempSync(join(tmpdir(), 'vvm-work-'));
});
afterEach(() => {
  rmSync(demoDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

interface VmJson {
  id: string;
  from: string;
  date: string;
  expires: string | null;
  duration: number;
  read: boolean;
  size: number;
  filename: string;
}

async function listVoicemails(): Promise<VmJson[]> {
  const r = await cli(['--json', 'voicemail', 'list']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as VmJson[];
}

describe('vvm-desk --demo voicemail', () => {
  it('lists the demo voicemails as JSON with the documented fields', async () => {
    const list = await listVoicemails();
    expect(list).toHaveLength(12);
    for (const v of list) {
      expect(Object.keys(v)).toEqual(expect.arrayContaining(['id', 'from', 'date', 'expires', 'duration', 'read', 'size', 'filename']));
      expect(v.id).toMatch(/^[0-9a-f]{32}$/);
      expect(v.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(v.duration).toBeGreaterThan(0);
      expect(typeof v.from).toBe('string');
      expect(v.expires === null || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(v.expires)).toBe(true);
      expect(Number.isInteger(v.duration)).toBe(true);
      expect(typeof v.read).toBe('boolean');
      expect(Number.isInteger(v.size) && v.size > 0).toBe(true);
      expect(v.filename).toMatch(/\.amr$/);
    }
    expect(list.filter((v) => !v.read)).toHaveLength(3);
    const show = await cli(['--json', 'voicemail', 'show']);
    expect(JSON.parse(show.stdout)).toMatchObject({ VMOccupiedMessages: 12, VMMessagesQuota: 45 });
  });

  it('deletes persistently; a bulk with a missing id exits 1 naming it', async () => {
    const [first, second] = await listVoicemails();
    const del = await cli(['voicemail', 'delete', first?.id ?? '']);
    expect(del.code, del.stderr).toBe(0);
    const after = await listVoicemails();
    expect(after).toHaveLength(11);
    expect(after.some((v) => v.id === first?.id)).toBe(false);
    const missing = 'f'.repeat(32);
    const partial = await cli(['--json', 'voicemail', 'delete', second?.id ?? '', missing]);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain(missing);
    const out = JSON.parse(partial.stdout) as { results: { id: string; ok: boolean }[] };
    expect(out.results).toEqual([expect.objectContaining({ id: second?.id, ok: true }), expect.objectContaining({ id: missing, ok: false })]);
    expect(await listVoicemails()).toHaveLength(10);
  });

  it('marks read and unread', async () => {
    const unread = (await listVoicemails()).filter((v) => !v.read).map((v) => v.id);
    expect((await cli(['voicemail', 'mark-read', ...unread])).code).toBe(0);
    expect((await listVoicemails()).every((v) => v.read)).toBe(true);
    expect((await cli(['voicemail', 'mark-unread', unread[0] ?? ''])).code).toBe(0);
    expect((await listVoicemails()).filter((v) => !v.read).map((v) => v.id)).toEqual([unread[0]]);
  });

  it('downloads the decoded AMR, never overwriting', async () => {
    const [v] = await listVoicemails();
    const r1 = await cli(['--json', 'voicemail', 'download', v?.id ?? '']);
    expect(r1.code, r1.stderr).toBe(0);
    const r2 = await cli(['--json', 'voicemail', 'download', v?.id ?? '']);
    const f1 = (JSON.parse(r1.stdout) as { file: string }).file;
    const f2 = (JSON.parse(r2.stdout) as { file: string }).file;
    expect(f1).toBe(join(work, v?.filename ?? ''));
    expect(f2).toBe(join(work, (v?.filename ?? '').replace(/\.amr$/, ' (1).amr')));
    const seed = seedScenario().voicemails.find((x) => x.date === v?.date);
    expect(readFileSync(f1).toString('base64')).toBe(seed?.audioBase64);
    expect(readFileSync(f2).equals(readFileSync(f1))).toBe(true);
    const r3 = await cli(['voicemail', 'download', v?.id ?? '', 'named.amr']);
    expect(r3.code).toBe(0);
    expect(readFileSync(join(work, 'named.amr')).equals(readFileSync(f1))).toBe(true);
    // An explicit FILE that exists is not overwritten either.
    writeFileSync(join(work, 'mine.amr'), 'keep me');
    const r4 = await cli(['--json', 'voicemail', 'download', v?.id ?? '', 'mine.amr']);
    expect(r4.code, r4.stderr).toBe(0);
    expect((JSON.parse(r4.stdout) as { file: string; bytes: number }).file).toBe(join(work, 'mine (1).amr'));
    expect(readFileSync(join(work, 'mine.amr'), 'utf8')).toBe('keep me');
    expect(readFileSync(join(work, 'mine (1).amr')).equals(readFileSync(f1))).toBe(true);
  });

  it('a hostile server file name cannot leave the target folder', async () => {
    const sc = seedScenario();
    const hostile = ['../../../escape.amr', '..\\..\\win.amr', 'CON', '/etc/passwd'];
    sc.voicemails = sc.voicemails.slice(0, hostile.length).map((v, i) => ({ ...v, filename: hostile[i] ?? 'x' }));
    writeFileSync(join(demoDir, 'relay-state.json'), JSON.stringify(sc));
    const sub = join(work, 'inbox');
    for (const v of await listVoicemails()) {
      const r = await cli(['voicemail', 'download', v.id, `${sub}/`]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readdirSync(sub).sort()).toEqual(['_CON', 'escape.amr', 'passwd', 'win.amr']);
    expect(readdirSync(work)).toEqual(['inbox']);
  });

  it('refuses ids that could escape the object space (usage error, exit 2)', async () => {
    const r = await cli(['voicemail', 'delete', '../vvmserviceProfile']);
    expect(r.code).toBe(2);
    expect((await cli(['voicemail', 'download'])).code).toBe(2);
  });
});

describe('vvm-desk --demo greeting, profile, doctor', () => {
  it('uploads with --activate: exactly one active greeting afterwards', async () => {
    const amr = join(work, 'hello.amr');
    writeFileSync(amr, readFileSync(join(ROOT, 'assets', 'demo', 'vm03.amr')));
    const up = await cli(['--json', 'greeting', 'upload', amr, '--activate', '--subject', 'hello']);
    expect(up.code, up.stderr).toBe(0);
    const g = JSON.parse(up.stdout) as { id: string; active: boolean; duration: number };
    expect(g.active).toBe(true);
    const list = JSON.parse((await cli(['--json', 'greeting', 'list'])).stdout) as { id: string; active: boolean; date: string; duration: number; type: string }[];
    expect(list).toHaveLength(3);
    for (const x of list) {
      expect(x.id).toMatch(/^[0-9a-f]{32}$/);
      expect(x.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Number.isInteger(x.duration) && x.duration > 0).toBe(true);
      expect(typeof x.active).toBe('boolean');
      expect(['normal-greeting', 'voice-signature']).toContain(x.type);
    }
    const gshow = JSON.parse((await cli(['--json', 'greeting', 'show'])).stdout) as Record<string, number | null>;
    expect(gshow).toMatchObject({ GreetingsOccupied: 3, GreetingsQuota: 9, TotalStorage: 167770 });
    expect(list.filter((x) => x.active).map((x) => x.id)).toEqual([g.id]);
    const other = list.find((x) => x.id !== g.id);
    expect((await cli(['greeting', 'mark-active', other?.id ?? ''])).code).toBe(0);
    const after = JSON.parse((await cli(['--json', 'greeting', 'list'])).stdout) as { id: string; active: boolean }[];
    expect(after.filter((x) => x.active).map((x) => x.id)).toEqual([other?.id]);
    expect((await cli(['greeting', 'mark-inactive', other?.id ?? ''])).code).toBe(0);
    expect((JSON.parse((await cli(['--json', 'greeting', 'list'])).stdout) as { active: boolean }[]).some((x) => x.active)).toBe(false);
  });

  it('refuses a non-AMR upload with a typed audio error', async () => {
    const bad = join(work, 'bad.amr');
    writeFileSync(bad, 'RIFF\0\0\0\0WAVEfmt ');
    const r = await cli(['greeting', 'upload', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\[audio\.invalid\]/);
  });

  it('profile show, deactivate/activate, and a refused PIN change', async () => {
    const show = JSON.parse((await cli(['--json', 'profile', 'show'])).stdout) as { vvmOn: boolean; attributes: Record<string, string[]> };
    expect(show.vvmOn).toBe(true);
    expect(show.attributes.cosname).toEqual(['1234']);
    expect((await cli(['profile', 'deactivate'])).code).toBe(0);
    expect((JSON.parse((await cli(['--json', 'profile', 'show'])).stdout) as { vvmOn: boolean }).vvmOn).toBe(false);
    const pins = (o: string, n: string) => ({ VVM_VOICEMAIL_PIN_OLD: o, VVM_VOICEMAIL_PIN_NEW: n });
    const pin = await cli(['profile', 'change-pin'], pins('4826', '5173'));
    expect(pin.code).toBe(1);
    expect(pin.stderr).toContain('[mstore.pinRejected]');
    expect(pin.stderr).toContain('VVM Not Active');
    expect((await cli(['profile', 'activate'])).code).toBe(0);
    const rep = await cli(['profile', 'change-pin'], pins('4826', '2222'));
    expect(rep.stderr).toContain('PIN has Repeated Digits');
    const ok = await cli(['profile', 'change-pin'], pins('4826', '5173'));
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('doctor passes every step in demo mode', async () => {
    const r = await cli(['--json', 'doctor']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; steps: { step: string; ok: boolean }[] };
    expect(out.steps.map((s) => s.step)).toEqual(['pcscd', 'reader', 'card', 'PIN', 'ISIM', 'IMPI/MSISDN', 'BSF reachability', 'bootstrap', 'relay challenge', 'NAF realm', 'authenticated profile read']);
    expect(out.steps.every((s) => s.ok)).toBe(true);
  });
});
