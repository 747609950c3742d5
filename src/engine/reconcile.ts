import { tryGit } from '../git/git.js';
import { parseTrailerLines } from '../git/trailers.js';
import { taskBranch } from './names.js';
import type { CairnEvent } from '../store/events.js';
import type { AttemptRow, Store, TaskRow } from '../store/types.js';

/**
 * Task id → merge commit, for every `Task:` merge on the milestone branch's first-parent line
 * after `since` (the commit the branch started at, so landed merges still count).
 */
export async function mergedTasksOnBranch(
  repo: string,
  milestoneId: string,
  branch: string,
  since: string,
): Promise<Map<string, string>> {
  const format =
    '%H%x1f%(trailers:key=Milestone,valueonly,separator=%x2c)%x1f%(trailers:key=Task,valueonly,separator=%x2c)%x1e';
  const result = await tryGit(repo, [
    'log',
    '--first-parent',
    '--min-parents=2',
    `--format=${format}`,
    `refs/heads/${branch}`,
    '--not',
    since,
    '--',
  ]);
  const merged = new Map<string, string>();
  if (result.code !== 0) return merged;
  for (const record of result.stdout.split('\x1e')) {
    const [commit, milestone, task] = record.trim().split('\x1f');
    if (!commit || !task || milestone?.trim() !== milestoneId) continue;
    // Newest first: keep the first sighting, which is the latest merge of that task.
    if (!merged.has(task.trim())) merged.set(task.trim(), commit);
  }
  return merged;
}

export type ResumePoint = { kind: 'merge'; head: string } | { kind: 'check-only' } | { kind: 'keep' };

/**
 * Task id → attempt number, for unfinished tasks whose branch head is Cairn's own commit of an
 * attempt's finished work (trailers `Task`, `Progress: 100%`, `Attempt`): a run killed between
 * that commit and journaling it must not start the agent again.
 */
export async function finishedWorkOnBranches(
  repo: string,
  milestoneId: string,
  tasks: TaskRow[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const unfinished = new Set(
    tasks
      .filter((task) => task.attempts > 0 && !['done', 'skipped', 'failed'].includes(task.state))
      .map((task) => task.id),
  );
  if (unfinished.size === 0) return found;
  // One call for every task branch: a resumed run of a large milestone must not pay per task.
  // (One trailers atom only: git 2.39's for-each-ref mixes up the keys of several.)
  const prefix = taskBranch(milestoneId, '');
  const result = await tryGit(repo, [
    'for-each-ref',
    '--format=%(trailers:only,unfold)%1e',
    `refs/heads/${prefix}*`,
  ]);
  if (result.code !== 0) return found;
  for (const record of result.stdout.split('\x1e')) {
    const trailers = parseTrailerLines(record);
    const id = trailers.get('Task') ?? '';
    const attempt = trailers.get('Attempt');
    if (unfinished.has(id) && trailers.get('Progress') === '100%' && attempt) found.set(id, Number(attempt));
  }
  return found;
}

/** Where an unfinished task picks up, judged from its attempts and its branch. */
function resumePointOf(
  task: TaskRow,
  last: AttemptRow | undefined,
  finishedAttempt: AttemptRow | undefined,
): ResumePoint | undefined {
  // A person's `cairn retry` or `cairn unblock` says how to start; it wins over the journal.
  if (task.resume === 'check-only') return { kind: 'check-only' };
  if (task.resume === 'fresh') return undefined;
  if (!last) return undefined;
  if (last.state === 'succeeded' && last.head) return { kind: 'merge', head: last.head };
  // The branch holds an attempt's finished commit, and that attempt did not fail its checks.
  if (finishedAttempt && finishedAttempt.state !== 'failed') return { kind: 'check-only' };
  // Committed but not (fully) checked: the agent's part is done, only acceptance is owed.
  if ((last.state === 'checking' || last.state === 'interrupted') && last.head) return { kind: 'check-only' };
  if (last.state === 'running' || last.state === 'interrupted') return { kind: 'keep' };
  return undefined;
}

/**
 * Makes the journal agree with git before a run starts: a task merged on the branch is
 * done whatever the journal says; a task the journal calls done whose merge is gone is
 * requeued; what a dead run left running or merging is pending again. Failed tasks and tasks
 * blocked by a conflict stay so until a person acts (`cairn retry|skip|unblock`).
 * Returns the notices to show and where each interrupted task resumes.
 */
export function reconcileWithGit(
  store: Store,
  milestoneId: string,
  merged: Map<string, string>,
  finishedWork: Map<string, number> = new Map(),
): { notices: string[]; resume: Map<string, ResumePoint> } {
  const events: CairnEvent[] = [];
  const notices: string[] = [];
  const resume = new Map<string, ResumePoint>();
  const last = new Map<string, AttemptRow>();
  const byNumber = new Map<string, AttemptRow>();
  for (const attempt of store.attempts(milestoneId)) {
    last.set(attempt.task, attempt);
    byNumber.set(`${attempt.task}#${attempt.attempt}`, attempt);
    if (attempt.state === 'running' || attempt.state === 'checking') {
      events.push({
        type: 'attempt.ended',
        milestone: milestoneId,
        task: attempt.task,
        attempt: attempt.attempt,
        outcome: 'interrupted',
        exitCode: null,
        signal: null,
        reason: 'the run that started it ended first',
      });
    }
  }
  for (const task of store.tasks(milestoneId)) {
    // A merge the task was requeued after no longer counts as the task's.
    const found = merged.get(task.id);
    const commit = found !== undefined && found !== task.superseded ? found : undefined;
    if (commit) {
      if (task.state !== 'done' || task.merge_commit !== commit) {
        events.push({
          type: 'task.merged',
          milestone: milestoneId,
          task: task.id,
          commit,
          head: task.head_commit ?? commit,
        });
        if (task.state !== 'done') {
          notices.push(
            `${task.id}: its merge ${commit.slice(0, 10)} is on the milestone branch; marked done`,
          );
        }
      }
      continue;
    }
    if (task.state === 'done') {
      notices.push(`${task.id}: its merge is no longer on the milestone branch; it goes back to the queue`);
      events.push({
        type: 'task.state',
        milestone: milestoneId,
        task: task.id,
        state: 'pending',
        reason: 'merge removed from the milestone branch',
      });
      continue;
    }
    if (task.state === 'skipped' || task.state === 'failed') continue;
    // Blocked by a conflict waits for a person; blocked only by a failed dependency is re-judged.
    if (task.state === 'blocked' && !task.blocked_by) continue;
    const finished = finishedWork.get(task.id);
    const point = resumePointOf(
      task,
      last.get(task.id),
      finished === undefined ? undefined : byNumber.get(`${task.id}#${finished}`),
    );
    if (point) resume.set(task.id, point);
    if (task.state !== 'pending') {
      events.push({ type: 'task.state', milestone: milestoneId, task: task.id, state: 'pending' });
    }
  }
  if (events.length > 0) store.append(events);
  return { notices, resume };
}
