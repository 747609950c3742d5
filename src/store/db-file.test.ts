import { truncateSync, writeFileSync } from 'node:fs';
import { SCHEMA_VERSION } from './schema.js';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectDbFile, isCorruptionError, probeDatabase } from './db-file.js';
import { journaledStateFile, overwriteMiddle, removeTempStateFiles } from './test-state-file.js';

afterEach(removeTempStateFiles);

const database = (events = 200) => journaledStateFile('cairn-dbfile-', { events });

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
