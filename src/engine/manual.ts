import { resolveRepo } from '../git/repo.js';
import { InputError } from '../shared/errors.js';
import type { TaskState } from '../store/events.js';
import type { TaskRow } from '../store/types.js';
import { newRunId, takeLease } from './lease.js';
import { loadMilestone } from './load.js';
import { openStore } from './open-store.js';
import { silentReporter } from './reporter.js';

export type ManualAction = 'retry' | 'skip' | 'unblock';

const allowed: Record<ManualAction, TaskState[]> = {
  retry: ['failed', 'blocked'],
  skip: ['pending', 'ready', 'failed', 'blocked'],
  unblock: ['blocked'],
};

const hints: Record<ManualAction, string> = {
  retry: 'retry works on failed or blocked tasks',
  skip: 'a task that is done or running cannot be skipped',
  unblock: 'unblock works on blocked tasks; use retry for failed ones',
};

/**
 * The manual level of the recovery ladder: a person retries a task (fresh attempt), skips it
 * (its dependents may start), or unblocks it after resolving its conflict on the task branch
 * (its work is checked and merged without the agent). Takes effect on the next `cairn run`.
 */
export async function actOnTask(
  cwd: string,
  milestone: string,
  taskId: string,
  action: ManualAction,
): Promise<TaskRow> {
  const repo = await resolveRepo(cwd);
  const { spec } = loadMilestone(repo.root, milestone, cwd);
  const store = openStore(repo);
  try {
    const release = takeLease(store, spec.id, `${action}-${newRunId()}`, silentReporter);
    try {
      const task = store.tasks(spec.id).find((row) => row.id === taskId);
      if (!task) {
        throw new InputError(
          'E_TASK_NOT_FOUND',
          `milestone ${spec.id} has no task "${taskId}" that has been run`,
          {
            hint: `See the tasks with: cairn status ${spec.id}`,
          },
        );
      }
      if (!allowed[action].includes(task.state)) {
        throw new InputError('E_TASK_STATE', `task ${taskId} is ${task.state}; ${hints[action]}`, {
          hint: `See it with: cairn status ${spec.id}`,
        });
      }
      const reason = `${action} requested`;
      if (action === 'skip') {
        store.append({
          type: 'task.state',
          milestone: spec.id,
          task: taskId,
          state: 'skipped',
          reason: 'skipped by a person',
        });
      } else {
        const start = action === 'unblock' ? 'check-only' : 'fresh';
        store.append({ type: 'task.requeued', milestone: spec.id, task: taskId, start, reason });
      }
      return store.tasks(spec.id).find((row) => row.id === taskId)!;
    } finally {
      release();
    }
  } finally {
    store.close();
  }
}
