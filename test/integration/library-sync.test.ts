// The library sync end to end through the real card stack (pcsclite -> pcscd -> vpcd -> simulated ISIM, the
// `vvm-desk` process, the simulated BSF and strict relay on loopback), and against real disk trouble (small
// tmpfs mounts: full, read-only). Needs pcscd + vsmartcard-vpcd (test/support/pcscd.ts says how to install
// them), root or CAP_SYS_ADMIN for the mounts, and a built CLI (npx tsc -p tsconfig.json).
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../shared/bytes.js';
import { openLibraryStore } from '../../main/adapters/library/sqlite-library.js';
import { FsError } from '../../main/errors.js';
import { syncMailbox } from '../../main/services/library/sync.js';
import { demoProfile, simSubscriber } from '../../main/sim/card/profile.js';
import { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';
import type { VpcdAttachment } from '../../main/sim/card/vpcd-card.js';
import { startBsf, type SimBsf } from '../../main/sim/carrier/bsf.js';
import { nafKeyLookup } from '../../main/sim/carrier/key-store.js';
import { startRelay, type RelayHandle } from '../../main/sim/carrier/relay.js';
import { ROOT, requireBuilt } from '../support/cli-process.js';
import { startPcscd, VPCD_READERS, type PcscdHarness } from '../support/pcscd.js';
import { clock, harness as relayHarness, syntheticAmr } from '../main/services/mstore/harness.js';

const MSISDN = '+12065550100';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('vvm-desk sync through pcscd + vpcd', () => {
  let pcscd: PcscdHarness;
  let attached: VpcdAttachment;
  let bsf: SimBsf;
  let relay: RelayHandle;
  let work: string;

  beforeAll(async () => {
    requireBuilt(['main/cli/commands/sync.ts', 'main/services/library/sync.ts', 'main/adapters/library/sqlite-library.ts']);
    pcscd = await startPcscd();
    const profile = demoProfile();
    attached = await pcscd.attach(new SimulatedUicc(profile, { protocol: 'T0' }), 0);
    bsf = await startBsf({ subscribers: [simSubscriber(profile)] });
    relay = await startRelay({
      scenario: {
        msisdn: MSISDN,
        pageSize: 4,
        voicemails: Array.from({ length: 9 }, (_, i) => ({ from: `1425555${1000 + i}`, date: new Date(Date.UTC(2026, 9, 1) - i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), audioBase64: toBase64(syntheticAmr(40 + i, i)) })),
        greetings: [{ date: '2026-01-01T00:00:00Z', active: true, audioBase64: toBase64(syntheticAmr(80)) }],
      },
      nafKey: nafKeyLookup(bsf.keyStore),
    });
    work = mkdtempSync(join(tmpdir(), 'vvm-lib-int-'));
  }, 120_000);

  afterAll(async () => {
    await attached?.remove();
    await relay?.close();
    await bsf?.close();
    await pcscd?.release();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((res) => {
      execFile(
        process.execPath,
        [join(ROOT, 'bin', 'vvm-desk.js'), '--reader', VPCD_READERS[0], '--server', relay.url, '--bsf', bsf.url, '--data-dir', join(work, 'data'), ...args],
        { cwd: work, env: { ...process.env, VVM_CONFIG_DIR: work }, timeout: 90_000 },
        (err, stdout, stderr) => res({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr }),
      );
    });

  it('first sync stores everything; a second downloads nothing; a new voicemail is one --on-new run; expiry and phone changes arrive', async () => {
    const r1 = await cli(['--json', 'sync']);
    expect(r1.code, r1.stderr).toBe(0);
    expect(JSON.parse(r1.stdout)).toMatchObject({ downloaded: 10, complete: true });
    const r2 = await cli(['--json', 'sync']);
    expect(JSON.parse(r2.stdout)).toMatchObject({ newItems: [], downloaded: 0 });

    const log = join(work, 'hook.log');
    const hook = join(work, 'hook.mjs');
    writeFileSync(hook, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(log)}, process.env.VVM_ID + ' ' + process.argv[2] + '\\n');\n`);
    const fresh = relay.addVoicemail({ from: '12065550177', date: '2026-10-02T08:00:00Z', audioBase64: toBase64(syntheticAmr(33, 3)) });
    const [expired, readElsewhere] = relay.snapshot().voicemails.filter((v) => v.id !== fresh);
    relay.removeObject(expired?.id ?? '');
    relay.setObjectFlag(readElsewhere?.id ?? '', '\\Seen', true);
    const r3 = await cli(['--json', 'sync', '--on-new', `${process.execPath} ${hook}`]);
    expect(r3.code, r3.stderr).toBe(0);
    const j3 = JSON.parse(r3.stdout) as { newItems: { id: string }[]; goneFromServer: string[]; updatedFlags: string[] };
    expect(j3.newItems.map((v) => v.id)).toEqual([fresh]);
    expect(j3.goneFromServer).toEqual([expired?.id]);
    expect(j3.updatedFlags).toEqual([readElsewhere?.id]);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls).toHaveLength(1);
    const [id, audio] = (calls[0] ?? '').split(' ');
    expect(id).toBe(fresh);
    expect(sha(readFileSync(audio ?? ''))).toBe(sha(syntheticAmr(33, 3)));

    // The expired one is still in the archive with its audio; a local "unread" goes back to the server.
    const list = JSON.parse((await cli(['--json', 'archive', 'list', '--all'])).stdout) as { id: string; goneFromServerAt: number | null; sha256: string }[];
    expect(list).toHaveLength(10);
    expect(list.find((v) => v.id === expired?.id)?.goneFromServerAt).not.toBeNull();
    const lines = openLibraryStore(join(work, 'data')).lines();
    expect(lines).toHaveLength(1);
    const lib = openLibraryStore(join(work, 'data')).open(lines[0] ?? { iccid: '', msisdn: '' });
    try {
      expect(lib.readPayload(list.find((v) => v.id === expired?.id)?.sha256 ?? '')).not.toBeNull();
      lib.markRead([readElsewhere?.id ?? ''], false);
    } finally {
      lib.close();
    }
    const r4 = await cli(['--json', 'sync']);
    expect((JSON.parse(r4.stdout) as { pushedFlags: string[] }).pushedFlags).toEqual([readElsewhere?.id]);
    expect(relay.snapshot().voicemails.find((v) => v.id === readElsewhere?.id)?.read).toBe(false);
  }, 300_000);
});

describe('the library and the disk', () => {
  const base = mkdtempSync(join(tmpdir(), 'vvm-lib-disk-'));
  const mounts: string[] = [];
  const KEY = { iccid: '8901260123456789012', msisdn: MSISDN };
  function mountTmpfs(name: string, sizeBytes: number): string {
    const dir = join(base, name);
    mkdirSync(dir);
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0755`, 'tmpfs', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot mount a tmpfs (${r.stderr.trim() || r.error?.message}): run this test as root or in a container with CAP_SYS_ADMIN`);
    mounts.push(dir);
    return dir;
  }
  function remount(dir: string, opts: string): void {
    const r = spawnSync('mount', ['-o', `remount,${opts}`, dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot remount ${dir} (${opts}): ${r.stderr}`);
  }
  afterAll(() => {
    for (const m of mounts.reverse()) spawnSync('umount', [m]);
    rmSync(base, { recursive: true, force: true });
  });

  /** Every file under a payload name is complete (hash = name); no temp files. */
  function payloadFilesIntact(dir: string): number {
    let n = 0;
    for (const sub of readdirSync(join(dir, 'payloads'))) {
      for (const f of readdirSync(join(dir, 'payloads', sub))) {
        expect(f.startsWith('.'), `temp file left: ${f}`).toBe(false);
        expect(sha(readFileSync(join(dir, 'payloads', sub, f)))).toBe(f);
        n++;
      }
    }
    return n;
  }

  it('a full disk: typed fs.failed (ENOSPC), what was stored stays whole, nothing partial; with room again the sync completes', async () => {
    const h = await relayHarness({
      voicemails: Array.from({ length: 16 }, (_, i) => ({ from: `1206555${1000 + i}`, date: new Date(Date.UTC(2026, 9, 1) - i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), audioBase64: toBase64(syntheticAmr(1500, i)) })),
    });
    const dir = mountTmpfs('full', 600 * 1024);
    try {
      const lib = openLibraryStore(dir).open(KEY);
      try {
        const r = await syncMailbox({ mstore: h.client, library: lib, clock }, { concurrency: 2 });
        expect(r.complete).toBe(false);
        const disk = r.failures.filter((f) => f.error.code === 'fs.failed');
        expect(disk.length).toBeGreaterThan(0);
        expect(disk[0]?.error.detail).toMatchObject({ errno: 'ENOSPC' });
        const stored = lib.listVoicemails().filter((v) => v.sha256 !== null);
        expect(stored.length).toBeGreaterThan(0);
        expect(stored.length).toBeLessThan(16);
        for (const v of stored) expect(lib.readPayload(v.sha256 ?? '')).not.toBeNull();
        expect(lib.listVoicemails()).toHaveLength(16); // every row is kept, the missing audio is just not there yet
        payloadFilesIntact(lib.dir);
        remount(dir, 'size=8m');
        const r2 = await syncMailbox({ mstore: h.client, library: lib, clock });
        expect(r2.complete).toBe(true);
        expect(r2.downloaded).toBe(16 - stored.length);
        expect(payloadFilesIntact(lib.dir)).toBe(16);
      } finally {
        lib.close();
      }
    } finally {
      await h.close();
    }
  }, 120_000);

  it('a read-only data folder: typed fs.failed, and the library written before is intact afterwards', async () => {
    const h = await relayHarness({ voicemails: [{ from: '12065551000', date: '2026-10-01T00:00:00Z', audioBase64: toBase64(syntheticAmr(50, 1)) }] });
    const dir = mountTmpfs('readonly', 4 << 20);
    try {
      const lib = openLibraryStore(dir).open(KEY);
      await syncMailbox({ mstore: h.client, library: lib, clock });
      lib.close();
      remount(dir, 'ro');
      const e = (() => {
        try {
          openLibraryStore(dir).open(KEY).close();
          return null;
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(FsError);
      expect((e as FsError).code).toBe('fs.failed');
      remount(dir, 'rw');
      const again = openLibraryStore(dir).open(KEY);
      try {
        const [v] = again.listVoicemails();
        expect(again.readPayload(v?.sha256 ?? '')).not.toBeNull();
      } finally {
        again.close();
      }
    } finally {
      await h.close();
    }
  }, 60_000);
});
