import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { isCorruptionError } from '../../store/db-file.js';
import type { CommitRecord, TypeSource } from './types.js';

const require = createRequire(import.meta.url);

/** Bump when a record's meaning changes (classification rules, fields): the old cache is dropped. */
const FORMAT = 3;
/** Ranges whose list of commits is remembered (the most recently used). */
const RANGES_KEPT = 16;
const BATCH = 2000;
const SOURCES: TypeSource[] = ['conventional', 'heuristic', 'merge'];

export function cacheFile(stateDir: string): string {
  return path.join(stateDir, 'analyze-cache.db');
}

/**
 * Parsed commits keyed by hash. A hash names immutable content, so a record never goes stale when
 * history is rewritten; it only stops being asked for (and `prune` drops it).
 */
/** The commits of a range when its ends resolved to `tips`: with the same tips, the same commits. */
export interface RangeSnapshot {
  tips: string;
  hashes: string[];
}

export interface AnalyzeCache {
  count(): number;
  isEmpty(): boolean;
  /**
   * The records of these commits, still encoded (`decode` them), and the hashes not cached. One
   * query: SQLite walks the list and the index, JavaScript sees only the rows.
   */
  lookup(hashes: string[]): { found: string[]; missing: string[] };
  /** Buffered; written in batches of one transaction each. */
  put(record: CommitRecord): void;
  flush(): void;
  snapshot(key: string): RangeSnapshot | undefined;
  saveSnapshot(key: string, snapshot: RangeSnapshot): void;
  /** Deletes every record whose hash is not in `keep`; returns how many went. */
  prune(keep: Set<string>): number;
  close(): void;
}

export interface OpenedCache {
  cache: AnalyzeCache;
  /** The file was damaged and has been replaced by an empty cache. */
  rebuilt: boolean;
}

/** Opens (or creates) the cache; a damaged file is deleted and created again. */
export function openCache(file: string): OpenedCache {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    return { cache: open(file), rebuilt: false };
  } catch (error) {
    if (!isCorruptionError(error)) throw error;
    removeCacheFile(file);
    return { cache: open(file), rebuilt: true };
  }
}

export function removeCacheFile(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

function open(file: string): AnalyzeCache {
  const BetterSqlite = require('better-sqlite3') as typeof Database;
  const db = new BetterSqlite(file);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    if (db.pragma('user_version', { simple: true }) !== FORMAT) {
      db.exec('DROP TABLE IF EXISTS commits; DROP TABLE IF EXISTS ranges');
      // One encoded column: a row costs one bind and one parse, not twenty-four.
      db.exec('CREATE TABLE commits (hash TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID');
      db.exec(
        'CREATE TABLE ranges (key TEXT PRIMARY KEY, tips TEXT NOT NULL, hashes TEXT NOT NULL, used INTEGER)',
      );
      db.pragma(`user_version = ${FORMAT}`);
    }
    // Reading the table proves the file is a database, not just a header.
    db.prepare('SELECT hash FROM commits LIMIT 1').get();
  } catch (error) {
    db.close();
    throw error;
  }
  return createCache(db);
}

function createCache(db: Database.Database): AnalyzeCache {
  const found = db
    .prepare('SELECT data FROM json_each(?) AS wanted JOIN commits ON commits.hash = wanted.value')
    .pluck();
  const absent = db
    .prepare(
      'SELECT value FROM json_each(?) AS wanted WHERE NOT EXISTS (SELECT 1 FROM commits WHERE hash = wanted.value)',
    )
    .pluck();
  const readRange = db.prepare('SELECT tips, hashes FROM ranges WHERE key = ?');
  const writeRange = db.prepare(
    'INSERT OR REPLACE INTO ranges (key, tips, hashes, used) VALUES (?, ?, ?, ?)',
  );
  const trimRanges = db.prepare(
    `DELETE FROM ranges WHERE key NOT IN (SELECT key FROM ranges ORDER BY used DESC LIMIT ${RANGES_KEPT})`,
  );
  // Same hash, same content: a record already there is left alone.
  const insert = db.prepare('INSERT OR IGNORE INTO commits (hash, data) VALUES (?, ?)');
  const insertAll = db.transaction((records: CommitRecord[]) => {
    for (const record of records) insert.run(record.hash, encode(record));
  });
  let buffer: CommitRecord[] = [];

  const flush = () => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    insertAll(batch);
  };

  return {
    count: () => (db.prepare('SELECT count(*) FROM commits').pluck().get() as number) ?? 0,
    isEmpty: () => db.prepare('SELECT 1 FROM commits LIMIT 1').get() === undefined,
    lookup(hashes) {
      const list = JSON.stringify(hashes);
      const rows = found.all(list) as string[];
      return { found: rows, missing: rows.length === hashes.length ? [] : (absent.all(list) as string[]) };
    },
    snapshot(key) {
      const row = readRange.get(key) as { tips: string; hashes: string } | undefined;
      return row ? { tips: row.tips, hashes: row.hashes === '' ? [] : row.hashes.split('\n') } : undefined;
    },
    saveSnapshot(key, snapshot) {
      db.transaction(() => {
        writeRange.run(key, snapshot.tips, snapshot.hashes.join('\n'), Date.now());
        trimRanges.run();
      })();
    },
    put(record) {
      buffer.push(record);
      if (buffer.length >= BATCH) flush();
    },
    flush,
    prune(keep) {
      const hashes = db.prepare('SELECT hash FROM commits').pluck().all() as string[];
      const gone = hashes.filter((hash) => !keep.has(hash));
      const remove = db.prepare('DELETE FROM commits WHERE hash = ?');
      db.transaction(() => {
        for (const hash of gone) remove.run(hash);
      })();
      return gone.length;
    },
    close: () => db.close(),
  };
}

/** A record without its hash, as a JSON array (robust to any byte in names and trailers). */
function encode(r: CommitRecord): string {
  return JSON.stringify([
    r.parents,
    r.author,
    r.email,
    r.authorTime,
    r.commitTime,
    r.type,
    SOURCES.indexOf(r.source),
    r.agent,
    r.milestone,
    r.task,
    r.binary,
    r.stats,
  ]);
}

/** A cached record; its hash is not stored in it (it is the key), and the analysis does not need it. */
export function decode(data: string, hash = ''): CommitRecord {
  const row = JSON.parse(data) as [
    number,
    string,
    string,
    number,
    number,
    string,
    number,
    string | null,
    string | null,
    string | null,
    number,
    number[],
  ];
  return {
    hash,
    parents: row[0],
    author: row[1],
    email: row[2],
    authorTime: row[3],
    commitTime: row[4],
    type: row[5],
    source: SOURCES[row[6]] ?? 'heuristic',
    agent: row[7],
    milestone: row[8],
    task: row[9],
    binary: row[10],
    stats: row[11],
  };
}
