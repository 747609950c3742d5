import { tryGit } from '../../git/git.js';
import { isAncestor } from '../../git/refs.js';
import type { Checkpoint, CheckpointValidation } from './types.js';

/** Every commit a checkpoint names: its milestone head, the merges and the task branch heads. */
export function commitsOf(checkpoint: Checkpoint): string[] {
  const { content } = checkpoint;
  const all = [
    content.milestoneHead,
    ...content.tasks.flatMap((task) => [task.mergeCommit, task.branchHead]),
  ];
  return [...new Set(all.filter((commit): commit is string => Boolean(commit)))];
}

/** The commits of `commits` that the repository does not have (`git cat-file -e`, batched). */
async function missingCommits(root: string, commits: string[]): Promise<string[]> {
  if (commits.length === 0) return [];
  const result = await tryGit(root, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    input: commits.map((commit) => `${commit}\n`).join(''),
  });
  const lines = result.stdout.split('\n');
  return commits.filter((commit, index) => !/ commit$/.test(lines[index] ?? ''));
}

/** Checks a checkpoint against git: its commits exist, and the branch head is its head or descends from it. */
export async function validateCheckpoint(
  root: string,
  checkpoint: Checkpoint,
  branchHead: string | undefined,
): Promise<CheckpointValidation> {
  const commits = commitsOf(checkpoint);
  const missing = await missingCommits(root, commits);
  const recorded = checkpoint.content.milestoneHead;
  let head: CheckpointValidation['head'];
  if (!recorded || !branchHead || missing.includes(recorded)) head = 'missing';
  else if (recorded === branchHead) head = 'same';
  else head = (await isAncestor(root, recorded, branchHead)) ? 'ancestor' : 'diverged';
  return { missingCommits: missing, commitsChecked: commits.length, head };
}
