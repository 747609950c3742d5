import { tryGit } from '../../git/git.js';
import { taskBranch } from '../../engine/names.js';
import type { TaskDetail } from './model.js';

type Diff = TaskDetail['diff'];

function parseNumstat(text: string): Diff['files'] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [added = '-', deleted = '-', ...rest] = line.split('\t');
      // Binary files show `-`: counted as 0 lines.
      return { file: rest.join('\t'), added: Number(added) || 0, deleted: Number(deleted) || 0 };
    });
}

/** What a task changed: its merge when merged, else its branch against the milestone branch. */
export async function readDiffStat(
  root: string,
  milestone: { id: string; branch: string },
  task: { id: string; merge_commit: string | null },
): Promise<Diff> {
  if (task.merge_commit) {
    const range = [`${task.merge_commit}^1`, task.merge_commit];
    const result = await tryGit(root, ['diff', '--numstat', ...range]);
    if (result.code === 0) {
      return {
        ref: `${task.merge_commit.slice(0, 10)}^1..${task.merge_commit.slice(0, 10)}`,
        files: parseNumstat(result.stdout),
        note: 'merged into the milestone branch',
      };
    }
  }
  const branch = taskBranch(milestone.id, task.id);
  const exists = await tryGit(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
  if (exists.code !== 0) return { ref: null, files: [], note: 'no branch yet' };
  const range = `refs/heads/${milestone.branch}...refs/heads/${branch}`;
  const result = await tryGit(root, ['diff', '--numstat', range]);
  if (result.code !== 0) return { ref: null, files: [], note: 'the branches cannot be compared' };
  return {
    ref: `${milestone.branch}...${branch}`,
    files: parseNumstat(result.stdout),
    note: 'committed on the task branch',
  };
}
