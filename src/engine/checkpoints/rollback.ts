import { tryGit } from '../../git/git.js';
import { casUpdateBranch, isAncestor, resolveCommit } from '../../git/refs.js';
import { resolveRepo } from '../../git/repo.js';
import { InputError, WorkFailedError } from '../../shared/errors.js';
import type { CairnEvent } from '../../store/events.js';
import type { Store } from '../../store/types.js';
import { newRunId, takeLease } from '../lease.js';
import { loadMilestone } from '../load.js';
import { openStore } from '../open-store.js';
import { mergedTasksOnBranch } from '../reconcile.js';
import { silentReporter } from '../reporter.js';
import { captureCheckpoint } from './capture.js';
import { parseCheckpoint } from './parse.js';

export interface RollbackPlan {
  milestone: string;
  branch: string;
  from: string;
  to: string;
  /** The checkpoint rolled back to, when the target was one. */
  checkpoint: number | null;
  /** Tasks whose merges the move removes, with those merges; they are requeued. */
  removed: { task: string; merge: string }[];
}

export interface RollbackOptions {
  cwd: string;
  milestone: string;
  /** A checkpoint id (`12` or `#12`) or a commit on the branch's first-parent line. */
  to?: string;
  /** Asked with the plan before anything changes; false cancels. */
  confirm: (plan: RollbackPlan) => Promise<boolean>;
}

export type RollbackResult = RollbackPlan & { applied: boolean };

/** Whether `commit` is on the first-parent line of `head` after `start` (or is `start`). */
async function onFirstParentLine(
  root: string,
  head: string,
  start: string,
  commit: string,
): Promise<boolean> {
  if (commit === start || commit === head) return true;
  if (!(await isAncestor(root, start, commit))) return false;
  const line = await tryGit(root, ['rev-list', '--first-parent', head, '--not', start]);
  return line.code === 0 && line.stdout.split('\n').includes(commit);
}

const notOnLine = (what: string, branch: string) =>
  new InputError('E_NOT_ON_BRANCH', `${what} is not on the first-parent line of ${branch}`, {
    hint: `Pick a checkpoint from \`cairn resume <milestone> --explain\` or a commit from \`git log --first-parent ${branch}\`.`,
  });

/** The commit to move back to, and the checkpoint it came from. */
async function resolveTarget(
  root: string,
  store: Store,
  milestone: string,
  branch: string,
  head: string,
  start: string,
  to: string | undefined,
): Promise<{ commit: string; checkpoint: number | null }> {
  const checkpoints = store.checkpoints(milestone).map(parseCheckpoint);
  const id = to === undefined ? undefined : /^#?(\d{1,6})$/.exec(to)?.[1];
  if (to === undefined) {
    // The latest checkpoint before the current head.
    for (const checkpoint of [...checkpoints].reverse()) {
      const commit = checkpoint.content.milestoneHead;
      if (commit && commit !== head && (await onFirstParentLine(root, head, start, commit))) {
        return { commit, checkpoint: checkpoint.id };
      }
    }
    throw new InputError(
      'E_NO_CHECKPOINT',
      `milestone ${milestone} has no checkpoint before the head of ${branch}`,
      {
        hint: 'Name a commit instead: cairn rollback <milestone> --to <commit>',
      },
    );
  }
  if (id !== undefined) {
    const checkpoint = checkpoints.find((candidate) => candidate.id === Number(id));
    if (!checkpoint?.content.milestoneHead) {
      throw new InputError('E_NO_CHECKPOINT', `milestone ${milestone} has no checkpoint #${id}`, {
        hint: `List them with: cairn resume ${milestone} --explain`,
      });
    }
    const commit = checkpoint.content.milestoneHead;
    if (!(await onFirstParentLine(root, head, start, commit)))
      throw notOnLine(`checkpoint #${id}'s head`, branch);
    return { commit, checkpoint: checkpoint.id };
  }
  const commit = await resolveCommit(root, to);
  if (!commit) {
    throw new InputError('E_BAD_REVISION', `"${to}" is neither a checkpoint nor a commit`, {
      hint: `List checkpoints with: cairn resume ${milestone} --explain`,
    });
  }
  if (!(await onFirstParentLine(root, head, start, commit)))
    throw notOnLine(`commit ${commit.slice(0, 12)}`, branch);
  return { commit, checkpoint: null };
}

/**
 * `cairn rollback`: under the milestone's lease, moves the milestone branch back (compare-and-
 * swap) and requeues, for a fresh attempt, the tasks whose merges that removed. Task branches
 * are kept. Nothing changes unless `confirm` agrees.
 */
export async function rollbackMilestone(options: RollbackOptions): Promise<RollbackResult> {
  const repo = await resolveRepo(options.cwd);
  const { spec } = loadMilestone(repo.root, options.milestone, options.cwd);
  const store = openStore(repo);
  try {
    const release = takeLease(store, spec.id, `rollback-${newRunId()}`, silentReporter);
    try {
      const row = store.milestone(spec.id);
      if (!row) {
        throw new InputError('E_NOT_RUN', `milestone ${spec.id} has not been run yet`, {
          hint: `Start it with: cairn run ${spec.id}`,
        });
      }
      if (row.state === 'landed') {
        throw new InputError(
          'E_LANDED',
          `milestone ${spec.id} has already landed; it cannot be rolled back`,
          {
            hint: 'Revert the landed merge on the base branch with git instead.',
          },
        );
      }
      const head = await resolveCommit(repo.root, `refs/heads/${row.branch}`);
      const start = row.start_commit ?? (await resolveCommit(repo.root, spec.base));
      if (!head || !start) {
        throw new WorkFailedError('E_NO_BRANCH', `branch ${row.branch} is missing`, {
          hint: `Run the milestone again to recreate it: cairn run ${spec.id}`,
        });
      }
      const target = await resolveTarget(repo.root, store, spec.id, row.branch, head, start, options.to);
      const removedMerges = await mergedTasksOnBranch(repo.root, spec.id, row.branch, target.commit);
      const plan: RollbackPlan = {
        milestone: spec.id,
        branch: row.branch,
        from: head,
        to: target.commit,
        checkpoint: target.checkpoint,
        removed: [...removedMerges].map(([task, merge]) => ({ task, merge })).reverse(),
      };
      if (target.commit === head || !(await options.confirm(plan))) return { ...plan, applied: false };
      const moved = await casUpdateBranch(
        repo.root,
        row.branch,
        target.commit,
        head,
        `cairn: rollback milestone ${spec.id}`,
      );
      if (!moved) {
        throw new WorkFailedError(
          'E_BRANCH_MOVED',
          `${row.branch} moved while rolling back; nothing was changed`,
          {
            hint: `Look at it again, then rerun: cairn rollback ${spec.id}`,
          },
        );
      }
      const known = new Set(store.tasks(spec.id).map((task) => task.id));
      const events: CairnEvent[] = plan.removed
        .filter(({ task }) => known.has(task))
        .map(({ task, merge }) => ({
          type: 'task.requeued',
          milestone: spec.id,
          task,
          start: 'fresh',
          reason: `rolled back to ${target.commit.slice(0, 12)}`,
          supersedes: merge,
        }));
      if (events.length > 0) store.append(events);
      await captureCheckpoint({ repo, store, milestone: spec.id, branch: row.branch, reason: 'rollback' });
      return { ...plan, applied: true };
    } finally {
      release();
    }
  } finally {
    store.close();
  }
}
