import { createHash } from 'node:crypto';
import type { TaskSpec } from '../spec/types.js';
import type { TaskRow } from '../store/types.js';

/** A short hash of what a task asks for; a finished task whose hash changed was edited since. */
export function definitionOf(task: TaskSpec): string {
  const what = {
    prompt: task.prompt,
    files: task.files,
    acceptance: task.acceptance,
    depends_on: task.depends_on,
    // Only when present, so the hash of a task without phases stays what it was.
    ...(task.phases ? { phases: task.phases, max_review_rounds: task.maxReviewRounds } : {}),
  };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 16);
}

/** Finished tasks whose spec changed since they were done. */
export function changedSinceDone(tasks: TaskSpec[], rows: TaskRow[]): TaskRow[] {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  return rows.filter((row) => {
    const task = byId.get(row.id);
    return (
      row.state === 'done' &&
      task !== undefined &&
      row.definition !== null &&
      row.definition !== definitionOf(task)
    );
  });
}
