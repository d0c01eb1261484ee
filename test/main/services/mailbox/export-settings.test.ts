// Exports from the window follow the settings: file names from the template, a manifest when asked.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesktopBackend, type DesktopBackend } from '../../../../main/app.js';
import { memoryPinStore } from '../../../../main/web-harness/run.js';
import { defaultSettings, SettingsSchema } from '../../../../shared/settings.js';

let work: string;
let backend: DesktopBackend | undefined;
afterEach(async () => {
  await backend?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('export settings', () => {
  it('names the files from the template and writes the chosen manifest', async () => {
    work = mkdtempSync(join(tmpdir(), 'vvm-export-settings-'));
    const settings = { ...defaultSettings(), exportTemplate: 'vm {from} {date}.{ext}', exportManifest: 'csv' as const };
    backend = await createDesktopBackend({ env: { ...process.env, VVM_DEMO_DIR: join(work, 'demo') }, settings, demo: true, pins: memoryPinStore() });
    const [a, b] = await backend.engine.listVoicemails({});
    if (!a || !b) throw new Error('the demo mailbox needs two voicemails');
    const out = join(work, 'out');
    const r = await backend.engine.exportVoicemails([a.id, b.id], 'amr', out, {});
    expect(r.written).toBe(2);
    const names = readdirSync(out).sort();
    expect(names.filter((n) => n.endsWith('.amr')).every((n) => n.startsWith('vm '))).toBe(true);
    const manifest = names.find((n) => n.endsWith('.csv'));
    expect(manifest).toBeDefined();
    expect(readFileSync(join(out, manifest ?? ''), 'utf8').split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('refuses a template that names a folder, and an unknown manifest kind', () => {
    expect(SettingsSchema.safeParse({ exportTemplate: '../{from}.{ext}' }).success).toBe(false);
    expect(SettingsSchema.safeParse({ exportTemplate: '{from}\n.{ext}' }).success).toBe(false);
    expect(SettingsSchema.safeParse({ exportManifest: 'xml' }).success).toBe(false);
    expect(SettingsSchema.parse({}).exportManifest).toBe('none');
  });
});
