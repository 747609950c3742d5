import type Database from 'better-sqlite3';

/** Each entry migrates the schema from version `index` to `index + 1`; never edit a shipped one. */
const migrations: string[] = [
  `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    milestone TEXT NOT NULL,
    task TEXT,
    type TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX events_by_milestone ON events (milestone, seq);
  CREATE TABLE milestones (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    branch TEXT NOT NULL,
    base TEXT NOT NULL,
    spec_file TEXT NOT NULL,
    state TEXT NOT NULL,
    start_commit TEXT,
    landed_commit TEXT,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    milestone TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    concurrency INTEGER NOT NULL,
    state TEXT NOT NULL,
    level TEXT,
    health TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT
  );
  CREATE TABLE tasks (
    milestone TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    agent TEXT NOT NULL,
    branch TEXT,
    head_commit TEXT,
    merge_commit TEXT,
    reason TEXT,
    blocked_by TEXT,
    resume TEXT,
    definition TEXT,
    superseded TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (milestone, id)
  );
  CREATE TABLE attempts (
    milestone TEXT NOT NULL,
    task TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    run TEXT NOT NULL,
    agent TEXT NOT NULL,
    state TEXT NOT NULL,
    pid INTEGER,
    log_file TEXT NOT NULL,
    head TEXT,
    exit_code INTEGER,
    signal TEXT,
    reason TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    PRIMARY KEY (milestone, task, attempt)
  );
  CREATE TABLE leases (
    milestone TEXT PRIMARY KEY,
    run TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    started TEXT,
    acquired_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE checkpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    milestone TEXT NOT NULL,
    seq INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    content TEXT NOT NULL
  );
  CREATE INDEX checkpoints_by_milestone ON checkpoints (milestone, id);
  `,
  // Reading one kind of event (progress snapshots, merges) without scanning a long journal.
  `CREATE INDEX events_by_type ON events (milestone, type, seq);`,
];

export const SCHEMA_VERSION = migrations.length;

/** Brings a database to the current schema; refuses one written by a newer Cairn. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `state database schema v${current} is newer than this Cairn (v${SCHEMA_VERSION}); upgrade Cairn`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      // Another process may have migrated while this one waited for the write lock.
      if ((db.pragma('user_version', { simple: true }) as number) > version) return;
      db.exec(migrations[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
