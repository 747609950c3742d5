import type { CairnEvent } from '../../store/events.js';
import type { MilestoneRow, TaskRow } from '../../store/types.js';
import type { MilestoneInGit } from './milestones.js';

export interface SyncPlan {
  events: CairnEvent[];
  /** Tasks git shows merged that the journal is now told about, in merge order. */
  merged: string[];
  landed: boolean;
}

/**
 * The events that make the journal agree with git for one milestone: all of it (plan, branch,
 * merges, landing) when the journal does not know the milestone, otherwise only what it lacks.
 * Tasks git does not show merged are left as they are (pending after a rebuild), so the next
 * `cairn run` runs exactly those.
 */
export function syncEvents(
  milestone: MilestoneInGit,
  journal: { row: MilestoneRow | undefined; tasks: TaskRow[] },
): SyncPlan {
  const history = milestone.history;
  if (!history) return { events: [], merged: [], landed: false };
  const { row } = journal;
  const id = milestone.id;
  const events: CairnEvent[] = [];
  if (!row) {
    events.push({
      type: 'milestone.planned',
      milestone: id,
      title: milestone.title,
      branch: history.branch,
      base: milestone.base,
      specFile: milestone.specFile,
      tasks: milestone.tasks,
    });
  }
  if (!row?.start_commit) {
    events.push({ type: 'milestone.branched', milestone: id, branch: history.branch, start: history.start });
  }
  // A known milestone's journal has its own task list; a new one gets the spec's.
  const journaled = row ? new Map(journal.tasks.map((task) => [task.id, task])) : undefined;
  const planned = new Set(milestone.tasks.map((task) => task.id));
  const merged: string[] = [];
  for (const merge of history.merges) {
    if (!(journaled ? journaled.has(merge.task) : planned.has(merge.task))) continue;
    const current = journaled?.get(merge.task);
    if (current?.state === 'done' && current.merge_commit === merge.commit) continue;
    events.push({
      type: 'task.merged',
      milestone: id,
      task: merge.task,
      commit: merge.commit,
      head: merge.head,
    });
    merged.push(merge.task);
  }
  const landed = history.landed !== undefined && row?.state !== 'landed';
  if (landed) events.push({ type: 'milestone.landed', milestone: id, commit: history.landed! });
  return { events, merged, landed };
}
