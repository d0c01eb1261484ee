// Demo mode's relay state on disk: the seeded scenario (assets/demo/scenario.json + its AMR files) on
// first use, then whatever the simulated relay last saved, so deleting a demo voicemail and listing again
// does not bring it back. Lives in a per-user data folder, overridable with VVM_DEMO_DIR.
// The seed ships as extraResources (assets/demo), found through main/adapters/paths.ts.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsError } from '../../errors.js';
import { resourcesDir } from '../paths.js';
import { ScenarioSchema, type Scenario } from '../../sim/carrier/scenario.js';

const STATE_FILE = 'relay-state.json';

/** The demo data folder: VVM_DEMO_DIR, else the per-user data folder + demo (main/adapters/paths.ts). */
export { demoDir } from '../paths.js';

/**
 * The demo data shipped with the app: assets/demo under the resources folder (electron-builder's
 * extraResources when packaged, the project folder in development; main/adapters/paths.ts).
 */
export function demoAssetsDir(resources: string = resourcesDir()): string {
  const dir = join(resources, 'assets', 'demo');
  if (existsSync(join(dir, 'scenario.json'))) return dir;
  throw new FsError('fs.failed', 'The demo data (assets/demo) is missing from this installation', { hint: 'Reinstall VVM Desk, or run from the project folder.' });
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** The seeded scenario with every audioFile read into audioBase64. */
export function seedScenario(assets = demoAssetsDir()): Scenario {
  const sc = ScenarioSchema.parse(readJson(join(assets, 'scenario.json')));
  const load = <T extends { audioFile?: string | undefined; audioBase64?: string | undefined }>(o: T): T => {
    if (o.audioFile === undefined) return o;
    if (!/^[A-Za-z0-9._-]+$/.test(o.audioFile) || o.audioFile.startsWith('.')) throw new FsError('fs.failed', 'Bad audio file name in the demo scenario');
    const { audioFile, ...rest } = o;
    return { ...rest, audioBase64: readFileSync(join(assets, audioFile)).toString('base64') } as T;
  };
  return { ...sc, voicemails: sc.voicemails.map(load), greetings: sc.greetings.map(load) };
}

/** The saved relay state of the demo folder, or the seed when there is none (or it is unreadable). */
export function loadDemoState(dir: string): Scenario {
  const file = join(dir, STATE_FILE);
  if (existsSync(file)) {
    try {
      const parsed = ScenarioSchema.safeParse(readJson(file));
      if (parsed.success) return parsed.data;
    } catch {
      // a damaged state file: start again from the seed
    }
  }
  return seedScenario();
}

/** Saves the relay state atomically (temp file + rename). */
export function saveDemoState(dir: string, state: Scenario): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${STATE_FILE}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, join(dir, STATE_FILE));
  } catch (e) {
    throw new FsError('fs.failed', 'Could not save the demo state', { hint: 'Check that VVM_DEMO_DIR (or the data folder) is writable.', cause: e });
  }
}
