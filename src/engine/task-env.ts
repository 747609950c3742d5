import type { TaskSpec } from '../spec/types.js';
import { attemptProgressFile, attemptPromptFile } from './names.js';
import { profileNamed, type RunContext } from './run-context.js';
import { portEnv } from './workspace/runtime.js';

/**
 * The environment of everything run for a task attempt (setup, agent and acceptance alike):
 * the caller's, the CAIRN_* names (ports too, while the task holds them), then the profile's
 * own `env`.
 */
export function taskEnv(
  context: RunContext,
  task: TaskSpec,
  attempt: number,
  agent: string,
): NodeJS.ProcessEnv {
  const profile = profileNamed(context, agent);
  return {
    ...process.env,
    CAIRN_MILESTONE: context.spec.id,
    CAIRN_TASK: task.id,
    CAIRN_ATTEMPT: String(attempt),
    CAIRN_SESSION: context.run,
    CAIRN_AGENT: profile.name,
    CAIRN_PROMPT_FILE: attemptPromptFile(context.repo.stateDir, context.run, task.id, attempt),
    CAIRN_PROGRESS_FILE: attemptProgressFile(context.repo.stateDir, context.run, task.id, attempt),
    CAIRN_HOME: context.repo.stateDir,
    ...portEnv(context.workspace, task.id),
    ...profile.env,
  };
}
