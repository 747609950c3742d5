import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { CairnEvent, StoredEvent } from './events.js';
import { migrate } from './schema.js';
import { useWal } from './storage.js';
import { projectEvent } from './project.js';
import { statement } from './statements.js';
import { projectionDiff, rebuildProjections } from './replay.js';
import { decideLease } from './lease.js';
import { insertCheckpoint, selectCheckpoints } from './checkpoints.js';
import { processStartTicks } from '../shared/proc.js';
import { pidAlive } from '../shared/pid-alive.js';
import type {
  AttemptRow,
  LeaseOwner,
  LeaseResult,
  MilestoneRow,
  RunRow,
  Store,
  TaskRow,
  TaskStateRow,
} from './types.js';

const require = createRequire(import.meta.url);

export interface SqliteStoreOptions {
  now?: () => number;
  isAlive?: (pid: number, started?: string | null) => boolean;
  host?: string;
}

/** Opens (creating if needed) the state database at `file` in WAL mode. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Store {
  mkdirSync(path.dirname(file), { recursive: true });
  const BetterSqlite = require('better-sqlite3') as typeof Database;
  const db = new BetterSqlite(file);
  // First: the pragmas below may wait for another process setting up the same file.
  db.pragma('busy_timeout = 5000');
  useWal(db);
  // NORMAL in WAL mode survives any process crash; a power cut can lose the last
  // transactions, and those are rebuilt from git, which holds every merge itself.
  // CAIRN_JOURNAL_SYNC=off exists only for the journal benchmark's baseline.
  db.pragma(process.env.CAIRN_JOURNAL_SYNC === 'off' ? 'synchronous = OFF' : 'synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const now = options.now ?? Date.now;

  const appendAll = db.transaction((events: CairnEvent[]) => {
    const at = new Date(now()).toISOString();
    const insert = statement(
      db,
      'INSERT INTO events (at, milestone, task, type, data) VALUES (?, ?, ?, ?, ?)',
    );
    for (const event of events) {
      insert.run(at, event.milestone, 'task' in event ? event.task : null, event.type, JSON.stringify(event));
      projectEvent(db, event, at);
    }
  });

  const leaseTx = db.transaction((milestone: string, owner: LeaseOwner, ttlMs: number): LeaseResult => {
    const current = statement(
      db,
      'SELECT run, pid, host, started, expires_at FROM leases WHERE milestone = ?',
    ).get(milestone) as (LeaseOwner & { expires_at: number }) | undefined;
    const decision = decideLease(current, owner, {
      now: now(),
      host: options.host ?? owner.host,
      isAlive: options.isAlive ?? isProcessAlive,
    });
    if (decision.acquired) {
      statement(
        db,
        `INSERT INTO leases (milestone, run, pid, host, started, acquired_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (milestone) DO UPDATE SET run = excluded.run, pid = excluded.pid, host = excluded.host,
           started = excluded.started, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
      ).run(milestone, owner.run, owner.pid, owner.host, owner.started ?? null, now(), now() + ttlMs);
    }
    return decision;
  });

  return {
    append(events) {
      appendAll.immediate(Array.isArray(events) ? events : [events]);
    },
    milestone(id) {
      return statement(db, 'SELECT * FROM milestones WHERE id = ?').get(id) as MilestoneRow | undefined;
    },
    latestRun(milestone) {
      return statement(
        db,
        'SELECT * FROM runs WHERE milestone = ? ORDER BY started_at DESC, rowid DESC LIMIT 1',
      ).get(milestone) as RunRow | undefined;
    },
    milestones() {
      return statement(db, 'SELECT * FROM milestones ORDER BY id').all() as MilestoneRow[];
    },
    tasks(milestone) {
      return statement(db, 'SELECT * FROM tasks WHERE milestone = ? ORDER BY seq').all(
        milestone,
      ) as TaskRow[];
    },
    taskStates(milestone) {
      return statement(
        db,
        'SELECT id, state, attempts, agent FROM tasks WHERE milestone = ? ORDER BY seq',
      ).all(milestone) as TaskStateRow[];
    },
    attempts(milestone) {
      return statement(db, 'SELECT * FROM attempts WHERE milestone = ? ORDER BY task, attempt').all(
        milestone,
      ) as AttemptRow[];
    },
    events(milestone) {
      const rows = statement(db, 'SELECT seq, at, data FROM events WHERE milestone = ? ORDER BY seq').all(
        milestone,
      ) as EventRow[];
      return rows.map(toStoredEvent);
    },
    eventsOfType(milestone, types, options = {}) {
      // Types are written into the SQL (they come from the CairnEvent union, checked here), so
      // SQLite can use the partial index of a single type.
      for (const type of types)
        if (!/^[a-z]+(\.[a-z]+)*$/.test(type)) throw new Error(`bad event type ${type}`);
      const which = types.map((type) => `type = '${type}'`).join(' OR ');
      const order = options.last ? 'ORDER BY seq DESC LIMIT 1' : 'ORDER BY seq';
      const sql = `SELECT seq, at, data FROM events WHERE milestone = ? AND (${which}) ${order}`;
      return (statement(db, sql).all(milestone) as EventRow[]).map(toStoredEvent);
    },
    acquireLease(milestone, owner, ttlMs) {
      return leaseTx.immediate(milestone, owner, ttlMs);
    },
    renewLease(milestone, run, ttlMs) {
      const result = statement(db, 'UPDATE leases SET expires_at = ? WHERE milestone = ? AND run = ?').run(
        now() + ttlMs,
        milestone,
        run,
      );
      return result.changes === 1;
    },
    releaseLease(milestone, run) {
      statement(db, 'DELETE FROM leases WHERE milestone = ? AND run = ?').run(milestone, run);
    },
    addCheckpoint(milestone, reason, content) {
      return insertCheckpoint(db, milestone, reason, content, new Date(now()).toISOString());
    },
    checkpoints(milestone) {
      return selectCheckpoints(db, milestone);
    },
    projectionDiff() {
      return projectionDiff(db);
    },
    rebuildProjections() {
      return rebuildProjections(db);
    },
    close() {
      db.close();
    },
  };
}

/** Whether `pid` runs, and (when its start time is known) is still the same process. */
interface EventRow {
  seq: number;
  at: string;
  data: string;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return { ...(JSON.parse(row.data) as CairnEvent), seq: row.seq, at: row.at } as StoredEvent;
}

export function isProcessAlive(pid: number, started?: string | null): boolean {
  if (started) return processStartTicks(pid) === started;
  return pidAlive(pid);
}
