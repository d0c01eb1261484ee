// The mailbox use cases the window and the CLI share, against the strict simulated relay on loopback.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAudioEngine } from '../../../../main/app.js';
import type { MailboxSession } from '../../../../main/services/mailbox/ports.js';
import { exportVoicemails, listVoicemails, mark, uploadGreeting, listGreetings } from '../../../../main/services/mailbox/use-cases.js';
import { harness, syntheticAmr, voicemails, type Harness } from '../mstore/harness.js';

let h: Harness;
let out: string;
beforeEach(async () => {
  h = await harness({ voicemails: voicemails(5) });
  out = mkdtempSync(join(tmpdir(), 'vvm-usecase-'));
});
afterEach(async () => {
  await h.close();
  rmSync(out, { recursive: true, force: true });
});

function session(): MailboxSession {
  return { client: h.client, cardSession: () => Promise.reject(new Error('no card in this test')), close: async () => {} };
}

describe('mailbox use cases', () => {
  it('export lists once and downloads only payloads: no per-object metadata GET; an id no longer listed fails, the rest are written', async () => {
    const s = session();
    const { items } = await listVoicemails(s, {});
    const ids = items.slice(0, 3).map((v) => v.id);
    const gone = `${ids[0]?.replace(/[^/]+$/, '')}does-not-exist`;
    h.relay.stats.log.length = 0;
    const r = await exportVoicemails(s, createAudioEngine({ env: {} }), [...ids, gone], { format: 'amr', outDir: out });
    expect(r.files.map((f) => f.id)).toEqual(ids);
    expect(r.failed).toEqual([{ id: gone, error: expect.objectContaining({ code: 'http.notFound' }) }]);
    for (const f of r.files) expect(readFileSync(join(out, f.file)).subarray(0, 6).toString()).toBe('#!AMR\n');
    const answered = h.relay.stats.log.filter((e) => e.authenticated);
    const searches = answered.filter((e) => e.method === 'POST' && e.target.includes('search'));
    const gets = answered.filter((e) => e.method === 'GET');
    expect(searches.length).toBeGreaterThanOrEqual(1);
    // Every GET is a payload download: as many as files written, none for metadata.
    expect(gets.length).toBe(ids.length);
    expect(gets.every((e) => /payload/i.test(e.target))).toBe(true);
  });

  it('mark reports per-item results and the listing shows the new state', async () => {
    const s = session();
    const [first] = (await listVoicemails(s, {})).items;
    if (!first) throw new Error('the scenario has voicemails');
    const r = await mark(s, [first.id], !first.read, {});
    expect(r.results).toEqual([expect.objectContaining({ id: first.id, ok: true })]);
    expect((await listVoicemails(s, {})).items.find((v) => v.id === first.id)?.read).toBe(!first.read);
  });

  it('uploadGreeting checks the AMR and sends it byte for byte; a file that is no AMR-NB is refused before any request', async () => {
    const s = session();
    const amr = syntheticAmr(100);
    const g = await uploadGreeting(s, { amr, type: 'normal-greeting', activate: true, subject: 'test' }, {});
    expect(g?.active).toBe(true);
    expect((await listGreetings(s, {})).items.map((x) => x.id)).toContain(g?.id);
    const before = h.relay.stats.log.length;
    await expect(uploadGreeting(s, { amr: new TextEncoder().encode('not audio'), type: 'normal-greeting', activate: false, subject: 'x' }, {})).rejects.toMatchObject({ name: 'AudioError', code: 'audio.failed' });
    expect(h.relay.stats.log.length).toBe(before);
  });
});
