// `vvm-desk gba bootstrap` in demo mode (in-process simulated card + simulated BSF on loopback), run
// through runCli with a captured terminal.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../main/cli/main.js';
import type { CliIo } from '../../main/cli/framework.js';

const dir = mkdtempSync(join(tmpdir(), 'vvm-gba-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), promptSecret: async () => null, env: { VVM_DEMO_DIR: join(dir, 'demo') }, cwd: dir };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('vvm-desk gba bootstrap', () => {
  it('--json prints mode, B-TID, lifetime, BSF and timings, and no key material', async () => {
    const r = await run(['--demo', '--json', 'gba', 'bootstrap']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j: unknown = JSON.parse(r.out);
    expect(j).toMatchObject({ mode: 'GBA_ME', resynced: false, timings: { requests: 2 } });
    expect(Object.keys(j as object).sort()).toEqual(['bsf', 'btid', 'lifetime', 'mode', 'resynced', 'timings']);
    expect((j as { btid: string }).btid).toMatch(/^[A-Za-z0-9+/]+=*@/);
    expect((j as { bsf: string }).bsf).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('human output, and -v shows progress and B-TID but no secrets', async () => {
    const r = await run(['--demo', '-v', 'gba', 'bootstrap']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^mode: +GBA_ME$/m);
    expect(r.out).toMatch(/^B-TID: +\S+@\S+$/m);
    expect(r.err).toContain('[progress] gba.card');
    expect(r.err).not.toMatch(/Authorization|response=|nonce=/);
  });

  it('--reuse-bootstrap keeps one GBA key for both requests of a download; by default each request bootstraps', async () => {
    const list = await run(['--demo', '--json', 'voicemail', 'list']);
    expect(list.code).toBe(0);
    const items: unknown = JSON.parse(list.out);
    const id = Array.isArray(items) && typeof items[0] === 'object' && items[0] !== null && 'id' in items[0] ? String(items[0].id) : '';
    expect(id).not.toBe('');
    const bootstraps = (err: string) => (err.match(/\] gba bootstrap done /g) ?? []).length;
    const naf = (err: string) => (err.match(/\] naf request /g) ?? []).length;
    const fresh = await run(['--demo', '-v', 'voicemail', 'download', id, join(dir, 'fresh.amr')]);
    expect(fresh.code).toBe(0);
    expect([naf(fresh.err), bootstraps(fresh.err)]).toEqual([2, 2]);
    const reused = await run(['--demo', '-v', '--reuse-bootstrap', 'voicemail', 'download', id, join(dir, 'reused.amr')]);
    expect(reused.code).toBe(0);
    expect([naf(reused.err), bootstraps(reused.err)]).toEqual([2, 1]);
  });

  it('--ca must name a readable PEM file', async () => {
    expect((await run(['--demo', '--ca', join(dir, 'missing.pem'), 'gba', 'bootstrap'])).code).toBe(2);
    writeFileSync(join(dir, 'not.pem'), 'hello');
    const r = await run(['--demo', '--ca', join(dir, 'not.pem'), 'gba', 'bootstrap']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no PEM certificate');
  });
});
