// voicemail:export and export:showFolder: main picks and remembers the folder; the renderer never sends a
// path. A bulk export split over several requests asks once (`sameFolder`), and "Show in folder" opens
// exactly the folder main exported into.
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/ipc/dispatch.js';
import { createImplementations } from '../../../main/ipc/implementations.js';
import { createStandInEngine } from '../../support/stand-in-engine.js';
import type { MailboxLibrary } from '../../../main/services/mailbox/mailbox-library.js';

const op = () => crypto.randomUUID();
const noPins = { get: async () => null, set: async () => {}, delete: async () => false };

function setup(answers: (string | null)[], library: MailboxLibrary | null = null) {
  const asked: number[] = [];
  const shown: string[] = [];
  const engine = createStandInEngine();
  const d = createDispatcher(
    createImplementations(engine, noPins, {
      chooseExportDirectory: async () => {
        asked.push(1);
        return answers.shift() ?? null;
      },
      showFolder: async (dir) => void shown.push(dir),
    }, library),
  );
  return { d, engine, asked, shown };
}

describe('export folder', () => {
  it('"Show in folder" before any export fails and opens nothing', async () => {
    const { d, shown } = setup([]);
    expect(await d.dispatch('export:showFolder', {}, () => {})).toMatchObject({ ok: false, error: { code: 'fs.failed' } });
    expect(shown).toEqual([]);
  });

  it('a cancelled folder dialog exports nothing and remembers no folder', async () => {
    const { d, engine, shown } = setup([null]);
    const [v] = await engine.listVoicemails({});
    expect(await d.dispatch('voicemail:export', { ids: [v?.id ?? ''], format: 'wav', opId: op() }, () => {})).toEqual({ ok: true, value: { written: 0, cancelled: true, failed: [], folder: null } });
    expect((await d.dispatch('export:showFolder', {}, () => {})).ok).toBe(false);
    expect(shown).toEqual([]);
  });

  it('asks once, reuses the folder for `sameFolder`, says which folder, and shows that folder', async () => {
    const { d, engine, asked, shown } = setup(['/exports/first', '/exports/second']);
    const ids = (await engine.listVoicemails({})).map((v) => v.id);
    const first = await d.dispatch('voicemail:export', { ids: ids.slice(0, 1), format: 'mp3', opId: op() }, () => {});
    expect(first).toEqual({ ok: true, value: { written: 1, cancelled: false, failed: [], folder: '/exports/first' } });
    const more = await d.dispatch('voicemail:export', { ids: ids.slice(1), format: 'mp3', sameFolder: true, opId: op() }, () => {});
    expect(more).toMatchObject({ ok: true, value: { written: ids.length - 1, folder: '/exports/first' } });
    expect(asked).toHaveLength(1);
    expect((await d.dispatch('export:showFolder', {}, () => {})).ok).toBe(true);
    expect(shown).toEqual(['/exports/first']);
    // Without `sameFolder` the user is asked again, and the new folder is the one shown from then on.
    await d.dispatch('voicemail:export', { ids: ids.slice(0, 1), format: 'wav', opId: op() }, () => {});
    expect(asked).toHaveLength(2);
    await d.dispatch('export:showFolder', {}, () => {});
    expect(shown).toEqual(['/exports/first', '/exports/second']);
  });

  it('what the library holds is exported from its copy (also voicemails the server no longer has); only the rest goes to the server', async () => {
    const fromLibrary: string[][] = [];
    const library = {
      exportStored: async (ids: string[], o: { outDir: string }) => {
        fromLibrary.push(ids);
        expect(o.outDir).toBe('/exports/lib');
        const held = ids.filter((id) => id.startsWith('archived/'));
        const files = held.map((id) => ({ id, file: `${id.slice(9)}.wav`, from: null, date: '2024-01-01T00:00:00Z', durationMs: 1000, format: 'wav' as const, bytes: 10 }));
        return { result: { files, failed: [] }, rest: ids.filter((id) => !id.startsWith('archived/')) };
      },
    } as unknown as MailboxLibrary;
    const { d, engine } = setup(['/exports/lib'], library);
    const [v] = await engine.listVoicemails({});
    const r = await d.dispatch('voicemail:export', { ids: ['archived/a', 'archived/b', v?.id ?? ''], format: 'wav', opId: op() }, () => {});
    expect(r).toEqual({ ok: true, value: { written: 3, cancelled: false, failed: [], folder: '/exports/lib' } });
    expect(fromLibrary).toEqual([['archived/a', 'archived/b', v?.id ?? '']]);
  });

  it('remembers the chosen folder in the settings and offers it first next time (also after a restart)', async () => {
    const suggested: (string | undefined)[] = [];
    const engine = createStandInEngine();
    const d = createDispatcher(createImplementations(engine, noPins, { chooseExportDirectory: async (s) => (suggested.push(s), '/exports/kept') }));
    const [v] = await engine.listVoicemails({});
    await d.dispatch('voicemail:export', { ids: [v?.id ?? ''], format: 'wav', opId: op() }, () => {});
    expect(engine.getSettings().exportFolder).toBe('/exports/kept');
    // A new window (a restart) over the same settings: the dialog opens on the remembered folder.
    const again = createDispatcher(createImplementations(engine, noPins, { chooseExportDirectory: async (s) => (suggested.push(s), null) }));
    await again.dispatch('voicemail:export', { ids: [v?.id ?? ''], format: 'wav', opId: op() }, () => {});
    expect(suggested).toEqual([undefined, '/exports/kept']);
  });

  it('refuses a path smuggled into either request', async () => {
    const { d, shown } = setup(['/exports/first']);
    expect(await d.dispatch('export:showFolder', { dir: '/etc' }, () => {})).toMatchObject({ ok: false, error: { code: 'ipc.invalidRequest' } });
    expect(await d.dispatch('voicemail:export', { ids: ['a'], format: 'wav', dir: '/etc', opId: op() }, () => {})).toMatchObject({ ok: false, error: { code: 'ipc.invalidRequest' } });
    expect(shown).toEqual([]);
  });
});
