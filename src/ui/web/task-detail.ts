import type { RepoPaths } from '../../git/repo.js';
import type { Store } from '../../store/types.js';
import { readDiffStat } from './diff-stat.js';
import type { MessagesView, MilestoneView, TaskDetail } from './model.js';

// The message bus (src/bus) is not part of this version: the panel says so rather than
// showing an empty inbox that could be mistaken for "no one wrote".
const MESSAGES: MessagesView = {
  available: false,
  note: 'No messages: this version of Cairn has no message bus, so agents exchanged none.',
};

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
    messages: MESSAGES,
  };
}
