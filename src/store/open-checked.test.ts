import { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardStore, openCheckedStore, StateDamagedError } from './open-checked.js';
import type { Store } from './types.js';
import { journaledStateFile, overwriteMiddle, removeTempStateFiles } from './test-state-file.js';

afterEach(removeTempStateFiles);

const database = () => journaledStateFile('cairn-checked-', { tasks: 30 });

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
    overwriteMiddle(file, 0x5a);
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
