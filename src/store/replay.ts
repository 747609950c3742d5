import Database from 'better-sqlite3';
import type { CairnEvent } from './events.js';
import { projectEvent } from './project.js';
import { migrate } from './schema.js';

type Row = Record<string, unknown>;

/** The projection tables, each with the columns that identify a row. */
const PROJECTIONS: [table: string, key: string[]][] = [
  ['milestones', ['id']],
  ['runs', ['id']],
  ['tasks', ['milestone', 'id']],
  ['attempts', ['milestone', 'task', 'attempt']],
];

interface EventRow {
  seq: number;
  at: string;
  data: string;
}

/** Replays the journal into a fresh in-memory database with the same projection code. */
export function replayJournal(db: Database.Database): Database.Database {
  const fresh = new Database(':memory:');
  migrate(fresh);
  const events = db.prepare('SELECT seq, at, data FROM events ORDER BY seq').iterate() as Iterable<EventRow>;
  fresh.transaction(() => {
    for (const row of events) projectEvent(fresh, JSON.parse(row.data) as CairnEvent, row.at, 'replay');
  })();
  return fresh;
}

function rows(db: Database.Database, table: string, key: string[]): Row[] {
  return db.prepare(`SELECT * FROM ${table} ORDER BY ${key.join(', ')}`).all() as Row[];
}

/** Differences between the stored projections and a replay of the journal, one line each. */
export function projectionDiff(db: Database.Database): string[] {
  const replayed = replayJournal(db);
  const diffs: string[] = [];
  try {
    for (const [table, columns] of PROJECTIONS) {
      const keyOf = (row: Row) => columns.map((col) => String(row[col])).join('/');
      const stored = new Map(rows(db, table, columns).map((row) => [keyOf(row), row]));
      const again = new Map(rows(replayed, table, columns).map((row) => [keyOf(row), row]));
      for (const [k, row] of stored) {
        const other = again.get(k);
        if (!other) {
          diffs.push(`${table} ${k}: in the database, not in the replay: ${JSON.stringify(row)}`);
          continue;
        }
        for (const col of Object.keys(row)) {
          if (row[col] !== other[col]) {
            diffs.push(
              `${table} ${k}.${col}: stored ${JSON.stringify(row[col])}, replay ${JSON.stringify(other[col])}`,
            );
          }
        }
      }
      for (const k of again.keys())
        if (!stored.has(k)) diffs.push(`${table} ${k}: in the replay, not in the database`);
    }
  } finally {
    replayed.close();
  }
  return diffs;
}

/**
 * Rebuilds every projection from the journal, in one transaction: the journal is the truth, the
 * projections only a fast view of it. The bus is left as it is: its messages are not views of
 * the journal but were sent, each once, with their event. Returns how many events were replayed.
 */
export function rebuildProjections(db: Database.Database): number {
  let count = 0;
  db.transaction(() => {
    for (const [table] of PROJECTIONS) db.prepare(`DELETE FROM ${table}`).run();
    const events = db.prepare('SELECT seq, at, data FROM events ORDER BY seq').all() as EventRow[];
    for (const row of events) {
      projectEvent(db, JSON.parse(row.data) as CairnEvent, row.at, 'replay');
      count++;
    }
  }).immediate();
  return count;
}
