import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { migrate } from '../store/schema.js';
import { useWal } from '../store/storage.js';

const require = createRequire(import.meta.url);

/**
 * A connection to the state database for the bus and the context, with the store's settings
 * (WAL, NORMAL sync, busy timeout) and its migrations: both live in the same file.
 */
export function openCoordinationDb(file: string): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true });
  const BetterSqlite = require('better-sqlite3') as typeof Database;
  const db = new BetterSqlite(file);
  // First: the pragmas below may wait for another process setting up the same file.
  db.pragma('busy_timeout = 10000');
  useWal(db);
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}

/** Runs `fn` in an IMMEDIATE transaction, or inside the one already open. */
export function inTransaction<T>(db: Database.Database, fn: () => T): T {
  if (db.inTransaction) return fn();
  return db.transaction(fn).immediate();
}
