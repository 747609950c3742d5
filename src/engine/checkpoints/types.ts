import type { TaskState } from '../../store/events.js';

/** Why a checkpoint was taken. */
export type CheckpointReason =
  'task-merged' | 'before-land' | 'interrupted' | 'interval' | 'rollback' | 'repaired';

export type WorktreeState = 'clean' | 'dirty' | 'missing';

export interface CheckpointTask {
  id: string;
  state: TaskState;
  attempts: number;
  mergeCommit: string | null;
  /** The head of the task branch when the checkpoint was taken (null: no branch). */
  branchHead: string | null;
  worktree: WorktreeState;
}

export interface RunningAttempt {
  task: string;
  attempt: number;
  agent: string;
  pid: number | null;
}

/** What a checkpoint records: the projection and the git heads it assumes. */
export interface CheckpointContent {
  version: 1;
  branch: string;
  /** The milestone branch head (null when the branch did not exist yet). */
  milestoneHead: string | null;
  tasks: CheckpointTask[];
  running: RunningAttempt[];
}

export interface Checkpoint {
  id: number;
  milestone: string;
  seq: number;
  reason: CheckpointReason;
  createdAt: string;
  content: CheckpointContent;
}

/** What git says about a checkpoint's heads today. */
export interface CheckpointValidation {
  /** Commits the checkpoint names that no longer exist (`git cat-file -e` fails). */
  missingCommits: string[];
  commitsChecked: number;
  /** How the recorded milestone head relates to the branch head now. */
  head: 'same' | 'ancestor' | 'diverged' | 'missing';
}

export type QualityBand = 'excellent' | 'good' | 'acceptable' | 'poor';

export interface CheckpointScore {
  completeness: number;
  consistency: number;
  confidence: number;
  total: number;
  band: QualityBand;
}
