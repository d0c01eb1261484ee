// The SQLite library adapter on a real temp folder: listings recorded in transactions, payloads stored
// once under their SHA-256 with private modes, recovery of interrupted writes, search, read-state queue,
// two lines kept apart, typed disk errors.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Voicemail } from '../../../../shared/domain/mstore.js';
import { FsError } from '../../../../main/errors.js';
import { ORPHAN_GRACE_MS, ftsQuery, libraryFolderName, openLibraryStore } from '../../../../main/adapters/library/sqlite-library.js';
import type { LibraryPort, ListedObject } from '../../../../main/services/library/ports.js';

const KEY = { iccid: '8901260123456789012', msisdn: '+12065550100' };
let dir: string;
let lib: LibraryPort | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vvm-lib-'));
});
afterEach(() => {
  lib?.close();
  lib = undefined;
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

function vm(i: number, over: Partial<Voicemail> = {}): ListedObject<Voicemail> {
  const id = `${String(i).padStart(32, '0')}`;
  return {
    item: {
      id, from: `1206555${1000 + i}`, date: new Date(Date.UTC(2026, 10, 1) - i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), expires: null, duration: 10 + i,
      read: false, size: 6 + i, filename: `voicemail-${i}.amr`, keep: false, contentType: 'audio/amr', ...over,
    },
    payloadPath: `${id}/payloadParts/part1`,
  };
}

function bytesOf(i: number): Uint8Array {
  const b = new Uint8Array(6 + i);
  b.set([0x23, 0x21, 0x41, 0x4d, 0x52, 0x0a]);
  b.fill(i & 0xff, 6);
  return b;
}

function open(): LibraryPort {
  lib?.close();
  lib = openLibraryStore(dir).open(KEY);
  return lib;
}

function payloadFiles(l: LibraryPort): string[] {
  const root = join(l.dir, 'payloads');
  return readdirSync(root).flatMap((sub) => readdirSync(join(root, sub)).map((n) => join(root, sub, n)));
}

describe('listings', () => {
  it('adds new objects, refreshes known ones, marks vanished ones gone and keeps them', () => {
    const l = open();
    const c1 = l.recordVoicemailListing([vm(1), vm(2), vm(3)], [], 1000);
    expect(c1.added.sort()).toEqual([vm(1).item.id, vm(2).item.id, vm(3).item.id].sort());
    const c2 = l.recordVoicemailListing([vm(1, { read: true }), vm(2)], [], 2000);
    expect(c2).toEqual({ added: [], updated: [vm(1).item.id], gone: [vm(3).item.id], returned: [] });
    const gone = l.getVoicemail(vm(3).item.id);
    expect(gone?.goneFromServerAt).toBe(2000);
    expect(gone?.firstSeen).toBe(1000);
    expect(gone?.lastSeenOnServer).toBe(1000);
    expect(l.getVoicemail(vm(1).item.id)).toMatchObject({ read: true, serverRead: true, lastSeenOnServer: 2000, firstSeen: 1000 });
    expect(l.listVoicemails()).toHaveLength(3);
    // An id the server listed but could not be parsed is not "gone".
    const c3 = l.recordVoicemailListing([vm(1)], [vm(2).item.id], 3000);
    expect(c3.gone).toEqual([]);
  });

  it('keeps every server field, and reports a voicemail the server lists again', () => {
    const l = open();
    l.recordVoicemailListing([vm(1, { keep: true, expires: '2026-12-01T00:00:00Z' })], [], 1);
    l.recordVoicemailListing([], [], 2);
    const c = l.recordVoicemailListing([vm(1, { keep: true, expires: '2026-12-01T00:00:00Z' })], [], 3);
    expect(c.returned).toEqual([vm(1).item.id]);
    expect(l.getVoicemail(vm(1).item.id)).toMatchObject({ keep: true, expires: '2026-12-01T00:00:00Z', filename: 'voicemail-1.amr', duration: 11, size: 7, goneFromServerAt: null, payloadPath: `${vm(1).item.id}/payloadParts/part1` });
  });
});

describe('payloads', () => {
  it('stores a payload once under its SHA-256, 0600 in 0700 folders, and reads it back checked', async () => {
    const l = open();
    l.recordVoicemailListing([vm(1), vm(2)], [], 1);
    expect(l.missingPayloads().map((m) => m.id).sort()).toEqual([vm(1).item.id, vm(2).item.id].sort());
    const same = bytesOf(1);
    const sha = await l.storePayload('voicemail', vm(1).item.id, same);
    expect(sha).toBe(createHash('sha256').update(same).digest('hex'));
    // Identical audio in another voicemail: one file, two rows.
    expect(await l.storePayload('voicemail', vm(2).item.id, same)).toBe(sha);
    const files = payloadFiles(l);
    expect(files).toHaveLength(1);
    expect(statSync(files[0] ?? '').mode & 0o777).toBe(0o600);
    expect(statSync(join(l.dir, 'payloads')).mode & 0o777).toBe(0o700);
    expect(statSync(l.dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(l.dir, 'library.sqlite3')).mode & 0o777).toBe(0o600);
    expect(l.missingPayloads()).toEqual([]);
    expect(Buffer.from(l.readPayload(sha) ?? new Uint8Array())).toEqual(Buffer.from(same));
    expect(l.hasPayload(sha, true)).toBe(true);
  });

  it('recovery removes old temp files and unreferenced files (young ones may be a write in flight), and drops references to damaged files', async () => {
    let l = open();
    l.recordVoicemailListing([vm(1), vm(2)], [], 1);
    const sha1 = await l.storePayload('voicemail', vm(1).item.id, bytesOf(1));
    const sha2 = await l.storePayload('voicemail', vm(2).item.id, bytesOf(2));
    l.close();
    // A crash mid-write: a temp file; a crash between file and row: a file no row knows.
    const orphan = createHash('sha256').update('orphan').digest('hex');
    const tmpFile = join(dir, 'library', libraryFolderName(KEY), 'payloads', sha1.slice(0, 2), `.${sha1}.0123456789ab.tmp`);
    writeFileSync(tmpFile, 'partial');
    const orphanDir = join(dir, 'library', libraryFolderName(KEY), 'payloads', orphan.slice(0, 2));
    mkdirSync(orphanDir, { recursive: true });
    writeFileSync(join(orphanDir, orphan), 'orphan');
    const young = createHash('sha256').update('young').digest('hex');
    mkdirSync(join(orphanDir, '..', young.slice(0, 2)), { recursive: true });
    const youngFile = join(orphanDir, '..', young.slice(0, 2), young);
    writeFileSync(youngFile, 'young');
    const old = (Date.now() - ORPHAN_GRACE_MS - 5000) / 1000;
    utimesSync(tmpFile, old, old);
    utimesSync(join(orphanDir, orphan), old, old);
    // Disk damage: a stored file cut short.
    truncateSync(join(dir, 'library', libraryFolderName(KEY), 'payloads', sha2.slice(0, 2), sha2), 3);
    l = open();
    const r = l.verify();
    expect(r.droppedPayloads).toEqual([]); // recovery already ran on open
    expect(existsSync(join(orphanDir, orphan))).toBe(false);
    expect(existsSync(tmpFile)).toBe(false);
    expect(existsSync(youngFile)).toBe(true);
    rmSync(youngFile);
    expect(l.getVoicemail(vm(2).item.id)?.sha256).toBeNull();
    expect(l.missingPayloads().map((m) => m.id)).toEqual([vm(2).item.id]);
    expect(l.getVoicemail(vm(1).item.id)?.sha256).toBe(sha1);
    expect(payloadFiles(l).map((f) => f.split('/').pop())).toEqual([sha1]);
  });
});

describe('read state', () => {
  it('queues local changes, keeps them over the server state until confirmed, and drops no-op ones', () => {
    const l = open();
    l.recordVoicemailListing([vm(1), vm(2, { read: true })], [], 1);
    l.markRead([vm(1).item.id], true);
    l.markRead([vm(2).item.id], true); // already read on the server: nothing to send
    expect(l.pendingReadChanges()).toEqual([{ id: vm(1).item.id, read: true }]);
    expect(l.getVoicemail(vm(1).item.id)?.read).toBe(true);
    // A listing that still says unread does not undo the local change.
    l.recordVoicemailListing([vm(1), vm(2, { read: true })], [], 2);
    expect(l.getVoicemail(vm(1).item.id)).toMatchObject({ read: true, serverRead: false, readPending: true });
    l.confirmServerRead([{ id: vm(1).item.id, read: true }]);
    expect(l.pendingReadChanges()).toEqual([]);
    expect(l.stats()).toMatchObject({ voicemails: 2, unread: 0, pendingReadChanges: 0 });
  });
});

describe('search and filters', () => {
  it('finds by caller digits, notes and labels; hostile text is plain words', () => {
    const l = open();
    l.recordVoicemailListing([vm(1), vm(2), vm(3)], [], 1);
    l.setNotes(vm(2).item.id, 'Dentist appointment moved');
    l.setLabels(vm(3).item.id, ['family', ' work ', 'family']);
    expect(l.getVoicemail(vm(3).item.id)?.labels).toEqual(['family', 'work']);
    expect(l.listVoicemails({ search: 'dent' }).map((v) => v.id)).toEqual([vm(2).item.id]);
    expect(l.listVoicemails({ search: 'FAMILY' }).map((v) => v.id)).toEqual([vm(3).item.id]);
    expect(l.listVoicemails({ search: '2065551001' }).map((v) => v.id)).toEqual([vm(1).item.id]);
    expect(l.listVoicemails({ search: '"a" OR NEAR(' })).toEqual([]);
    expect(l.listVoicemails({ search: '***' })).toEqual([]);
    expect(ftsQuery('x" OR y')).toBe('"x"* "OR"* "y"*');
    expect(l.listVoicemails({ caller: '+12065551002' }).map((v) => v.id)).toEqual([vm(2).item.id]);
    expect(l.listVoicemails({ since: vm(2).item.date }).map((v) => v.id)).toEqual([vm(1).item.id, vm(2).item.id]);
    expect(l.listVoicemails({ limit: 1 })).toHaveLength(1);
  });
});

describe('lines and errors', () => {
  it('keeps two SIMs in separate libraries', () => {
    const store = openLibraryStore(dir);
    const a = store.open(KEY);
    const b = store.open({ iccid: '8901260999999999999', msisdn: '+12065550100' });
    try {
      a.recordVoicemailListing([vm(1)], [], 1);
      b.recordVoicemailListing([vm(2)], [], 1);
      expect(a.listVoicemails().map((v) => v.id)).toEqual([vm(1).item.id]);
      expect(b.listVoicemails().map((v) => v.id)).toEqual([vm(2).item.id]);
      expect(store.lines().map((k) => k.iccid).sort()).toEqual(['8901260123456789012', '8901260999999999999']);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses a line key that could escape the folder', () => {
    expect(() => openLibraryStore(dir).open({ iccid: '../../etc', msisdn: '+12065550100' })).toThrow(RangeError);
    expect(() => openLibraryStore(dir).open({ iccid: '8901260123456789012', msisdn: '12065550100/..' })).toThrow(RangeError);
  });

  it('a read-only data folder is a typed fs.failed error', () => {
    chmodSync(dir, 0o500);
    if (process.getuid?.() === 0) {
      // root ignores modes: prove the mapping with a path that cannot be a folder instead
      chmodSync(dir, 0o700);
      writeFileSync(join(dir, 'library'), 'not a folder');
    }
    const e = (() => {
      try {
        openLibraryStore(dir).open(KEY);
        return null;
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(FsError);
    expect((e as FsError).code).toBe('fs.failed');
    expect(['EACCES', 'EEXIST', 'ENOTDIR']).toContain((e as FsError).detail?.errno);
  });
});
