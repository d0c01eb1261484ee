// A private Secret Service for keychain tests: a D-Bus session bus plus gnome-keyring-daemon (secrets
// component, unlocked with a throwaway password on stdin), with HOME and XDG_* in a temporary folder so
// the developer's own keyring is never touched. `npm test` needs no dbus-run-session around it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running private keyring; `env` holds the variables keytar/libsecret need. */
export interface PrivateKeyring {
  env: Record<string, string>;
  /** Applies `env` to this process (libsecret reads it when keytar first connects). */
  apply(): void;
  stop(): Promise<void>;
}

const INSTALL_HINT = 'install the Secret Service pieces: apt-get install -y dbus gnome-keyring libsecret-1-0';

function need(bin: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`]);
  if (r.status !== 0) throw new Error(`${bin} not found: ${INSTALL_HINT}`);
}

function waitExit(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
    setTimeout(() => p.kill('SIGKILL'), 2_000).unref();
  });
}

/** Starts dbus-daemon and gnome-keyring-daemon; fails with an install hint when either is missing. */
export async function startPrivateKeyring(): Promise<PrivateKeyring> {
  need('dbus-daemon');
  need('gnome-keyring-daemon');
  need('dbus-send');
  const root = mkdtempSync(join(tmpdir(), 'vvm-keyring-'));
  const home = join(root, 'home');
  const data = join(root, 'data');
  const run = join(root, 'run');
  for (const d of [home, data, run]) mkdirSync(d, { recursive: true });
  chmodSync(run, 0o700);

  const dbus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('dbus-daemon printed no address within 5 s')), 5_000);
    dbus.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    dbus.once('error', (e) => reject(new Error(`dbus-daemon failed to start (${e.message}): ${INSTALL_HINT}`)));
  });

  const env: Record<string, string> = { DBUS_SESSION_BUS_ADDRESS: address, HOME: home, XDG_DATA_HOME: data, XDG_RUNTIME_DIR: run, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') };
  const childEnv = { ...process.env, ...env };
  // --foreground keeps it our child (so stop() can end it); the unlock password comes on stdin.
  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env: childEnv, stdio: ['pipe', 'ignore', 'pipe'] });
  keyring.stdin.end('vvm-test-keyring');

  // Ready when org.freedesktop.secrets has an owner on our bus.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = spawnSync('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'], { env: childEnv, encoding: 'utf8' });
    if (r.stdout.includes('boolean true')) break;
    if (keyring.exitCode !== null || Date.now() > deadline) {
      await Promise.all([waitExit(keyring), waitExit(dbus)]);
      rmSync(root, { recursive: true, force: true });
      throw new Error(`gnome-keyring-daemon did not provide org.freedesktop.secrets: ${INSTALL_HINT}`);
    }
    await new Promise((r2) => setTimeout(r2, 100));
  }

  const saved: Record<string, string | undefined> = {};
  return {
    env,
    apply() {
      for (const [k, v] of Object.entries(env)) {
        saved[k] = process.env[k];
        process.env[k] = v;
      }
    },
    async stop() {
      await Promise.all([waitExit(keyring), waitExit(dbus)]);
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
