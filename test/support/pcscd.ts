// Integration harness for the real PC/SC stack: pcscd with the vsmartcard virtual reader (vpcd), and the
// simulated card attached to it. One pcscd per machine: a running one is reused; otherwise we start
// `pcscd -f -a` and stop it when done. Several test runs (several engineers) share vpcd, so a test file
// holds a cross-process lock (an mkdir lock under /tmp, stale when its owner process is gone) for the
// whole time it has a virtual card attached.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { PcscReaderPort } from '../../main/adapters/pcsc/pcsc-reader.js';
import { attachToVpcd, VPCD_PORTS, type VpcdAttachment, type VpcdOptions } from '../../main/sim/card/vpcd-card.js';
import type { SimulatedUicc } from '../../main/sim/card/simulated-uicc.js';

const INSTALL = 'Install the PC/SC stack with: sudo bash scripts/install-system-deps.sh (pcscd, libpcsclite-dev, vsmartcard-vpcd)';
const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const VPCD_CONF = '/etc/reader.conf.d/vpcd';
const LOCK_DIR = '/tmp/vvm-desk-vpcd.lock';
/** A lock older than this is considered stale even if its pid is alive (pid reuse). */
const LOCK_MAX_AGE_MS = 15 * 60_000;

/** Reader names vpcd creates for its two slots. */
export const VPCD_READERS = ['Virtual PCD 00 00', 'Virtual PCD 00 01'] as const;

function findPcscd(): string | null {
  for (const p of ['/usr/sbin/pcscd', '/usr/local/sbin/pcscd', '/sbin/pcscd']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v pcscd'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** Throws with install instructions when pcscd or the vpcd driver is missing. */
export function requirePcscStack(): string {
  const pcscd = findPcscd();
  if (!pcscd) throw new Error(`pcscd is not installed. ${INSTALL}`);
  if (!existsSync(VPCD_DRIVER) || !existsSync(VPCD_CONF)) throw new Error(`the vpcd virtual reader (vsmartcard-vpcd) is not installed. ${INSTALL}`);
  return pcscd;
}

function socketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (!existsSync(path)) return resolve(false);
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the machine-wide vpcd lock (or the lock `dir`); waits up to `timeoutMs`, breaking stale locks. */
export async function acquireVpcdLock(timeoutMs = 180_000, dir = LOCK_DIR): Promise<() => void> {
  const LOCK = dir;
  const start = Date.now();
  // pid, time, and a nonce so two takes by one process in the same millisecond still differ.
  const owner = `${process.pid} ${Date.now()} ${randomUUID()}`;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(`${LOCK}/owner`, owner);
      return () => {
        try {
          if (readFileSync(`${LOCK}/owner`, 'utf8') === owner) rmSync(LOCK, { recursive: true, force: true });
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    // Stale? Owner process gone, or the lock is very old, or the owner file never got written.
    let stale = false;
    let seen = '';
    try {
      seen = readFileSync(`${LOCK}/owner`, 'utf8');
      const [pidText, tsText] = seen.split(' ');
      const pid = Number(pidText);
      stale = !pidAlive(pid) || Date.now() - Number(tsText) > LOCK_MAX_AGE_MS;
    } catch {
      try {
        stale = Date.now() - statSync(LOCK).mtimeMs > 10_000;
      } catch {
        stale = false; // vanished: retry at once
      }
    }
    if (stale) {
      // Break it by renaming (atomic: only one waiter wins), and only if it is still the lock we judged.
      const grave = `${LOCK}.stale-${process.pid}-${Date.now()}`;
      try {
        const now = seen === '' ? '' : readFileSync(`${LOCK}/owner`, 'utf8');
        if (now === seen) renameSync(LOCK, grave);
      } catch {
        // someone else broke or re-took it first
      }
      rmSync(grave, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for the vpcd lock ${LOCK} (another test run holds it)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A running pcscd with vpcd, held for one test file. */
export interface PcscdHarness {
  /** True when this harness started pcscd (and will stop it). */
  readonly startedByUs: boolean;
  /** Attaches a simulated card to a vpcd slot and waits until pcscd reports it present. */
  attach(card: SimulatedUicc, slot?: 0 | 1, opts?: Pick<VpcdOptions, 'delayMs'>): Promise<VpcdAttachment>;
  /** Waits until pcscd reports the slot empty (after a removal). */
  waitAbsent(slot?: 0 | 1): Promise<void>;
  /** Removes attached cards, stops pcscd if we started it, releases the lock. */
  release(): Promise<void>;
}

async function waitFor(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function slotPresent(slot: 0 | 1): Promise<boolean> {
  const port = new PcscReaderPort({ settleMs: 1000 });
  try {
    const readers = await port.listReaders();
    return readers.some((r) => r.name === VPCD_READERS[slot] && r.cardPresent);
  } catch {
    return false;
  } finally {
    await port.close();
  }
}

/** Ensures pcscd (with vpcd) runs and takes the vpcd lock. Throws with install help when it cannot. */
export async function startPcscd(): Promise<PcscdHarness> {
  const pcscd = requirePcscStack();
  const release = await acquireVpcdLock();
  let child: ChildProcess | null = null;
  const attached: VpcdAttachment[] = [];
  try {
    if (!(await socketAlive(PCSCD_SOCKET))) {
      child = spawn(pcscd, ['-f', '-a'], { stdio: 'ignore', detached: false });
      const c = child;
      let exited = false;
      c.once('exit', () => (exited = true));
      await waitFor(async () => exited || (await socketAlive(PCSCD_SOCKET)), 10_000, 'pcscd to start');
      if (exited) throw new Error(`pcscd exited at start (is another pcscd running, or is /run/pcscd not writable?). ${INSTALL}`);
    }
  } catch (e) {
    release();
    throw e;
  }
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const c = child;
    const done = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
  };
  return {
    startedByUs: child !== null,
    async attach(card, slot = 0, opts = {}) {
      // A card removed just before may still be reported present: wait until pcscd saw it go.
      await waitFor(async () => !(await slotPresent(slot)), 10_000, `${VPCD_READERS[slot]} to be empty before attaching`);
      let att: VpcdAttachment | null = null;
      // vpcd listens once pcscd loaded the driver; retry the connection for a few seconds.
      const start = Date.now();
      for (;;) {
        try {
          att = await attachToVpcd(card, { ...opts, port: VPCD_PORTS[slot] });
          break;
        } catch (e) {
          if (Date.now() - start > 8000) throw new Error(`cannot connect the virtual card to vpcd on port ${VPCD_PORTS[slot]}: ${(e as Error).message}. ${INSTALL}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      attached.push(att);
      await waitFor(() => slotPresent(slot), 10_000, `the virtual card in ${VPCD_READERS[slot]}`);
      return att;
    },
    async waitAbsent(slot = 0) {
      await waitFor(async () => !(await slotPresent(slot)), 10_000, `${VPCD_READERS[slot]} to be empty`);
    },
    async release() {
      try {
        for (const a of attached) await a.remove();
        await stop();
      } finally {
        release();
      }
    },
  };
}
