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
import { afterEach, describe, expect, it } from 'vitest';
import { guardStore, openCheckedStore, StateDamagedError } from './open-checked.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function database(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-checked-'));
  dirs.push(dir);
  const file = path.join(dir, 'state.db');
  const store = openSqliteStore(file);
  const tasks = Array.from({ length: 30 }, (_, i) => ({ id: `t${i}`, title: `Task ${i}`, agent: 'x' }));
  for (let i = 0; i < 100; i++) {
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

function damageOf(open: () => Store): StateDamagedError {
  try {
    open().close();
  } catch (error) {
    if (error instanceof StateDamagedError) return error;
    throw error;
  }
  throw new Error('expected the store to refuse a damaged database');
}

describe('openCheckedStore', () => {
  it('opens a sound database and a missing one (a fresh start)', () => {
    const file = database();
    const store = openCheckedStore(file);
    expect(store.milestone('001')?.title).toBe('M');
    store.close();
    const fresh = openCheckedStore(path.join(path.dirname(file), 'new.db'));
    expect(fresh.milestones()).toEqual([]);
    fresh.close();
  });

  it('refuses a truncated file with exit 2 and a hint to run doctor --repair', () => {
    const file = database();
    truncateSync(file, 100);
    const error = damageOf(() => openCheckedStore(file));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('E_STATE_DAMAGED');
    expect(error.message).toContain(`the state database ${file} is damaged: it is truncated`);
    expect(error.hint).toContain('cairn doctor --repair');
  });

  it('refuses random bytes in the middle (quick_check), and a file that is not a database', () => {
    const file = database();
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(size / 2) - 2048);
    closeSync(fd);
    expect(damageOf(() => openCheckedStore(file)).reason).toMatch(/quick_check failed/);
    writeFileSync(file, Buffer.alloc(8192, 1));
    expect(damageOf(() => openCheckedStore(file)).reason).toMatch(/not a SQLite database/);
  });

  it('refuses a database whose write-ahead log was removed, without touching the evidence', () => {
    const file = database();
    writeFileSync(`${file}-shm`, Buffer.alloc(32_768));
    expect(damageOf(() => openCheckedStore(file)).reason).toMatch(/write-ahead log/);
    // Still there for `cairn doctor` to see.
    expect(damageOf(() => openCheckedStore(file)).reason).toMatch(/write-ahead log/);
  });
});

describe('guardStore', () => {
  it('turns a corruption error from any store call into StateDamagedError and passes others through', () => {
    const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const throwing = (error: Error) => () => {
      throw error;
    };
    const store = guardStore(
      { milestones: throwing(corrupt), tasks: throwing(busy) } as unknown as Store,
      '/x/state.db',
    );
    expect(() => store.milestones()).toThrow(StateDamagedError);
    expect(() => store.milestones()).toThrow(/\/x\/state\.db is damaged: database disk image is malformed/);
    expect(() => store.tasks('001')).toThrow(busy);
  });
});
