import type { CheckpointRow } from '../../store/types.js';
import type { Checkpoint, CheckpointContent, CheckpointReason } from './types.js';

/** A stored row as a checkpoint; an unreadable content becomes an empty one (scored poor). */
export function parseCheckpoint(row: CheckpointRow): Checkpoint {
  let content: CheckpointContent;
  try {
    content = JSON.parse(row.content) as CheckpointContent;
  } catch {
    content = { version: 1, branch: '', milestoneHead: null, tasks: [], running: [] };
  }
  return {
    id: row.id,
    milestone: row.milestone,
    seq: row.seq,
    reason: row.reason as CheckpointReason,
    createdAt: row.created_at,
    content,
  };
}
