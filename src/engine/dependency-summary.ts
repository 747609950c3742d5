import type { DependencySummary } from '../agents/prompt.js';
import { git } from '../git/git.js';
import type { TaskSpec } from '../spec/types.js';
import type { RunContext } from './run-context.js';

/** Files a task's dependencies changed, read from their merge commits. */
export async function summarizeDependencies(
  context: RunContext,
  task: TaskSpec,
): Promise<DependencySummary[]> {
  if (task.depends_on.length === 0) return [];
  const rows = new Map(context.store.tasks(context.spec.id).map((row) => [row.id, row]));
  const summaries: DependencySummary[] = [];
  for (const id of task.depends_on) {
    const row = rows.get(id);
    if (!row?.merge_commit) continue;
    const out = await git(context.repo.root, [
      'diff',
      '--name-only',
      `${row.merge_commit}^1`,
      row.merge_commit,
    ]);
    summaries.push({
      id,
      title: row.title,
      mergeCommit: row.merge_commit,
      files: out.split('\n').filter(Boolean),
    });
  }
  return summaries;
}
