import type { RepoPaths } from '../git/repo.js';
import type { AgentProfile } from '../agents/profiles.js';
import type { BackoffSpec, CairnConfig, MilestoneSpec, TaskSpec } from '../spec/types.js';
import type { Store } from '../store/types.js';
import type { WorkspaceRuntime } from './workspace/runtime.js';

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
  /** Setup, cache, copied files and ports of new worktrees; undefined when `workspace:` asks for none. */
  workspace?: WorkspaceRuntime;
  /** The file monitor of running attempts; undefined: worktrees are not watched. */
  monitor?: {
    /** The running tasks and their `files` scopes, kept by the monitors themselves. */
    scopes: Map<string, string[]>;
    debounceMs?: number;
    /** How long an attempt runs before its worktree is watched (DEFAULT_WATCH_AFTER_MS). */
    watchAfterMs?: number;
    /** Told once per attempt when a watcher cannot start (inotify limit, no native build). */
    unavailable?: (reason: string) => void;
  };
}

export function agentNameOf(context: Pick<RunContext, 'config'>, task: TaskSpec): string {
  return task.agent ?? context.config.defaults.agent;
}

/** The task's profile, then its fallbacks in order (fallbacks of fallbacks too), each once. */
export function agentChainOf(context: Pick<RunContext, 'config' | 'profiles'>, task: TaskSpec): string[] {
  const chain: string[] = [];
  const visit = (name: string) => {
    if (chain.includes(name) || !context.profiles[name]) return;
    chain.push(name);
    for (const next of context.profiles[name]?.fallback ?? []) visit(next);
  };
  visit(agentNameOf(context, task));
  return chain;
}

export function profileNamed(context: Pick<RunContext, 'profiles'>, name: string): AgentProfile {
  const profile = context.profiles[name];
  if (!profile) throw new Error(`agent profile ${name} is not defined`);
  return profile;
}

/** Limits and recovery settings of one attempt: the task's own, else its profile's, else the defaults. */
export interface AttemptSettings {
  profile: AgentProfile;
  timeoutMs: number;
  retries: number;
  stallMs: number;
  backoff: Required<BackoffSpec>;
}

export function settingsFor(
  context: Pick<RunContext, 'config' | 'profiles'>,
  task: TaskSpec,
  agent = agentNameOf(context, task),
): AttemptSettings {
  const profile = profileNamed(context, agent);
  const defaults = context.config.defaults;
  return {
    profile,
    timeoutMs: task.timeoutMs ?? profile.timeoutMs ?? defaults.timeoutMs,
    retries: task.retries ?? profile.retries ?? defaults.retries,
    stallMs: task.stallMs ?? profile.stallMs ?? defaults.stallMs,
    backoff: { ...defaults.backoff, ...profile.backoff, ...task.backoff },
  };
}

/** The tasks that wait on `task` directly: its merge resolves a dependency of each. */
export function dependentsIn(context: Pick<RunContext, 'spec'>, task: TaskSpec): string[] {
  return context.spec.tasks.filter((other) => other.depends_on.includes(task.id)).map((other) => other.id);
}
