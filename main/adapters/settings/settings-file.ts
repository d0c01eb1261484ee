// The desktop's settings file (settings.json in Electron's userData folder). Validated with zod when it
// is read: a missing file gives the defaults; a corrupt or invalid one is reported, never half-applied.
// Written atomically (temporary file, fsync, rename: main/adapters/fs/atomic-write.ts), mode 0600, so a crash never
// leaves a truncated file.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SettingsSchema, defaultSettings, type Settings } from '../../../shared/settings.js';
import { AppConfigError, FsError } from '../../errors.js';
import { sweepStaleTempFiles, writeFileAtomic } from '../fs/atomic-write.js';
import { configDir } from '../paths.js';
import { nafFqdnFromServer } from '../../protocol/gba/naf-id.js';

/** The settings file in {@link configDir}; null when there is no config folder. */
export function settingsFilePath(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string | null {
  const dir = configDir(env, platform);
  return dir === null ? null : join(dir, 'settings.json');
}

/** Reads the settings; the defaults when the file does not exist. Throws AppConfigError('config.invalid'). */
export async function loadSettings(file: string): Promise<Settings> {
  // A process killed mid-save leaves `.settings.json.<hex>.part`; the next start removes stale ones.
  await sweepStaleTempFiles(dirname(file));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return defaultSettings();
    throw new FsError('fs.failed', 'The settings file cannot be read', { hint: `Check the permissions of ${file}.`, cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppConfigError('config.invalid', 'The settings file is not valid JSON', { hint: `Fix or delete ${file}.` });
  }
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppConfigError('config.invalid', 'The settings file has invalid values', { hint: `Fix or delete ${file}.`, detail: { fields: parsed.error.issues.map((i) => i.path.join('.')) } });
  }
  return withoutRedundantNafFqdn(parsed.data);
}

/**
 * Files written before the NAF FQDN followed the server hold `"nafFqdn": "wsg.t-mobile.com"` (the old
 * default, saved with everything else). An override equal to the server's own host changes nothing now,
 * but would pin that name once the server changes (staging, a proxy): it is dropped on reading.
 */
function withoutRedundantNafFqdn(s: Settings): Settings {
  if (s.nafFqdn === undefined) return s;
  let host: string;
  try {
    host = nafFqdnFromServer(s.server);
  } catch {
    return s;
  }
  if (s.nafFqdn.toLowerCase().replace(/\.$/, '') !== host) return s;
  const { nafFqdn: _redundant, ...rest } = s;
  return rest;
}

/** Writes the settings atomically. */
export async function saveSettings(file: string, settings: Settings): Promise<void> {
  const valid = SettingsSchema.parse(settings);
  try {
    await writeFileAtomic(dirname(file), basename(file), new TextEncoder().encode(JSON.stringify(valid, null, 2) + '\n'), { onExists: 'overwrite', fileMode: 0o600, dirMode: 0o700 });
  } catch (e) {
    throw new FsError('fs.failed', 'The settings could not be saved', { hint: `Check the free space and permissions of ${dirname(file)}.`, cause: e });
  }
}
