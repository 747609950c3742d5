import type Database from 'better-sqlite3';
import { statement } from './statements.js';
import type { CheckpointRow } from './types.js';

/** How many checkpoints a milestone keeps; older ones are pruned as new ones are written. */
export const CHECKPOINTS_KEPT = 20;

/**
 * Writes a checkpoint covering every event journaled so far for `milestone`, and prunes the
 * oldest beyond CHECKPOINTS_KEPT. `content` is built inside the transaction, so the projection
 * it reads and `seq` describe the same moment.
 */
export function insertCheckpoint(
  db: Database.Database,
  milestone: string,
  reason: string,
  content: () => unknown,
  at: string,
): CheckpointRow {
  const write = db.transaction((): CheckpointRow => {
    const { seq } = statement(db, 'SELECT COALESCE(MAX(seq), 0) AS seq FROM events WHERE milestone = ?').get(
      milestone,
    ) as { seq: number };
    const json = JSON.stringify(content());
    const result = statement(
      db,
      'INSERT INTO checkpoints (milestone, seq, reason, created_at, content) VALUES (?, ?, ?, ?, ?)',
    ).run(milestone, seq, reason, at, json);
    statement(
      db,
      `DELETE FROM checkpoints WHERE milestone = ? AND id NOT IN
         (SELECT id FROM checkpoints WHERE milestone = ? ORDER BY id DESC LIMIT ${CHECKPOINTS_KEPT})`,
    ).run(milestone, milestone);
    return { id: Number(result.lastInsertRowid), milestone, seq, reason, created_at: at, content: json };
  });
  return write.immediate();
}

/** A milestone's checkpoints, oldest first. */
export function selectCheckpoints(db: Database.Database, milestone: string): CheckpointRow[] {
  return statement(db, 'SELECT * FROM checkpoints WHERE milestone = ? ORDER BY id').all(
    milestone,
  ) as CheckpointRow[];
}
