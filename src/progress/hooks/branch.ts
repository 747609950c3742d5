import { isSafeMilestoneId, isSafeTaskId } from '../../spec/ids.js';

/** The milestone and task a task branch belongs to. */
export interface TaskBranch {
  milestone: string;
  task: string;
}

const TASK_PREFIX = 'feature/milestone-';
const MILESTONE_PREFIX = 'milestone/';

function checked(milestone: string, task: string): TaskBranch | undefined {
  return isSafeMilestoneId(milestone) && isSafeTaskId(task) ? { milestone, task } : undefined;
}

/**
 * Reads `feature/milestone-<id>-<task>`. Both ids may contain '-', so the split is fixed by a rule:
 * a milestone id of digits (`001`) is read directly; otherwise the longest of `knownMilestones`
 * the branch starts with wins. Undefined for any other branch or unsafe ids.
 */
export function parseTaskBranch(
  branch: string,
  knownMilestones: readonly string[] = [],
): TaskBranch | undefined {
  if (!branch.startsWith(TASK_PREFIX)) return undefined;
  const rest = branch.slice(TASK_PREFIX.length);
  const numeric = /^([0-9]+)-(.+)$/.exec(rest);
  if (numeric?.[1] && numeric[2]) return checked(numeric[1], numeric[2]);
  const known = [...knownMilestones]
    .filter((id) => rest.startsWith(`${id}-`))
    .sort((a, b) => b.length - a.length)[0];
  return known === undefined ? undefined : checked(known, rest.slice(known.length + 1));
}

/** Whether a task branch could name a milestone that only the state database knows (not digits). */
export function needsKnownMilestones(branch: string): boolean {
  return branch.startsWith(TASK_PREFIX) && !/^[0-9]+-./.test(branch.slice(TASK_PREFIX.length));
}

/** `milestone/<id>-<slug>`: Cairn's merge queue owns these branches. */
export function isMilestoneBranch(branch: string): boolean {
  return branch.startsWith(MILESTONE_PREFIX) && branch.length > MILESTONE_PREFIX.length;
}

/** The task branch pattern to suggest for a milestone branch (`feature/milestone-001-<task>`). */
export function taskBranchHint(milestoneBranch: string): string {
  const id = /^milestone\/([0-9]+)-/.exec(milestoneBranch)?.[1] ?? '<id>';
  return `${TASK_PREFIX}${id}-<task>`;
}
