import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openCoordinationDb } from '../bus/db.js';
import { openSqliteStore } from './sqlite-store.js';
import { removeTempStateFiles, tempStateFile } from './test-state-file.js';

afterEach(removeTempStateFiles);

const stateFile = () => tempStateFile('cairn-storage-');

function pageSize(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('state database storage', () => {
  it('creates a file with 1 KiB pages, whichever connection comes first', () => {
    const byStore = stateFile();
    openSqliteStore(byStore).close();
    const byBus = stateFile();
    const db = openCoordinationDb(byBus);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(40_960);
    db.close();
    expect([pageSize(byStore), pageSize(byBus)]).toEqual([1024, 1024]);
  });

  it('leaves a file that exists its own page size, with checkpoints of the same size in bytes', () => {
    const file = stateFile();
    const older = new Database(file);
    older.pragma('journal_mode = WAL');
    older.exec('CREATE TABLE kept (x)');
    older.close();
    const store = openSqliteStore(file);
    store.close();
    const db = openCoordinationDb(file);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_240);
    db.close();
    expect(pageSize(file)).toBe(4096);
  });
});
