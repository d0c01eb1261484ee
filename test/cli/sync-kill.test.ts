// Crash safety of the library: `vvm-desk sync` (demo mode) killed with SIGKILL at random moments, many
// times. After each kill, BEFORE any recovery runs, the folder must already be consistent: every row's
// payload file exists complete under its hash (no row without its file, no partial file under a payload
// name, ids unique); leftovers may only be temp files or complete unreferenced files, which the next open
// sweeps. The next sync then completes with every voicemail stored exactly once.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibraryStore } from '../../main/adapters/library/sqlite-library.js';
import { ROOT, requireBuilt, runCli } from '../support/cli-process.js';

const RUNS = 6;
let demoDir = '';
let work = '';

beforeAll(() => {
  requireBuilt(['main/cli/commands/sync.ts', 'main/services/library/sync.ts', 'main/adapters/library/sqlite-library.ts', 'main/adapters/library/payload-files.ts']);
  demoDir = mkdtempSync(join(tmpdir(), 'vvm-demo-'));
  work = mkdtempSync(join(tmpdir(), 'vvm-work-'));
});
afterAll(() => {
  rmSync(demoDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const env = () => ({ ...process.env, VVM_DEMO_DIR: demoDir, VVM_CONFIG_DIR: work });

/**
 * Starts a sync and SIGKILLs it: after `ms`, or (with `afterStored`) a few ms after it reported that many
 * payloads stored, which lands the kill in the middle of the downloads whatever the machine's speed.
 */
function killedSync(dataDir: string, ms: number, afterStored?: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'vvm-desk.js'), '--demo', '--verbose', '--data-dir', dataDir, 'sync'], { env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
    const kill = () => child.kill('SIGKILL');
    const t = setTimeout(kill, ms);
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      const m = [...err.matchAll(/downloaded (\d+)\//g)].pop();
      if (afterStored !== undefined && m && Number(m[1]) >= afterStored) setTimeout(kill, Math.floor(Math.random() * 25));
    });
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

function libraryDir(dataDir: string): string | null {
  try {
    const lines = readdirSync(join(dataDir, 'library'));
    return lines[0] === undefined ? null : join(dataDir, 'library', lines[0]);
  } catch {
    return null;
  }
}

/** Checks the invariants on disk without opening the library through the adapter (no recovery). Returns the stored count. */
function checkRaw(dir: string): number {
  const dbFile = join(dir, 'library.sqlite3');
  try {
    statSync(dbFile);
  } catch {
    return 0; // killed before the database existed
  }
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const payloads = db.prepare('SELECT sha256, size FROM payloads').all() as { sha256: string; size: number }[];
    for (const p of payloads) {
      const bytes = readFileSync(join(dir, 'payloads', p.sha256.slice(0, 2), p.sha256));
      expect(bytes.length).toBe(p.size);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(p.sha256);
    }
    const known = new Set(payloads.map((p) => p.sha256));
    const refs = db.prepare('SELECT id, sha256 FROM voicemails WHERE sha256 IS NOT NULL UNION ALL SELECT id, sha256 FROM greetings WHERE sha256 IS NOT NULL').all() as { id: string; sha256: string }[];
    for (const r of refs) expect(known.has(r.sha256), `row ${r.id} references a payload that is not stored`).toBe(true);
    const dup = db.prepare('SELECT id, count(*) AS n FROM voicemails GROUP BY id HAVING n > 1').all();
    expect(dup).toEqual([]);
    // Any file under a payload name is complete (its name is its hash), referenced or not.
    for (const sub of readdirSync(join(dir, 'payloads'))) {
      for (const n of readdirSync(join(dir, 'payloads', sub))) {
        if (n.startsWith('.')) continue; // a temp file: never read, swept on open
        expect(createHash('sha256').update(readFileSync(join(dir, 'payloads', sub, n))).digest('hex')).toBe(n);
      }
    }
    return refs.length;
  } finally {
    db.close();
  }
}

describe('sync killed at random points', () => {
  it(`leaves a consistent library every time (${RUNS} runs, SIGKILL)`, async () => {
    // How long a whole sync takes here sets the range the kills are spread over.
    const probeDir = mkdtempSync(join(tmpdir(), 'vvm-data-'));
    const t0 = performance.now();
    const full = await runCli(['--demo', '--data-dir', probeDir, '--json', 'sync'], { VVM_DEMO_DIR: demoDir, VVM_CONFIG_DIR: work }, 60_000, work);
    const fullMs = performance.now() - t0;
    expect(full.code, full.stderr).toBe(0);
    const total = (JSON.parse(full.stdout) as { downloaded: number }).downloaded;
    rmSync(probeDir, { recursive: true, force: true });
    let interrupted = 0;
    for (let i = 0; i < RUNS; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'vvm-data-'));
      try {
        // Two kills per folder: one into a fresh sync, one into the resumed one.
        // First a kill in the middle of the downloads, then one at a random moment of the resumed sync.
        for (let k = 0; k < 2; k++) {
          await killedSync(dataDir, k === 0 ? 60_000 : Math.round(fullMs * Math.random()), k === 0 ? 1 + Math.floor(Math.random() * (total - 2)) : undefined);
          const dir = libraryDir(dataDir);
          const stored = dir === null ? 0 : checkRaw(dir);
          if (stored > 0 && stored < total) interrupted++;
        }
        const r = await runCli(['--demo', '--data-dir', dataDir, '--json', 'sync'], { VVM_DEMO_DIR: demoDir, VVM_CONFIG_DIR: work }, 60_000, work);
        expect(r.code, r.stderr).toBe(0);
        const dir = libraryDir(dataDir) ?? '';
        expect(checkRaw(dir)).toBe(total);
        const lib = openLibraryStore(dataDir).open(openLibraryStore(dataDir).lines()[0] ?? { iccid: '', msisdn: '' });
        try {
          expect(lib.verify(true)).toEqual({ removedTemp: 0, removedOrphans: 0, droppedPayloads: [] });
          expect(lib.missingPayloads()).toEqual([]);
        } finally {
          lib.close();
        }
        const files = readdirSync(join(dir, 'payloads'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
        expect(new Set(files.map((f) => f.name)).size).toBe(files.length);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    // The first kill of each run is placed mid-download: at least those left a partly stored library.
    expect(interrupted).toBeGreaterThanOrEqual(RUNS);
  }, 600_000);
});
