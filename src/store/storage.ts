import type Database from 'better-sqlite3';

// The WAL grows to about this much before its pages are checkpointed into the main file.
// Checkpoints cost an fsync each; fewer, larger ones keep the per-transaction cost of the journal
// low. Durability does not depend on them.
const CHECKPOINT_BYTES = 40 * 1024 * 1024;

/**
 * The state database's storage, as every connection to it sets it up: WAL mode, and checkpoints
 * by size. A new file gets 1 KiB pages: each transaction of the journal dirties several B-tree
 * pages, each written whole to the WAL and flushed again at the next checkpoint, and the journal's
 * rows are small, so smaller pages write about a third of the bytes. A file that exists keeps
 * its page size (SQLite fixes it once the file has content or is in WAL mode).
 */
export function useWal(db: Database.Database): void {
  db.pragma('page_size = 1024');
  switchToWal(db);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${Math.round(CHECKPOINT_BYTES / pageSize)}`);
}

/**
 * `journal_mode = WAL`, retried while another process does the same: two connections opening a
 * new file at once both hold a shared lock and want an exclusive one, so SQLite answers one of
 * them SQLITE_BUSY at once instead of waiting (a deadlock the busy timeout cannot resolve).
 */
function switchToWal(db: Database.Database): void {
  for (let attempt = 1; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') || attempt >= 100) throw error;
      sleepSync(10 + Math.floor(Math.random() * 20));
    }
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
