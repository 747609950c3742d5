import type { RepoPaths } from '../../git/repo.js';
import type { Store } from '../../store/types.js';
import { readDiffStat } from './diff-stat.js';
import { readMessagesSafely } from './messages-view.js';
import type { MilestoneView, TaskDetail } from './model.js';

/** A task's page: its row, who waits on it, its attempts, what it changed. */
export async function readTaskDetail(
  repo: RepoPaths,
  store: Store | undefined,
  view: MilestoneView,
  id: string,
): Promise<TaskDetail | undefined> {
  const task = view.tasks.find((t) => t.id === id);
  if (!task) return undefined;
  const known = store?.milestone(view.header.id) !== undefined;
  return {
    milestone: view.header.id,
    task,
    dependents: view.tasks.filter((t) => t.depends_on.includes(id)).map((t) => t.id),
    attempts: view.attempts.filter((a) => a.task === id),
    diff: known
      ? await readDiffStat(repo.root, view.header, task)
      : { ref: null, files: [], note: 'the milestone has not run yet' },
    messages: known
      ? readMessagesSafely(repo.stateDir, view.header.id, id)
      : {
          available: false,
          note: 'No messages: the milestone has not run yet.',
          inbox: [],
          dead: [],
          context: [],
        },
  };
}
