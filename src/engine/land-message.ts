import { git } from '../git/git.js';
import { formatCommitMessage } from '../git/trailers.js';
import type { MilestoneSpec } from '../spec/types.js';
import type { TaskRow } from '../store/types.js';

/** The land commit's message: what the milestone delivered, task by task, with diff stats. */
export async function landMessage(
  repo: string,
  spec: MilestoneSpec,
  tasks: TaskRow[],
  baseHead: string,
  result: string,
): Promise<string> {
  const lines: string[] = [];
  for (const task of tasks) {
    const merge = task.merge_commit;
    const commits = merge ? await git(repo, ['rev-list', '--count', `${merge}^1..${merge}^2`]) : '0';
    lines.push(
      `- ${task.id}: ${task.title} (agent ${task.agent}, ${commits} commit${commits === '1' ? '' : 's'})`,
    );
  }
  const stats = (await git(repo, ['diff', '--shortstat', baseHead, result])).trim() || 'no file changes';
  return formatCommitMessage({
    subject: `feat(milestone-${spec.id}): ${spec.title}`,
    body: [`Tasks (${tasks.length}):`, ...lines, '', `Changes: ${stats}.`].join('\n'),
    trailers: [['Milestone', spec.id]],
  });
}
