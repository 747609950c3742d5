import type { Candidate } from './choose.js';
import { scoreCheckpoint } from './score.js';
import type { Checkpoint, CheckpointTask, CheckpointValidation } from './types.js';

/** Small builders for the pure checkpoint tests. */
export function task(
  id: string,
  state: CheckpointTask['state'] = 'done',
  extra: Partial<CheckpointTask> = {},
) {
  return {
    id,
    state,
    attempts: 1,
    mergeCommit: state === 'done' ? `m-${id}` : null,
    branchHead: `h-${id}`,
    worktree: 'clean' as const,
    ...extra,
  };
}

export function checkpoint(id: number, tasks: CheckpointTask[], extra: Partial<Checkpoint> = {}): Checkpoint {
  return {
    id,
    milestone: '001',
    seq: id * 10,
    reason: 'task-merged',
    createdAt: '2024-01-01T00:00:00.000Z',
    content: { version: 1, branch: 'milestone/001-x', milestoneHead: `head-${id}`, tasks, running: [] },
    ...extra,
  };
}

export const valid: CheckpointValidation = { missingCommits: [], commitsChecked: 4, head: 'ancestor' };

export function candidate(
  cp: Checkpoint,
  validation: CheckpointValidation = valid,
  eventsAfter = 0,
  specTasks = ['a', 'b', 'c'],
): Candidate {
  return {
    checkpoint: cp,
    validation,
    score: scoreCheckpoint({ checkpoint: cp, validation, specTasks, eventsAfter }),
    tasksDone: cp.content.tasks.filter((t) => t.state === 'done').length,
    eventsAfter,
  };
}
