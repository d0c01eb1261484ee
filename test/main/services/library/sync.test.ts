// Library sync, archive-then-delete and export-from-library against the strict simulated relay over real
// loopback sockets (fixed-key digest; the card stack is covered by test/integration/library-sync.test.ts).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLibraryStore } from '../../../../main/adapters/library/sqlite-library.js';
import { createAudioEngine } from '../../../../main/app.js';
import { CancelledError } from '../../../../main/errors.js';
import { archiveThenDelete, exportFromLibrary } from '../../../../main/services/library/archive.js';
import type { LibraryPort } from '../../../../main/services/library/ports.js';
import { syncMailbox } from '../../../../main/services/library/sync.js';
import { clock, harness, syntheticAmr, voicemails, type Harness } from '../mstore/harness.js';

const KEY = { iccid: '8901260123456789012', msisdn: '+12065550100' };
let h: Harness | undefined;
let dir: string;
let lib: LibraryPort;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vvm-sync-'));
  lib = openLibraryStore(dir).open(KEY);
});
afterEach(async () => {
  lib.close();
  await h?.close();
  h = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const deps = () => ({ mstore: (h as Harness).client, library: lib, clock });
/** Requests that reached an endpoint (digest checked), per kind. */
function requests(hh: Harness): { search: number; payload: number; other: number } {
  const log = hh.relay.stats.log.filter((e) => e.authenticated);
  const search = log.filter((e) => e.method === 'POST' && e.target.includes('search')).length;
  const payload = log.filter((e) => e.method === 'GET' && e.target.includes('payloadParts')).length;
  return { search, payload, other: log.length - search - payload };
}

describe('sync', () => {
  it('the first sync stores everything checked by hash; a second downloads nothing and sends no metadata GET', async () => {
    h = await harness({
      voicemails: voicemails(12),
      greetings: [{ date: '2026-10-01T10:00:00Z', active: true, audioBase64: Buffer.from(syntheticAmr(40, 9)).toString('base64') }],
      pageSize: 5,
    });
    const progress: string[] = [];
    const r1 = await syncMailbox(deps(), { onProgress: (p) => progress.push(p.phase) });
    expect(r1.complete).toBe(true);
    expect(r1.newItems).toHaveLength(12);
    expect(r1.newGreetings).toHaveLength(1);
    expect(r1.downloaded).toBe(13);
    expect(progress).toContain('download');
    const server = h.relay.snapshot();
    for (const v of server.voicemails) {
      const row = lib.getVoicemail(v.id ?? '');
      const audio = Buffer.from(v.audioBase64 ?? '', 'base64');
      expect(row?.sha256).toBe(sha(audio));
      expect(Buffer.from(lib.readPayload(row?.sha256 ?? '') ?? [])).toEqual(audio);
      expect(row).toMatchObject({ from: v.from, read: v.read, keep: v.keep, goneFromServerAt: null, expires: v.expires ?? null });
    }
    // 12 voicemails in pages of 5: 3 search requests; one GET per payload; nothing else.
    expect(requests(h)).toEqual({ search: 3 + 1, payload: 13, other: 0 });
    const before = h.relay.stats.log.length;
    const r2 = await syncMailbox(deps());
    expect(r2).toMatchObject({ newItems: [], downloaded: 0, updatedFlags: [], goneFromServer: [], complete: true });
    expect(h.relay.stats.log.slice(before).filter((e) => e.authenticated && e.target.includes('payloadParts'))).toEqual([]);
    expect(lib.stats()).toMatchObject({ voicemails: 12, stored: 12, greetings: 1 });
  });

  it('a new voicemail gives exactly one new item; a server delete and an expiry keep the local copy', async () => {
    h = await harness({ voicemails: voicemails(3) });
    await syncMailbox(deps());
    const [first, second] = h.relay.snapshot().voicemails;
    const id = h.relay.addVoicemail({ from: '14255550199', date: '2026-11-02T08:00:00Z', audioBase64: Buffer.from(syntheticAmr(30, 77)).toString('base64') });
    const r = await syncMailbox(deps());
    expect(r.newItems.map((v) => v.id)).toEqual([id]);
    expect(r.downloaded).toBe(1);
    expect(r.newItems[0]?.sha256).not.toBeNull();
    // Deleted on the phone, and expired by the server: both simply vanish from the listing.
    expect(h.relay.removeObject(first?.id ?? '')).toBe(true);
    expect(h.relay.removeObject(second?.id ?? '')).toBe(true);
    const r2 = await syncMailbox(deps());
    expect(r2.goneFromServer.sort()).toEqual([first?.id, second?.id].sort());
    for (const v of [first, second]) {
      const row = lib.getVoicemail(v?.id ?? '');
      expect(row?.goneFromServerAt).not.toBeNull();
      expect(Buffer.from(lib.readPayload(row?.sha256 ?? '') ?? [])).toEqual(Buffer.from(v?.audioBase64 ?? '', 'base64'));
    }
    expect(lib.listVoicemails({ goneFromServer: true })).toHaveLength(2);
    expect(lib.listVoicemails()).toHaveLength(4);
  });

  it('read state round-trips: a change on the phone arrives, a change made offline is sent on the next sync', async () => {
    h = await harness({ voicemails: (voicemails(3) ?? []).map((v) => ({ ...v, read: false })) });
    await syncMailbox(deps());
    const [a, b] = h.relay.snapshot().voicemails;
    h.relay.setObjectFlag(a?.id ?? '', '\\Seen', true);
    const r = await syncMailbox(deps());
    expect(r.updatedFlags).toEqual([a?.id]);
    expect(lib.getVoicemail(a?.id ?? '')?.read).toBe(true);
    // Offline: the local change is queued; the sync fails without changing anything.
    lib.markRead([b?.id ?? ''], true);
    h.relay.setFaults([{ action: { kind: 'drop' }, stage: 'probe' }]);
    await expect(syncMailbox(deps())).rejects.toBeTruthy();
    expect(lib.pendingReadChanges()).toEqual([{ id: b?.id, read: true }]);
    expect(lib.getVoicemail(b?.id ?? '')?.read).toBe(true);
    h.relay.setFaults([]);
    const r2 = await syncMailbox(deps());
    expect(r2.pushedFlags).toEqual([b?.id]);
    expect(h.relay.snapshot().voicemails.find((v) => v.id === b?.id)?.read).toBe(true);
    expect(lib.pendingReadChanges()).toEqual([]);
    // And back: unread locally, sent.
    lib.markRead([a?.id ?? ''], false);
    await syncMailbox(deps());
    expect(h.relay.snapshot().voicemails.find((v) => v.id === a?.id)?.read).toBe(false);
  });

  it('one failed or cut download does not stop the rest; the next sync fetches only what is missing', async () => {
    h = await harness({ voicemails: voicemails(6) });
    const victim = h.relay.snapshot().voicemails[2]?.id ?? '';
    const cut = h.relay.snapshot().voicemails[4]?.id ?? '';
    h.relay.setFaults([
      { method: 'GET', pathIncludes: victim, action: { kind: 'status', status: 500 }, times: 1 },
      { method: 'GET', pathIncludes: cut, action: { kind: 'truncateNoLength' }, times: 1 },
    ]);
    const r = await syncMailbox(deps());
    expect(r.complete).toBe(false);
    expect(r.failures.map((f) => [f.id, f.stage]).sort()).toEqual([[cut, 'download'], [victim, 'download']].sort());
    expect(r.downloaded).toBe(4);
    expect(lib.getVoicemail(cut)?.sha256).toBeNull();
    const r2 = await syncMailbox(deps());
    expect(r2.downloaded).toBe(2);
    expect(r2.complete).toBe(true);
    expect(lib.stats().stored).toBe(6);
  });

  it('is cancellable mid-way and resumes without duplicates', async () => {
    h = await harness({ voicemails: voicemails(8) });
    const ac = new AbortController();
    const p = syncMailbox(deps(), { signal: ac.signal, concurrency: 1, onProgress: (x) => x.phase === 'download' && (x.done ?? 0) >= 2 && ac.abort() });
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    const stored = lib.stats().stored;
    expect(stored).toBeGreaterThanOrEqual(2);
    expect(stored).toBeLessThan(8);
    const r = await syncMailbox(deps());
    expect(r.downloaded).toBe(8 - stored);
    const files = readdirSync(join(lib.dir, 'payloads'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    expect(files).toHaveLength(8);
  });

  it('two SIMs never mix', async () => {
    h = await harness({ voicemails: voicemails(2) });
    const other = await harness({ voicemails: (voicemails(3) ?? []).slice(2) });
    const lib2 = openLibraryStore(dir).open({ iccid: '8901260999999999999', msisdn: KEY.msisdn });
    try {
      await syncMailbox(deps());
      await syncMailbox({ mstore: other.client, library: lib2, clock });
      const ids1 = new Set(h.relay.snapshot().voicemails.map((v) => v.id));
      const ids2 = new Set(other.relay.snapshot().voicemails.map((v) => v.id));
      expect(new Set(lib.listVoicemails().map((v) => v.id))).toEqual(ids1);
      expect(new Set(lib2.listVoicemails().map((v) => v.id))).toEqual(ids2);
    } finally {
      lib2.close();
      await other.close();
    }
  });
});

describe('archive then delete', () => {
  it('deletes on the server only voicemails whose local copy verifies, per-item results, kept locally', async () => {
    h = await harness({ voicemails: voicemails(4) });
    await syncMailbox(deps());
    const [a, b, c, d] = h.relay.snapshot().voicemails;
    // c: damaged on disk; d: arrived after the last sync (not in the library).
    const damaged = lib.getVoicemail(c?.id ?? '')?.sha256 ?? '';
    writeFileSync(join(lib.dir, 'payloads', damaged.slice(0, 2), damaged), Buffer.alloc(Buffer.from(c?.audioBase64 ?? '', 'base64').length));
    const late = h.relay.addVoicemail({ from: '14255550100', date: '2026-11-03T08:00:00Z', audioBase64: Buffer.from(syntheticAmr(10, 5)).toString('base64') });
    const r = await archiveThenDelete({ mstore: h.client, library: lib, clock }, [a?.id ?? '', b?.id ?? '', c?.id ?? '', late], {});
    const byId = new Map(r.results.map((x) => [x.id, x.ok]));
    expect(byId.get(a?.id ?? '')).toBe(true);
    expect(byId.get(b?.id ?? '')).toBe(true);
    expect(byId.get(c?.id ?? '')).toBe(false);
    expect(byId.get(late)).toBe(false);
    const left = new Set(h.relay.snapshot().voicemails.map((v) => v.id));
    expect(left).toEqual(new Set([c?.id, d?.id, late]));
    expect(lib.getVoicemail(a?.id ?? '')?.goneFromServerAt).not.toBeNull();
    expect(lib.readPayload(lib.getVoicemail(a?.id ?? '')?.sha256 ?? '')).not.toBeNull();
  });
});

describe('export from the library', () => {
  it('exports the original AMR offline with a manifest carrying read state, checksum and notes', async () => {
    h = await harness({ voicemails: voicemails(3) });
    await syncMailbox(deps());
    await h.close();
    h = undefined; // offline from here on
    const [v1] = lib.listVoicemails();
    lib.setNotes(v1?.id ?? '', 'call back, "urgent"');
    const out = join(dir, 'out');
    const audio = createAudioEngine({ env: {} });
    const r = await exportFromLibrary({ library: lib, exporter: audio.exporter }, {}, { format: 'amr', outDir: out, manifest: 'csv' });
    expect(r.failed).toEqual([]);
    expect(r.files).toHaveLength(3);
    const csv = readFileSync(join(out, r.manifest ?? ''), 'utf8').split('\r\n');
    expect(csv[0]).toBe('id,file,from,date,durationMs,format,bytes,read,sha256,notes,serverFilename');
    const line = csv.find((l) => l.startsWith(`"${v1?.id ?? ''}"`)) ?? '';
    expect(line).toContain(`"${v1?.sha256 ?? ''}"`);
    expect(line).toContain('"call back, ""urgent"""');
    for (const f of r.files) expect(sha(readFileSync(join(out, f.file)))).toBe(lib.getVoicemail(f.id)?.sha256);
    const since = lib.listVoicemails()[1]?.date ?? '';
    const r2 = await exportFromLibrary({ library: lib, exporter: audio.exporter }, { since }, { format: 'amr', outDir: join(dir, 'out2'), manifest: 'json' });
    expect(r2.files).toHaveLength(2);
  });
});
