import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { isCorruptionError } from '../../store/db-file.js';
import { decodeRecord, encodeRecord, type EncodedRecord } from './record-codec.js';
import type { CommitRecord } from './types.js';

const require = createRequire(import.meta.url);

/** Bump when a record's meaning changes (classification rules, fields): the old cache is dropped. */
const FORMAT = 4;
/** Records per stored chunk. */
const CHUNK = 5000;
/** Ranges whose list of commits is remembered (the most recently used). */
const RANGES_KEPT = 16;

export function cacheFile(stateDir: string): string {
  return path.join(stateDir, 'analyze-cache.db');
}

/** A cache whose content does not decode: treated like a damaged file. */
export class CacheDamagedError extends Error {}

export function isCacheDamage(error: unknown): boolean {
  return error instanceof CacheDamagedError || isCorruptionError(error);
}

/** The commits of a range when its ends resolved to `tips`: with the same tips, the same commits. */
export interface RangeSnapshot {
  tips: string;
  hashes: string[];
}

/**
 * Parsed commits keyed by hash. A hash names immutable content, so a record never goes stale when
 * history is rewritten; it only stops being asked for (and `prune` drops it). Records are stored
 * in appended chunks, not a row each: a row per commit means random inserts into a B-tree keyed
 * by hash, and every batch rewrites most of its pages.
 */
export interface AnalyzeCache {
  count(): number;
  isEmpty(): boolean;
  /** Hands over each record whose hash is in `wanted` (once) and deletes it from `wanted`: what remains is missing. */
  read(wanted: Set<string>, onRecord: (record: CommitRecord) => void): void;
  /** Buffered; written a chunk at a time. */
  put(record: CommitRecord): void;
  flush(): void;
  snapshot(key: string): RangeSnapshot | undefined;
  saveSnapshot(key: string, snapshot: RangeSnapshot): void;
  /** Why writing stopped, when it did (the analysis goes on without storing more). */
  writeFailure(): string | undefined;
  /** Keeps only the records whose hash is in `keep`; returns how many went. */
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
      // Checked again inside the write lock: another run may have just created it.
      db.transaction(() => {
        if (db.pragma('user_version', { simple: true }) === FORMAT) return;
        db.exec('DROP TABLE IF EXISTS commits; DROP TABLE IF EXISTS chunks; DROP TABLE IF EXISTS ranges');
        db.exec('CREATE TABLE chunks (id INTEGER PRIMARY KEY, count INTEGER NOT NULL, data TEXT NOT NULL)');
        db.exec(
          'CREATE TABLE ranges (key TEXT PRIMARY KEY, tips TEXT NOT NULL, hashes TEXT NOT NULL, used INTEGER)',
        );
        db.pragma(`user_version = ${FORMAT}`);
      }).immediate();
    }
    // Reading the tables proves the file is a database, not just a header.
    db.prepare('SELECT id FROM chunks LIMIT 1').get();
    db.prepare('SELECT key FROM ranges LIMIT 1').get();
  } catch (error) {
    db.close();
    throw error;
  }
  return createCache(db);
}

function createCache(db: Database.Database): AnalyzeCache {
  const chunks = db.prepare('SELECT data FROM chunks ORDER BY id').pluck();
  const append = db.prepare('INSERT INTO chunks (count, data) VALUES (?, ?)');
  const readRange = db.prepare('SELECT tips, hashes FROM ranges WHERE key = ?');
  const writeRange = db.prepare(
    'INSERT OR REPLACE INTO ranges (key, tips, hashes, used) VALUES (?, ?, ?, ?)',
  );
  const trimRanges = db.prepare(
    `DELETE FROM ranges WHERE key NOT IN (SELECT key FROM ranges ORDER BY used DESC LIMIT ${RANGES_KEPT})`,
  );
  let buffer: EncodedRecord[] = [];
  let failure: string | undefined;

  // A cache that cannot be written (disk full, read-only, locked too long) must not stop the
  // analysis: writing stops and the caller says why. Damage is thrown: the caller rebuilds.
  const write = (action: () => void) => {
    if (failure !== undefined) return;
    try {
      action();
    } catch (error) {
      if (isCorruptionError(error)) throw error;
      failure = error instanceof Error ? error.message : String(error);
    }
  };

  const flush = () => {
    if (buffer.length === 0) return;
    const chunk = buffer;
    buffer = [];
    write(() => append.run(chunk.length, JSON.stringify(chunk)));
  };

  const eachStored = (visit: (entry: unknown) => void) => {
    for (const data of chunks.iterate() as IterableIterator<string>) {
      let entries: unknown;
      try {
        entries = JSON.parse(data);
      } catch {
        throw new CacheDamagedError('a chunk of the analyze cache is not JSON');
      }
      if (!Array.isArray(entries)) throw new CacheDamagedError('a chunk of the analyze cache is not a list');
      for (const entry of entries) visit(entry);
    }
  };

  return {
    count: () => db.prepare('SELECT coalesce(sum(count), 0) FROM chunks').pluck().get() as number,
    isEmpty: () => db.prepare('SELECT 1 FROM chunks LIMIT 1').get() === undefined,
    read(wanted, onRecord) {
      if (wanted.size === 0) return;
      eachStored((entry) => {
        const hash = (entry as unknown[])[0];
        if (typeof hash !== 'string' || !wanted.has(hash)) return;
        const record = decodeRecord(entry);
        if (!record) throw new CacheDamagedError('a record of the analyze cache does not decode');
        wanted.delete(hash);
        onRecord(record);
      });
    },
    put(record) {
      buffer.push(encodeRecord(record));
      if (buffer.length >= CHUNK) flush();
    },
    flush,
    snapshot(key) {
      const row = readRange.get(key) as { tips: string; hashes: string } | undefined;
      return row ? { tips: row.tips, hashes: row.hashes === '' ? [] : row.hashes.split('\n') } : undefined;
    },
    saveSnapshot(key, snapshot) {
      write(() =>
        db.transaction(() => {
          writeRange.run(key, snapshot.tips, snapshot.hashes.join('\n'), Date.now());
          trimRanges.run();
        })(),
      );
    },
    writeFailure: () => failure,
    prune(keep) {
      const kept = new Map<string, unknown>();
      let total = 0;
      eachStored((entry) => {
        total += 1;
        const hash = (entry as unknown[])[0];
        if (typeof hash === 'string' && keep.has(hash)) kept.set(hash, entry);
      });
      const entries = [...kept.values()];
      write(() =>
        db.transaction(() => {
          db.exec('DELETE FROM chunks');
          for (let at = 0; at < entries.length; at += CHUNK) {
            const chunk = entries.slice(at, at + CHUNK);
            append.run(chunk.length, JSON.stringify(chunk));
          }
        })(),
      );
      return total - entries.length;
    },
    close: () => db.close(),
  };
}
