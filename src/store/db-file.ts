import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';

const require = createRequire(import.meta.url);

/** What the bytes on disk say about a SQLite file, judged before SQLite opens it. */
export type DbFileState =
  | { kind: 'missing' }
  | { kind: 'empty' }
  | { kind: 'damaged'; reason: string }
  | { kind: 'present'; size: number; pageSize: number };

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_SIZE = 100;

function readHeader(file: string): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  const fd = openSync(file, 'r');
  try {
    const read = readSync(fd, header, 0, HEADER_SIZE, 0);
    return header.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function pageSizeOf(header: Buffer): number | undefined {
  const raw = header.readUInt16BE(16);
  const size = raw === 1 ? 65_536 : raw;
  return size >= 512 && size <= 65_536 && (size & (size - 1)) === 0 ? size : undefined;
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Checks a database file without opening it with SQLite: opening would replay or delete the
 * -wal/-shm files and with them the evidence of what happened. The files are looked at one by
 * one, so a process opening or closing the database at that moment can look like damage for an
 * instant; damage lasts, so a verdict of damage is confirmed by looking again.
 */
export function inspectDbFile(file: string): DbFileState {
  let state = inspectOnce(file);
  for (let look = 0; state.kind === 'damaged' && look < 3; look++) {
    sleepSync(25);
    state = inspectOnce(file);
  }
  return state;
}

function inspectOnce(file: string): DbFileState {
  try {
    return inspectFiles(file);
  } catch (error) {
    // Moved or deleted between two looks.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
}

function inspectFiles(file: string): DbFileState {
  if (!existsSync(file)) return { kind: 'missing' };
  const size = statSync(file).size;
  // A crash between creating the file and writing its first page leaves it empty: nothing lost.
  if (size === 0) return { kind: 'empty' };
  const header = readHeader(file);
  const magic = header.subarray(0, MAGIC.length);
  if (!magic.equals(MAGIC.subarray(0, magic.length))) {
    return { kind: 'damaged', reason: 'it is not a SQLite database (its header is overwritten)' };
  }
  if (header.length < HEADER_SIZE) return { kind: 'damaged', reason: `it is truncated to ${size} bytes` };
  const pageSize = pageSizeOf(header);
  if (pageSize === undefined) return { kind: 'damaged', reason: 'its header is damaged (bad page size)' };
  if (size % pageSize !== 0) {
    return { kind: 'damaged', reason: `it is truncated (${size} bytes is not a whole number of pages)` };
  }
  const wal = existsSync(`${file}-wal`);
  // SQLite deletes -shm before -wal when it closes, so -shm without -wal means someone removed the log.
  if (!wal && existsSync(`${file}-shm`)) {
    return {
      kind: 'damaged',
      reason:
        'its write-ahead log (state.db-wal) was removed while state.db-shm remains; recent changes are lost',
    };
  }
  // The page count in the header is trustworthy only when it was written by the same change (offsets 24 and 92).
  const pages = header.readUInt32BE(28);
  const valid = header.readUInt32BE(24) === header.readUInt32BE(92) && pages > 0;
  if (!wal && valid && size < pages * pageSize) {
    return {
      kind: 'damaged',
      reason: `it is truncated (${size} bytes; its header says ${pages} pages of ${pageSize} bytes)`,
    };
  }
  return { kind: 'present', size, pageSize };
}

/** SQLite errors that mean the file's content is damaged, as opposed to locked or missing. */
export function isCorruptionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'))
    return true;
  return /file is not a database|database disk image is malformed/i.test(error.message);
}

export interface DbProbe {
  /** Lines SQLite's check reported; empty when the file is sound. */
  problems: string[];
  /** `PRAGMA user_version`: the schema version Cairn's migrations wrote. */
  schemaVersion: number;
  /** Tables in the schema (0 for a database nothing was written to). */
  tables: number;
}

/** Opens the file (never creating it) and runs `PRAGMA quick_check` or `integrity_check`. */
export function probeDatabase(file: string, check: 'quick_check' | 'integrity_check'): DbProbe {
  const BetterSqlite = require('better-sqlite3') as typeof Database;
  let db: Database.Database | undefined;
  try {
    db = new BetterSqlite(file, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const rows = db.pragma(`${check}(20)`) as Record<string, string>[];
    const problems = rows.map((row) => Object.values(row)[0] ?? '').filter((line) => line !== 'ok');
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const { count } = db
      .prepare("SELECT count(*) AS count FROM sqlite_master WHERE type = 'table'")
      .get() as {
      count: number;
    };
    return { problems, schemaVersion, tables: count };
  } catch (error) {
    if (!isCorruptionError(error)) throw error;
    return { problems: [(error as Error).message], schemaVersion: 0, tables: 0 };
  } finally {
    db?.close();
  }
}
