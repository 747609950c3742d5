import {
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SCHEMA_VERSION } from './schema.js';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectDbFile, isCorruptionError, probeDatabase } from './db-file.js';
import { openSqliteStore } from './sqlite-store.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A closed state database with some journal in it. */
function database(events = 200): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-dbfile-'));
  dirs.push(dir);
  const file = path.join(dir, 'state.db');
  const store = openSqliteStore(file);
  const tasks = Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, title: `Task ${i}`, agent: 'x' }));
  for (let i = 0; i < events; i++) {
    store.append({
      type: 'milestone.planned',
      milestone: '001',
      title: 'M',
      branch: 'b',
      base: 'main',
      specFile: 'f',
      tasks,
    });
  }
  store.close();
  return file;
}

function overwriteMiddle(file: string): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(size / 2) - 2048);
  closeSync(fd);
}

describe('inspectDbFile', () => {
  it('tells missing, empty and present files apart', () => {
    const file = database();
    expect(inspectDbFile(file)).toMatchObject({ kind: 'present', pageSize: 1024 });
    expect(inspectDbFile(`${file}.nope`)).toEqual({ kind: 'missing' });
    writeFileSync(`${file}.empty`, '');
    expect(inspectDbFile(`${file}.empty`)).toEqual({ kind: 'empty' });
  });

  it('reports a file that is not SQLite at all', () => {
    const file = database();
    writeFileSync(file, 'just some text, not a database\n'.repeat(300));
    expect(inspectDbFile(file)).toMatchObject({
      kind: 'damaged',
      reason: expect.stringMatching(/not a SQLite database/),
    });
  });

  it('reports truncation: inside the header, mid-page, and whole pages short of the header count', () => {
    const file = database();
    truncateSync(file, 100);
    expect(inspectDbFile(file)).toMatchObject({
      kind: 'damaged',
      reason: expect.stringMatching(/truncated/),
    });
    truncateSync(file, 50);
    expect(inspectDbFile(file)).toMatchObject({ kind: 'damaged', reason: 'it is truncated to 50 bytes' });
    const other = database();
    truncateSync(other, 4096 * 2);
    expect(inspectDbFile(other)).toMatchObject({
      kind: 'damaged',
      reason: expect.stringMatching(/header says \d+ pages/),
    });
  });

  it('reports a write-ahead log that was removed while its index remains', () => {
    const file = database();
    writeFileSync(`${file}-shm`, Buffer.alloc(32_768));
    expect(inspectDbFile(file)).toMatchObject({
      kind: 'damaged',
      reason: expect.stringMatching(/write-ahead log/),
    });
    writeFileSync(`${file}-wal`, '');
    expect(inspectDbFile(file).kind).toBe('present');
  });
});

describe('probeDatabase', () => {
  it('passes a sound database and reads its schema version', () => {
    const probe = probeDatabase(database(), 'integrity_check');
    expect(probe).toMatchObject({ problems: [], schemaVersion: SCHEMA_VERSION });
    expect(probe.tables).toBeGreaterThan(3);
  });

  it('finds a page overwritten in the middle, which plain queries may never touch', () => {
    const file = database();
    overwriteMiddle(file);
    expect(inspectDbFile(file).kind).toBe('present');
    expect(probeDatabase(file, 'quick_check').problems.length).toBeGreaterThan(0);
    expect(probeDatabase(file, 'integrity_check').problems.length).toBeGreaterThan(0);
  });

  it('turns "not a database" into a problem instead of throwing', () => {
    const file = database();
    writeFileSync(file, Buffer.alloc(8192, 7));
    expect(probeDatabase(file, 'quick_check').problems).toEqual([expect.stringMatching(/not a database/)]);
  });
});

describe('isCorruptionError', () => {
  it('knows SQLite corruption by code or message, and nothing else', () => {
    expect(isCorruptionError(Object.assign(new Error('x'), { code: 'SQLITE_CORRUPT_INDEX' }))).toBe(true);
    expect(isCorruptionError(Object.assign(new Error('x'), { code: 'SQLITE_NOTADB' }))).toBe(true);
    expect(isCorruptionError(new Error('database disk image is malformed'))).toBe(true);
    expect(isCorruptionError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(
      false,
    );
    expect(isCorruptionError('file is not a database')).toBe(false);
  });
});
