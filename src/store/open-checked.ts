import { CairnError, EXIT, InputError } from '../shared/errors.js';
import { inspectDbFile, isCorruptionError, probeDatabase } from './db-file.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import type { Store } from './types.js';

/** The state database is damaged on disk: exit 2 with the way out, never a stack trace. */
export class StateDamagedError extends InputError {
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string, cause?: unknown) {
    super('E_STATE_DAMAGED', `the state database ${file} is damaged: ${reason}`, {
      hint: 'Run `cairn doctor` to see what is wrong, then `cairn doctor --repair` to move the damaged file aside and rebuild the state from git (merged tasks stay done).',
      ...(cause === undefined ? {} : { cause }),
    });
    this.file = file;
    this.reason = reason;
  }
}

/** The journal could not be written: the disk is full, or a file size limit was reached. Exit 1. */
export class StateWriteError extends CairnError {
  constructor(file: string, code: string, cause?: unknown) {
    super(
      'E_STATE_WRITE',
      `cannot write the state journal ${file}: the disk is full or a file size limit was reached (${code})`,
      {
        exitCode: EXIT.workFailed,
        hint: 'Free disk space, then run the same command again: every state change journaled before this one is intact (SQLite rolled this one back), and git keeps the agents\u2019 committed work.',
        ...(cause === undefined ? {} : { cause }),
      },
    );
  }
}

/** SQLite's answer when a write could not reach the disk. */
function writeFailureCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') ? code : undefined;
}

// quick_check reads every page (about 1 ms per MiB); beyond this size a damaged page is
// still reported, when a query reaches it, by the guard around every store call.
const QUICK_CHECK_LIMIT = 64 * 1024 * 1024;

function asDamaged(error: unknown, file: string): unknown {
  if (error instanceof StateDamagedError || error instanceof StateWriteError) return error;
  const write = writeFailureCode(error);
  if (write) return new StateWriteError(file, write, error);
  if (!isCorruptionError(error)) return error;
  return new StateDamagedError(file, (error as Error).message, error);
}

/** Every store call, with SQLite corruption errors turned into a StateDamagedError. */
export function guardStore(store: Store, file: string): Store {
  const guarded = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(store)) {
    const method = value as (...args: unknown[]) => unknown;
    guarded[name] = (...args: unknown[]) => {
      try {
        return method(...args);
      } catch (error) {
        throw asDamaged(error, file);
      }
    };
  }
  return guarded as unknown as Store;
}

/**
 * Opens the state database like `openSqliteStore`, but first makes sure it is sound: a file
 * that was truncated, overwritten, or lost its write-ahead log is reported as damaged
 * (exit 2, pointing at `cairn doctor --repair`) instead of failing somewhere in the middle.
 */
export function openCheckedStore(
  file: string,
  options: SqliteStoreOptions & {
    /** false: skip quick_check (readers of a few tables; the guard still reports damage they meet). */
    quickCheck?: boolean;
  } = {},
): Store {
  const state = inspectDbFile(file);
  if (state.kind === 'damaged') throw new StateDamagedError(file, state.reason);
  if (state.kind === 'present' && options.quickCheck !== false && state.size <= QUICK_CHECK_LIMIT) {
    const probe = probeDatabase(file, 'quick_check');
    if (probe.problems.length > 0) {
      const first = (probe.problems[0] ?? '').replace(/\s+/g, ' ').trim();
      throw new StateDamagedError(file, `SQLite's quick_check failed: ${first}`);
    }
  }
  try {
    return guardStore(openSqliteStore(file, options), file);
  } catch (error) {
    throw asDamaged(error, file);
  }
}
