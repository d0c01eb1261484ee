// LibraryPort over SQLite (better-sqlite3: WAL, synchronous transactions, FTS5) and the content-addressed
// payload folder. One library per line: <dataDir>/library/<ICCID>_<MSISDN digits>/{library.sqlite3,payloads/}.
//
// Crash safety (the process may be killed at any instruction):
// - a payload is written (temp, fsync, rename) BEFORE the transaction that inserts its `payloads` row and
//   points the voicemail at it; that transaction re-checks the file under the write lock. A crash in
//   between leaves a complete but unreferenced file: the next store of the same audio adopts it, recovery
//   removes it once older than a grace period (so it never takes the file of a write in flight in another
//   process; and if it ever did, the re-check under the lock writes it again);
// - synchronous=NORMAL in WAL mode: a power cut may lose the last commits, never consistency; a lost commit
//   only loses a reference to a durable file (swept or adopted later), never the other way round;
// - listing changes are one transaction each: all or nothing;
// - ids are UNIQUE, payload names are their hash: no duplicates.
import Database from 'better-sqlite3';
import { chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Greeting, Voicemail } from '../../../shared/domain/mstore.js';
import { FsError } from '../../errors.js';
import type {
  LibraryGreeting, LibraryKey, LibraryPort, LibraryStats, LibraryStorePort, LibraryVoicemail, ListedObject, ListingChanges, MissingPayload,
  RecoveryReport, VoicemailQuery,
} from '../../services/library/ports.js';
import { PRIVATE_FILE_MODE } from '../fs/atomic-write.js';
import { MIGRATIONS } from './migrations.js';
import { PayloadFiles, diskError, ensurePrivateDir, sha256Hex } from './payload-files.js';

const ICCID = /^[0-9A-Fa-f]{6,22}$/;
const MSISDN = /^\+\d{6,15}$/;
const DB_FILE = 'library.sqlite3';
/** Longest search text taken (longer is cut): bounded work for hostile input. */
const MAX_SEARCH = 200;
const MAX_NOTES = 10_000;
const MAX_LABELS = 50;
const MAX_LABEL = 60;
/** Unreferenced payload files and temp files younger than this are left alone by recovery (a write in flight). */
export const ORPHAN_GRACE_MS = 60_000;

/** The folder name of a line's library (validated: it becomes a path). */
export function libraryFolderName(key: LibraryKey): string {
  if (!ICCID.test(key.iccid)) throw new RangeError('ICCID must be 6-22 hex digits');
  if (!MSISDN.test(key.msisdn)) throw new RangeError('MSISDN must be E.164 (+ and 6-15 digits)');
  return `${key.iccid.toUpperCase()}_${key.msisdn.slice(1)}`;
}

interface VoicemailRow {
  id: string;
  caller: string;
  date: string;
  expires: string | null;
  duration: number;
  size: number;
  filename: string;
  content_type: string;
  keep: number;
  server_read: number;
  read_pending: number | null;
  payload_path: string;
  sha256: string | null;
  first_seen: number;
  last_seen: number;
  gone_at: number | null;
  notes: string;
  labels: string;
}

interface GreetingRow {
  id: string;
  date: string;
  duration: number;
  active: number;
  type: string;
  subject: string;
  size: number;
  filename: string;
  payload_path: string;
  sha256: string | null;
  first_seen: number;
  last_seen: number;
  gone_at: number | null;
}

function parseLabels(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function toVoicemail(r: VoicemailRow): LibraryVoicemail {
  const serverRead = r.server_read === 1;
  const readPending = r.read_pending === null ? null : r.read_pending === 1;
  return {
    id: r.id,
    from: r.caller,
    date: r.date,
    expires: r.expires,
    duration: r.duration,
    size: r.size,
    filename: r.filename,
    contentType: r.content_type,
    keep: r.keep === 1,
    read: readPending ?? serverRead,
    serverRead,
    readPending,
    payloadPath: r.payload_path,
    sha256: r.sha256,
    firstSeen: r.first_seen,
    lastSeenOnServer: r.last_seen,
    goneFromServerAt: r.gone_at,
    notes: r.notes,
    labels: parseLabels(r.labels),
  };
}

function toGreeting(r: GreetingRow): LibraryGreeting {
  return {
    id: r.id,
    date: r.date,
    duration: r.duration,
    active: r.active === 1,
    type: r.type,
    subject: r.subject,
    size: r.size,
    filename: r.filename,
    payloadPath: r.payload_path,
    sha256: r.sha256,
    firstSeen: r.first_seen,
    lastSeenOnServer: r.last_seen,
    goneFromServerAt: r.gone_at,
  };
}

/**
 * An FTS5 MATCH expression from user text: every word quoted (so operators and syntax in the text are
 * plain words) and prefix-matched, all words required. null when nothing searchable is left.
 */
export function ftsQuery(text: string): string | null {
  const words = text
    .slice(0, MAX_SEARCH)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .slice(0, 16);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

/** Instant bounds accept a date (YYYY-MM-DD, taken as UTC midnight) or an ISO instant. */
function isoBound(v: string): string {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t)) throw new RangeError(`not a date: ${v.slice(0, 40)}`);
  return new Date(t).toISOString().replace(/\.000Z$/, 'Z');
}

function sqliteCode(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** Runs `fn`, turning SQLite and fs failures into FsError (disk full, read-only, ...). */
function guarded<T>(what: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FsError) throw e;
    const code = sqliteCode(e);
    if (code !== undefined && (code.startsWith('SQLITE_') || /^E[A-Z]+$/.test(code))) throw diskError(e, what, path);
    throw e;
  }
}

class SqliteLibrary implements LibraryPort {
  private readonly db: Database.Database;
  private readonly files: PayloadFiles;
  private readonly dbPath: string;

  constructor(
    readonly key: LibraryKey,
    readonly dir: string,
  ) {
    this.dbPath = join(dir, DB_FILE);
    this.files = new PayloadFiles(join(dir, 'payloads'));
    this.db = guarded('open the library', this.dbPath, () => {
      ensurePrivateDir(dir);
      ensurePrivateDir(this.files.root);
      const db = new Database(this.dbPath, { timeout: 10_000 });
      try {
        db.pragma('journal_mode = WAL');
        // NORMAL (WAL): see the file comment; rows are committed only after their files are durable.
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        return db;
      } catch (e) {
        db.close();
        throw e;
      }
    });
    try {
      guarded('prepare the library', this.dbPath, () => {
        this.migrate();
        for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) {
          try {
            chmodSync(join(dir, f), PRIVATE_FILE_MODE);
          } catch {
            // not created (yet)
          }
        }
      });
      this.recover(false);
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new FsError('fs.failed', 'The library was written by a newer version of VVM Desk.', { hint: 'Update VVM Desk to open it.', detail: { path: this.dbPath, version } });
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db
        .transaction(() => {
          this.db.exec(MIGRATIONS[v] ?? '');
          this.db.pragma(`user_version = ${v + 1}`);
        })
        .immediate();
    }
    this.db
      .transaction(() => {
        const ins = this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
        ins.run('iccid', this.key.iccid.toUpperCase());
        ins.run('msisdn', this.key.msisdn);
      })
      .immediate();
    const m = this.meta('msisdn');
    const i = this.meta('iccid');
    if (m !== this.key.msisdn || i !== this.key.iccid.toUpperCase()) {
      throw new FsError('fs.failed', 'This library folder belongs to another line.', { detail: { path: this.dbPath } });
    }
  }

  private meta(key: string): string | null {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value ?? null;
  }

  private recover(full: boolean): RecoveryReport {
    return guarded('check the library', this.dbPath, () =>
      this.db
        .transaction((): RecoveryReport => {
          const staleBefore = Date.now() - ORPHAN_GRACE_MS;
          const { payloads: onDisk, removedTemp } = this.files.scan(staleBefore);
          const known = new Map((this.db.prepare('SELECT sha256, size FROM payloads').all() as { sha256: string; size: number }[]).map((r) => [r.sha256, r.size]));
          let removedOrphans = 0;
          for (const sha of onDisk) {
            if (!known.has(sha) && (this.files.mtime(sha) ?? 0) < staleBefore) {
              this.files.remove(sha);
              removedOrphans++;
            }
          }
          const droppedPayloads: string[] = [];
          for (const [sha, size] of known) {
            const ok = this.files.size(sha) === size && (!full || this.files.read(sha) !== null);
            if (ok) continue;
            this.db.prepare('UPDATE voicemails SET sha256 = NULL WHERE sha256 = ?').run(sha);
            this.db.prepare('UPDATE greetings SET sha256 = NULL WHERE sha256 = ?').run(sha);
            this.db.prepare('DELETE FROM payloads WHERE sha256 = ?').run(sha);
            this.files.remove(sha);
            droppedPayloads.push(sha);
          }
          return { removedTemp, removedOrphans, droppedPayloads };
        })
        .immediate(),
    );
  }

  verify(full = false): RecoveryReport {
    return this.recover(full);
  }

  recordVoicemailListing(items: ListedObject<Voicemail>[], alsoPresent: string[], at: number): ListingChanges {
    return guarded('update the library', this.dbPath, () =>
      this.db
        .transaction((): ListingChanges => {
          const changes: ListingChanges = { added: [], updated: [], gone: [], returned: [] };
          const get = this.db.prepare('SELECT * FROM voicemails WHERE id = ?');
          const insert = this.db.prepare(`INSERT INTO voicemails (id, caller, date, expires, duration, size, filename, content_type, keep, server_read, payload_path, first_seen, last_seen)
            VALUES (@id, @caller, @date, @expires, @duration, @size, @filename, @content_type, @keep, @server_read, @payload_path, @at, @at)`);
          const update = this.db.prepare(`UPDATE voicemails SET caller = @caller, date = @date, expires = @expires, duration = @duration, size = @size, filename = @filename,
            content_type = @content_type, keep = @keep, server_read = @server_read, read_pending = @read_pending, payload_path = @payload_path, last_seen = @at, gone_at = NULL,
            sha256 = CASE WHEN size = @size THEN sha256 ELSE NULL END WHERE id = @id`);
          const listed = new Set<string>(alsoPresent);
          for (const { item: v, payloadPath } of items) {
            listed.add(v.id);
            const row = { id: v.id, caller: v.from, date: v.date, expires: v.expires, duration: v.duration, size: v.size, filename: v.filename, content_type: v.contentType, keep: v.keep ? 1 : 0, server_read: v.read ? 1 : 0, payload_path: payloadPath, at };
            const old = get.get(v.id) as VoicemailRow | undefined;
            if (old === undefined) {
              insert.run(row);
              changes.added.push(v.id);
              continue;
            }
            // A pending local change the server now agrees with is done; one it disagrees with stays queued.
            const pending = old.read_pending === null || old.read_pending === row.server_read ? null : old.read_pending;
            update.run({ ...row, read_pending: pending });
            if (old.gone_at !== null) changes.returned.push(v.id);
            if (old.server_read !== row.server_read || old.keep !== row.keep || old.expires !== row.expires) changes.updated.push(v.id);
          }
          this.markUnlisted('voicemails', listed, at, changes.gone);
          return changes;
        })
        .immediate(),
    );
  }

  recordGreetingListing(items: ListedObject<Greeting>[], alsoPresent: string[], at: number): ListingChanges {
    return guarded('update the library', this.dbPath, () =>
      this.db
        .transaction((): ListingChanges => {
          const changes: ListingChanges = { added: [], updated: [], gone: [], returned: [] };
          const get = this.db.prepare('SELECT * FROM greetings WHERE id = ?');
          const insert = this.db.prepare(`INSERT INTO greetings (id, date, duration, active, type, subject, size, filename, payload_path, first_seen, last_seen)
            VALUES (@id, @date, @duration, @active, @type, @subject, @size, @filename, @payload_path, @at, @at)`);
          const update = this.db.prepare(`UPDATE greetings SET date = @date, duration = @duration, active = @active, type = @type, subject = @subject, size = @size, filename = @filename,
            payload_path = @payload_path, last_seen = @at, gone_at = NULL, sha256 = CASE WHEN size = @size THEN sha256 ELSE NULL END WHERE id = @id`);
          const listed = new Set<string>(alsoPresent);
          for (const { item: g, payloadPath } of items) {
            listed.add(g.id);
            const row = { id: g.id, date: g.date, duration: g.duration, active: g.active ? 1 : 0, type: g.type, subject: g.subject, size: g.size, filename: g.filename, payload_path: payloadPath, at };
            const old = get.get(g.id) as GreetingRow | undefined;
            if (old === undefined) {
              insert.run(row);
              changes.added.push(g.id);
              continue;
            }
            update.run(row);
            if (old.gone_at !== null) changes.returned.push(g.id);
            if (old.active !== row.active) changes.updated.push(g.id);
          }
          this.markUnlisted('greetings', listed, at, changes.gone);
          return changes;
        })
        .immediate(),
    );
  }

  /** Marks gone at `at` every row of `table` the server no longer lists (not in `listed`), adding its id to `gone`. */
  private markUnlisted(table: 'voicemails' | 'greetings', listed: Set<string>, at: number, gone: string[]): void {
    const present = this.db.prepare(`SELECT id FROM ${table} WHERE gone_at IS NULL`).all() as { id: string }[];
    // A voicemail's queued read change has nothing left to go to once the server no longer has it.
    const markGone = this.db.prepare(table === 'voicemails' ? 'UPDATE voicemails SET gone_at = ?, read_pending = NULL WHERE id = ?' : 'UPDATE greetings SET gone_at = ? WHERE id = ?');
    for (const { id } of present) {
      if (listed.has(id)) continue;
      markGone.run(at, id);
      gone.push(id);
    }
  }

  missingPayloads(): MissingPayload[] {
    const vms = this.db.prepare('SELECT id, payload_path, size FROM voicemails WHERE sha256 IS NULL AND gone_at IS NULL ORDER BY date DESC').all() as { id: string; payload_path: string; size: number }[];
    const grs = this.db.prepare('SELECT id, payload_path, size FROM greetings WHERE sha256 IS NULL AND gone_at IS NULL ORDER BY date DESC').all() as { id: string; payload_path: string; size: number }[];
    return [
      ...vms.map((r): MissingPayload => ({ kind: 'voicemail', id: r.id, payloadPath: r.payload_path, size: r.size })),
      ...grs.map((r): MissingPayload => ({ kind: 'greeting', id: r.id, payloadPath: r.payload_path, size: r.size })),
    ];
  }

  async storePayload(kind: 'voicemail' | 'greeting', id: string, bytes: Uint8Array): Promise<string> {
    const sha = sha256Hex(bytes);
    const table = kind === 'voicemail' ? 'voicemails' : 'greetings';
    // File first, durable under its final name (a complete file already there is adopted: names are hashes).
    if (this.files.size(sha) !== bytes.length) await this.files.writeAsync(sha, bytes);
    return guarded('store a voicemail in the library', this.files.path(sha), () =>
      this.db
        .transaction(() => {
          const exists = this.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id);
          if (exists === undefined) throw new RangeError(`no ${kind} ${id.slice(0, 80)} in the library`);
          // Re-checked under the write lock: a recovery sweep in another process may have taken it.
          if (this.files.size(sha) !== bytes.length) this.files.write(sha, bytes);
          const known = this.db.prepare('SELECT size FROM payloads WHERE sha256 = ?').get(sha) as { size: number } | undefined;
          if (known === undefined || known.size !== bytes.length) {
            this.db.prepare('INSERT OR REPLACE INTO payloads (sha256, size, stored_at) VALUES (?, ?, ?)').run(sha, bytes.length, Date.now());
          }
          this.db.prepare(`UPDATE ${table} SET sha256 = ? WHERE id = ?`).run(sha, id);
          return sha;
        })
        .immediate(),
    );
  }

  pendingReadChanges(): { id: string; read: boolean }[] {
    const rows = this.db.prepare('SELECT id, read_pending FROM voicemails WHERE read_pending IS NOT NULL AND gone_at IS NULL ORDER BY date DESC').all() as { id: string; read_pending: number }[];
    return rows.map((r) => ({ id: r.id, read: r.read_pending === 1 }));
  }

  confirmServerRead(changes: { id: string; read: boolean }[]): void {
    guarded('update the library', this.dbPath, () =>
      this.db
        .transaction(() => {
          const st = this.db.prepare('UPDATE voicemails SET server_read = @r, read_pending = CASE WHEN read_pending = @r THEN NULL ELSE read_pending END WHERE id = @id');
          for (const c of changes) st.run({ id: c.id, r: c.read ? 1 : 0 });
        })
        .immediate(),
    );
  }

  recordServerDeleted(ids: string[], at: number): void {
    guarded('update the library', this.dbPath, () =>
      this.db
        .transaction(() => {
          for (const t of ['voicemails', 'greetings']) {
            const st = this.db.prepare(`UPDATE ${t} SET gone_at = ?${t === 'voicemails' ? ', read_pending = NULL' : ''} WHERE id = ? AND gone_at IS NULL`);
            for (const id of ids) st.run(at, id);
          }
        })
        .immediate(),
    );
  }

  recordSync(at: number): void {
    guarded('update the library', this.dbPath, () => this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('lastSyncAt', ?)").run(String(at)));
  }

  listVoicemails(q: VoicemailQuery = {}): LibraryVoicemail[] {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    if (q.search !== undefined) {
      const m = ftsQuery(q.search);
      if (m === null) return [];
      where.push('v.rowid IN (SELECT rowid FROM voicemails_fts WHERE voicemails_fts MATCH @match)');
      params.match = m;
    }
    if (q.ids !== undefined) {
      if (q.ids.length === 0) return [];
      where.push('v.id IN (SELECT value FROM json_each(@ids))');
      params.ids = JSON.stringify(q.ids);
    }
    if (q.since !== undefined) {
      where.push('v.date >= @since');
      params.since = isoBound(q.since);
    }
    if (q.until !== undefined) {
      where.push('v.date < @until');
      params.until = isoBound(q.until);
    }
    if (q.caller !== undefined) {
      where.push('v.caller = @caller');
      params.caller = q.caller.replace(/^\+/, '');
    }
    if (q.goneFromServer !== undefined) where.push(q.goneFromServer ? 'v.gone_at IS NOT NULL' : 'v.gone_at IS NULL');
    if (q.unread !== undefined) where.push(`coalesce(v.read_pending, v.server_read) = ${q.unread ? 0 : 1}`);
    const limit = q.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(q.limit))}` : '';
    const sql = `SELECT v.* FROM voicemails v${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY v.date DESC, v.rowid DESC${limit}`;
    return (this.db.prepare(sql).all(params) as VoicemailRow[]).map(toVoicemail);
  }

  getVoicemail(id: string): LibraryVoicemail | null {
    const r = this.db.prepare('SELECT * FROM voicemails WHERE id = ?').get(id) as VoicemailRow | undefined;
    return r === undefined ? null : toVoicemail(r);
  }

  listGreetings(opts: { includeGone?: boolean } = {}): LibraryGreeting[] {
    const sql = `SELECT * FROM greetings${opts.includeGone === false ? ' WHERE gone_at IS NULL' : ''} ORDER BY date DESC, rowid DESC`;
    return (this.db.prepare(sql).all() as GreetingRow[]).map(toGreeting);
  }

  readPayload(sha256: string): Uint8Array | null {
    const known = this.db.prepare('SELECT 1 FROM payloads WHERE sha256 = ?').get(sha256);
    return known === undefined ? null : this.files.read(sha256);
  }

  hasPayload(sha256: string, full = false): boolean {
    const known = this.db.prepare('SELECT size FROM payloads WHERE sha256 = ?').get(sha256) as { size: number } | undefined;
    if (known === undefined || this.files.size(sha256) !== known.size) return false;
    return !full || this.files.read(sha256) !== null;
  }

  payloadFile(sha256: string): string | null {
    return this.hasPayload(sha256) ? this.files.path(sha256) : null;
  }

  stats(): LibraryStats {
    const v = this.db
      .prepare(`SELECT count(*) AS n, coalesce(sum(coalesce(read_pending, server_read) = 0), 0) AS unread, coalesce(sum(sha256 IS NOT NULL), 0) AS stored,
        coalesce(sum(gone_at IS NOT NULL), 0) AS gone, coalesce(sum(read_pending IS NOT NULL AND gone_at IS NULL), 0) AS pending FROM voicemails`)
      .get() as { n: number; unread: number; stored: number; gone: number; pending: number };
    const g = this.db.prepare('SELECT count(*) AS n FROM greetings').get() as { n: number };
    const last = this.meta('lastSyncAt');
    return { voicemails: v.n, unread: v.unread, stored: v.stored, goneFromServer: v.gone, greetings: g.n, pendingReadChanges: v.pending, lastSyncAt: last === null ? null : Number(last) };
  }

  markRead(ids: string[], read: boolean): void {
    guarded('update the library', this.dbPath, () =>
      this.db
        .transaction(() => {
          // Equal to what the server has: nothing to send (and an earlier opposite change is undone).
          const st = this.db.prepare('UPDATE voicemails SET read_pending = CASE WHEN server_read = @r OR gone_at IS NOT NULL THEN NULL ELSE @r END WHERE id = @id');
          for (const id of ids) st.run({ id, r: read ? 1 : 0 });
        })
        .immediate(),
    );
  }

  setNotes(id: string, notes: string): void {
    guarded('update the library', this.dbPath, () => this.db.prepare('UPDATE voicemails SET notes = ? WHERE id = ?').run(notes.slice(0, MAX_NOTES), id));
  }

  setLabels(id: string, labels: string[]): void {
    const clean = [...new Set(labels.map((l) => l.trim().slice(0, MAX_LABEL)).filter((l) => l !== ''))].sort().slice(0, MAX_LABELS);
    guarded('update the library', this.dbPath, () => this.db.prepare('UPDATE voicemails SET labels = ? WHERE id = ?').run(JSON.stringify(clean), id));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens libraries under `<dataDir>/library`. */
export function openLibraryStore(dataDir: string): LibraryStorePort {
  const root = join(dataDir, 'library');
  return {
    open(key: LibraryKey): LibraryPort {
      const dir = join(root, libraryFolderName(key));
      guarded('create the library folder', dir, () => {
        ensurePrivateDir(dataDir);
        ensurePrivateDir(root);
      });
      return new SqliteLibrary(key, dir);
    },
    lines(): LibraryKey[] {
      let names: string[];
      try {
        names = readdirSync(root);
      } catch {
        return [];
      }
      return names.flatMap((n) => {
        const m = /^([0-9A-F]{6,22})_(\d{6,15})$/.exec(n);
        return m ? [{ iccid: m[1] ?? '', msisdn: `+${m[2] ?? ''}` }] : [];
      });
    },
  };
}
