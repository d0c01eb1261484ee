// Where VVM Desk keeps things on disk, in one place: the per-user config, data and cache folders (one
// spelling, "VVM Desk", on every OS), and the files shipped next to the app (demo data, extraResources).
//
//                config (settings.json,       data (demo state, the       cache (decoded audio;
//                Electron's userData)         voicemail library)          safe to delete)
//   Linux        $XDG_CONFIG_HOME|~/.config   $XDG_DATA_HOME|~/.local/share  $XDG_CACHE_HOME|~/.cache
//   macOS        ~/Library/Application Support (all three but the cache)   ~/Library/Caches
//   Windows      %APPDATA% (roaming)          %LOCALAPPDATA%              %LOCALAPPDATA%\VVM Desk\Cache
//
// Overrides (tests, portable installs): VVM_CONFIG_DIR, VVM_DATA_DIR, VVM_CACHE_DIR; VVM_DEMO_DIR for the
// demo state alone. Computed from `env` (no Electron), so the CLI and the window agree.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The product name (electron-builder.yml's productName): the folder name under each per-user base. */
export const APP_DIR_NAME = 'VVM Desk';

export type PathEnv = Readonly<Record<string, string | undefined>>;

const nonEmpty = (v: string | undefined): string | undefined => (v !== undefined && v !== '' ? v : undefined);
/** XDG base directories must be absolute; a relative value is ignored (XDG Base Directory spec). */
const xdg = (v: string | undefined): string | undefined => (v !== undefined && isAbsolute(v) ? v : undefined);
const home = (env: PathEnv): string | undefined => nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE);

function override(env: PathEnv, name: string): string | undefined {
  const v = nonEmpty(env[name]);
  return v === undefined ? undefined : resolve(v);
}

function under(base: string | undefined, ...rest: string[]): string | null {
  return base === undefined ? null : join(base, ...rest);
}

/**
 * The settings folder (settings.json; Electron's userData is set to it): VVM_CONFIG_DIR, else the OS's
 * per-user config folder + "VVM Desk". null when `env` names no home folder.
 */
export function configDir(env: PathEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const o = override(env, 'VVM_CONFIG_DIR');
  if (o !== undefined) return o;
  const h = home(env);
  if (platform === 'win32') return under(nonEmpty(env.APPDATA) ?? (h !== undefined ? join(h, 'AppData', 'Roaming') : undefined), APP_DIR_NAME);
  if (platform === 'darwin') return under(h, 'Library', 'Application Support', APP_DIR_NAME);
  return under(xdg(env.XDG_CONFIG_HOME) ?? (h !== undefined ? join(h, '.config') : undefined), APP_DIR_NAME);
}

/** Data kept across runs (demo state, the voicemail library): VVM_DATA_DIR, else the OS's per-user data folder. */
export function dataDir(env: PathEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const o = override(env, 'VVM_DATA_DIR');
  if (o !== undefined) return o;
  const h = home(env);
  if (platform === 'win32') return under(nonEmpty(env.LOCALAPPDATA) ?? (h !== undefined ? join(h, 'AppData', 'Local') : undefined), APP_DIR_NAME);
  if (platform === 'darwin') return under(h, 'Library', 'Application Support', APP_DIR_NAME);
  return under(xdg(env.XDG_DATA_HOME) ?? (h !== undefined ? join(h, '.local', 'share') : undefined), APP_DIR_NAME);
}

/** Files that can be made again (decoded audio): VVM_CACHE_DIR, else the OS's per-user cache folder. */
export function cacheDir(env: PathEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const o = override(env, 'VVM_CACHE_DIR');
  if (o !== undefined) return o;
  const h = home(env);
  if (platform === 'win32') return under(nonEmpty(env.LOCALAPPDATA) ?? (h !== undefined ? join(h, 'AppData', 'Local') : undefined), APP_DIR_NAME, 'Cache');
  if (platform === 'darwin') return under(h, 'Library', 'Caches', APP_DIR_NAME);
  return under(xdg(env.XDG_CACHE_HOME) ?? (h !== undefined ? join(h, '.cache') : undefined), APP_DIR_NAME);
}

/** Demo mode's relay state: VVM_DEMO_DIR, else {@link dataDir}/demo (the OS's home folder when `env` has none). */
export function demoDir(env: PathEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const o = override(env, 'VVM_DEMO_DIR');
  if (o !== undefined) return o;
  const data = dataDir(env, platform) ?? dataDir({ ...env, HOME: homedir() }, platform);
  return join(data ?? homedir(), 'demo');
}

const MODULE_DIR = dirname(fileURLToPath(import.meta.url));

/** The folder holding package.json above `from` (the project, or `app`/`app.asar` once packaged). */
function packageRoot(from: string): string {
  let dir = from;
  for (let i = 0; i < 10; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'vvm-desk') return dir;
      } catch {
        // not ours: keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`vvm-desk: no package.json above ${from}`);
}

/**
 * The folder that holds the app's extraResources (electron-builder.yml): `process.resourcesPath` when this
 * code runs from a packaged app (resources/app.asar/... or resources/app/...), else the project folder,
 * where the same files sit at the same relative paths (assets/demo, ...).
 */
export function resourcesDir(moduleDir: string = MODULE_DIR, resourcesPath: unknown = (process as { resourcesPath?: unknown }).resourcesPath): string {
  if (typeof resourcesPath === 'string' && resourcesPath !== '' && moduleDir.startsWith(resourcesPath + sep)) return resourcesPath;
  const root = packageRoot(moduleDir);
  const parent = dirname(root);
  // A packaged layout run by plain Node (the CLI test, an unpacked copy): <resources>/app[.asar]/package.json.
  if ((basename(root) === 'app.asar' || basename(root) === 'app') && basename(parent).toLowerCase() === 'resources') return parent;
  return root;
}

/** A file shipped with the app, by its path relative to {@link resourcesDir} (e.g. 'assets', 'demo'). */
export function resourcePath(...segments: string[]): string {
  return join(resourcesDir(), ...segments);
}

/**
 * Maps a path inside app.asar to its copy in app.asar.unpacked (electron-builder's asarUnpack). Files that
 * other programs execute (ffmpeg) or the OS loads cannot be read from inside the archive. Paths outside an
 * asar are returned unchanged.
 */
export function unpackedPath(p: string): string {
  const marker = `${sep}app.asar${sep}`;
  const i = p.indexOf(marker);
  return i < 0 ? p : `${p.slice(0, i)}${sep}app.asar.unpacked${sep}${p.slice(i + marker.length)}`;
}
