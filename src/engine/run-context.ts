import type { RepoPaths } from '../git/repo.js';
import type { AgentProfile } from '../agents/profiles.js';
import type { CairnConfig, MilestoneSpec, TaskSpec } from '../spec/types.js';
import type { Store } from '../store/types.js';

/** Everything one run of one milestone needs, built once by `prepareRun`. */
export interface RunContext {
  repo: RepoPaths;
  spec: MilestoneSpec;
  config: CairnConfig;
  profiles: Record<string, AgentProfile>;
  store: Store;
  run: string;
  branch: string;
  /** Environment for commits Cairn writes (identity fallback). */
  commitEnv: NodeJS.ProcessEnv;
  graceMs: number;
  signal: AbortSignal;
}

export function agentNameOf(context: Pick<RunContext, 'config'>, task: TaskSpec): string {
  return task.agent ?? context.config.defaults.agent;
}

export function profileOf(context: Pick<RunContext, 'config' | 'profiles'>, task: TaskSpec): AgentProfile {
  const name = agentNameOf(context, task);
  const profile = context.profiles[name];
  if (!profile) throw new Error(`agent profile ${name} is not defined`);
  return profile;
}

export function timeoutOf(context: Pick<RunContext, 'config' | 'profiles'>, task: TaskSpec): number {
  return task.timeoutMs ?? profileOf(context, task).timeoutMs ?? context.config.defaults.timeoutMs;
}

export function retriesOf(context: Pick<RunContext, 'config' | 'profiles'>, task: TaskSpec): number {
  return task.retries ?? profileOf(context, task).retries ?? context.config.defaults.retries;
}
