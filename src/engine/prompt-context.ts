import type { PromptContextKey } from '../agents/prompt.js';
import { openCoordination } from '../bus/coordination.js';
import type { TaskSpec } from '../spec/types.js';
import { stateDbFile } from './names.js';

/**
 * The context keys a task follows, read as the task (so convergence counts it as having seen
 * them); nothing is opened for a task that follows none.
 */
export function readPromptContext(stateDir: string, milestone: string, task: TaskSpec): PromptContextKey[] {
  const keys = task.context ?? [];
  if (keys.length === 0) return [];
  const coordination = openCoordination(stateDbFile(stateDir));
  try {
    return keys.map((key) => {
      const entry = coordination.context.get({ milestone }, key, `task:${task.id}`);
      if (!entry) return { key, version: 0, value: undefined };
      return {
        key,
        version: entry.version,
        value: entry.value,
        ...(entry.conflict ? { conflict: entry.siblings.map((s) => s.value) } : {}),
      };
    });
  } finally {
    coordination.close();
  }
}
