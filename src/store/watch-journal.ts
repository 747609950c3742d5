import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { CairnEvent, StoredEvent } from './events.js';

const require = createRequire(import.meta.url);

/** A read-only view of the journal for live readers (the web dashboard): what changed since when. */
export interface JournalWatch {
  /** Changes whenever another connection commits (SQLite's `PRAGMA data_version`). */
  version(): number;
  /** The newest event's sequence number (0 for an empty journal). */
  lastSeq(): number;
  /** Events after `seq`, oldest first, at most `limit`; `milestone` narrows them to one. */
  eventsAfter(seq: number, limit: number, milestone?: string): StoredEvent[];
  /** A milestone's newest `limit` events, oldest first. */
  recent(milestone: string, limit: number): StoredEvent[];
  close(): void;
}

/**
 * Opens the state database read-only: it neither migrates nor writes, so watching a journal
 * written by an older (or running) Cairn changes nothing in it.
 */
export function openJournalWatch(file: string): JournalWatch {
  const BetterSqlite = require('better-sqlite3') as typeof Database;
  const db = new BetterSqlite(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 2000');
  const version = db.prepare('PRAGMA data_version').pluck();
  const last = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM events').pluck();
  const after = db.prepare('SELECT seq, at, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
  const afterIn = db.prepare(
    'SELECT seq, at, data FROM events WHERE milestone = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  const newest = db.prepare('SELECT seq, at, data FROM events WHERE milestone = ? ORDER BY seq DESC LIMIT ?');
  type Row = { seq: number; at: string; data: string };
  const toEvent = (row: Row) =>
    ({ ...(JSON.parse(row.data) as CairnEvent), seq: row.seq, at: row.at }) as StoredEvent;
  return {
    version: () => version.get() as number,
    lastSeq: () => last.get() as number,
    eventsAfter(seq, limit, milestone) {
      const rows = (milestone ? afterIn.all(milestone, seq, limit) : after.all(seq, limit)) as Row[];
      return rows.map(toEvent);
    },
    recent: (milestone, limit) => (newest.all(milestone, limit) as Row[]).reverse().map(toEvent),
    close: () => db.close(),
  };
}
