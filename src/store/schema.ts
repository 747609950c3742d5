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
  // The message bus and the shared context (src/bus; docs/coordination.md). Times are epoch ms.
  `
  CREATE TABLE bus_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    milestone TEXT NOT NULL,
    type TEXT NOT NULL,
    sender TEXT NOT NULL,
    address TEXT NOT NULL,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    class TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    lease_ms INTEGER NOT NULL,
    deliver_after INTEGER NOT NULL,
    lease_until INTEGER,
    deadline INTEGER,
    reply_to INTEGER,
    idem_key TEXT,
    late INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    sent_at INTEGER NOT NULL,
    acked_at INTEGER
  );
  CREATE INDEX bus_inbox ON bus_messages (milestone, recipient, state, priority DESC, id);
  CREATE INDEX bus_leased ON bus_messages (milestone, lease_until) WHERE state = 'delivered';
  CREATE INDEX bus_replies ON bus_messages (reply_to) WHERE reply_to IS NOT NULL;
  CREATE INDEX bus_dead ON bus_messages (milestone, state, type);
  CREATE UNIQUE INDEX bus_idempotency ON bus_messages (milestone, sender, idem_key, recipient)
    WHERE idem_key IS NOT NULL;
  CREATE TABLE bus_subscriptions (
    milestone TEXT NOT NULL,
    channel TEXT NOT NULL,
    member TEXT NOT NULL,
    since INTEGER NOT NULL,
    PRIMARY KEY (milestone, channel, member)
  );
  CREATE TABLE bus_breakers (
    milestone TEXT NOT NULL,
    recipient TEXT NOT NULL,
    breaker TEXT NOT NULL,
    PRIMARY KEY (milestone, recipient)
  );
  CREATE TABLE bus_alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    milestone TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    task TEXT,
    message TEXT NOT NULL,
    source INTEGER,
    raised_at INTEGER NOT NULL,
    resolved_at INTEGER
  );
  CREATE INDEX bus_open_alerts ON bus_alerts (milestone, kind, task) WHERE resolved_at IS NULL;
  CREATE TABLE ctx_keys (
    milestone TEXT NOT NULL,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    policy TEXT NOT NULL,
    version INTEGER NOT NULL,
    issued TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (milestone, scope, key)
  );
  CREATE TABLE ctx_versions (
    milestone TEXT NOT NULL,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    writer TEXT NOT NULL,
    clock TEXT NOT NULL,
    value TEXT,
    outcome TEXT NOT NULL,
    current INTEGER NOT NULL,
    written_at INTEGER NOT NULL,
    PRIMARY KEY (milestone, scope, key, version)
  );
  CREATE INDEX ctx_current ON ctx_versions (milestone, scope, key) WHERE current = 1;
  CREATE TABLE ctx_reads (
    milestone TEXT NOT NULL,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    reader TEXT NOT NULL,
    version INTEGER NOT NULL,
    clock TEXT NOT NULL,
    read_at INTEGER NOT NULL,
    PRIMARY KEY (milestone, scope, key, reader)
  );
  `,
  // Indexes over only the rows a query looks for: a message's state changes twice on its way
  // (delivered, acked), and each index holding the state paid for both.
  `
  DROP INDEX bus_inbox;
  DROP INDEX bus_dead;
  CREATE INDEX bus_pending ON bus_messages (milestone, recipient, priority DESC, id) WHERE state = 'pending';
  CREATE INDEX bus_dead ON bus_messages (milestone, id) WHERE state = 'dead';
  `,
  // One small partial index per event type read on its own (plans, merges, snapshots, pull
  // requests, tuning, hand-made commits): the frequent events pay no index write for them.
  `
  DROP INDEX events_by_type;
  CREATE INDEX events_planned ON events (milestone, seq) WHERE type = 'milestone.planned';
  CREATE INDEX events_merged ON events (milestone, seq) WHERE type = 'task.merged';
  CREATE INDEX events_snapshots ON events (milestone, seq) WHERE type = 'progress.snapshot';
  CREATE INDEX events_prs ON events (milestone, seq) WHERE type = 'milestone.pr';
  CREATE INDEX events_tuned ON events (milestone, seq) WHERE type = 'run.tuned';
  CREATE INDEX events_recorded ON events (milestone, seq) WHERE type = 'commit.recorded';
  `,
  // What the file monitor saw in each attempt's worktree (JSON: files, kinds, significance, lines).
  `
  ALTER TABLE attempts ADD COLUMN activity TEXT;
  `,
  // Best-effort messages nobody listened to, counted instead of kept one row each: the
  // orchestrator's progress updates. Earlier drops stay rows in bus_messages; readers add both.
  `
  CREATE TABLE bus_dropped (
    milestone TEXT NOT NULL,
    address TEXT NOT NULL,
    type TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (milestone, address, type)
  ) WITHOUT ROWID;
  `,
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
