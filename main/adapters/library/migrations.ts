// Numbered schema migrations of the library database. Each entry runs once, in order, in its own
// transaction, and sets PRAGMA user_version to its number; never edit a published entry, add a new one.
//
// Payload files live outside the database (payload-files.ts); `payloads` lists the ones that are complete
// and durable, and a voicemail or greeting row references one only through it.
export const MIGRATIONS: readonly string[] = [
  // 1: the first schema.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE payloads (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size INTEGER NOT NULL CHECK (size >= 0),
    stored_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE voicemails (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    caller TEXT NOT NULL,
    date TEXT NOT NULL,
    expires TEXT,
    duration INTEGER NOT NULL,
    size INTEGER NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    keep INTEGER NOT NULL,
    server_read INTEGER NOT NULL,
    read_pending INTEGER,
    payload_path TEXT NOT NULL,
    sha256 TEXT REFERENCES payloads (sha256),
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    gone_at INTEGER,
    notes TEXT NOT NULL DEFAULT '',
    labels TEXT NOT NULL DEFAULT '[]'
  ) STRICT;
  CREATE INDEX voicemails_date ON voicemails (date);
  CREATE INDEX voicemails_sha ON voicemails (sha256);
  CREATE TABLE greetings (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    date TEXT NOT NULL,
    duration INTEGER NOT NULL,
    active INTEGER NOT NULL,
    type TEXT NOT NULL,
    subject TEXT NOT NULL,
    size INTEGER NOT NULL,
    filename TEXT NOT NULL,
    payload_path TEXT NOT NULL,
    sha256 TEXT REFERENCES payloads (sha256),
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    gone_at INTEGER
  ) STRICT;
  CREATE INDEX greetings_sha ON greetings (sha256);
  -- Search over caller (also without the leading country digit), notes and labels. The index keeps its
  -- own copy, maintained by the triggers below, so it can never disagree with the rows.
  CREATE VIRTUAL TABLE voicemails_fts USING fts5 (caller, notes, labels, tokenize = 'unicode61');
  CREATE TRIGGER voicemails_fts_ai AFTER INSERT ON voicemails BEGIN
    INSERT INTO voicemails_fts (rowid, caller, notes, labels) VALUES (new.rowid, new.caller || ' ' || substr(new.caller, 2), new.notes, new.labels);
  END;
  CREATE TRIGGER voicemails_fts_ad AFTER DELETE ON voicemails BEGIN
    DELETE FROM voicemails_fts WHERE rowid = old.rowid;
  END;
  CREATE TRIGGER voicemails_fts_au AFTER UPDATE OF caller, notes, labels ON voicemails BEGIN
    DELETE FROM voicemails_fts WHERE rowid = old.rowid;
    INSERT INTO voicemails_fts (rowid, caller, notes, labels) VALUES (new.rowid, new.caller || ' ' || substr(new.caller, 2), new.notes, new.labels);
  END;
  `,
];
