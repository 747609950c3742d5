import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { LeaseOwner } from './types.js';

const require = createRequire(import.meta.url);

export interface LeaseRow extends LeaseOwner {
  milestone: string;
  acquired_at: number;
  expires_at: number;
}

/** Every milestone lease in a state database, without migrating or otherwise changing it. */
export function readLeases(file: string): LeaseRow[] {
  const BetterSqlite = require('better-sqlite3') as typeof Database;
  const db = new BetterSqlite(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'leases'").get();
    if (!table) return [];
    return db.prepare('SELECT * FROM leases ORDER BY milestone').all() as LeaseRow[];
  } finally {
    db.close();
  }
}
