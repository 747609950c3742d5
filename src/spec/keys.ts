// The keys users may write, shared by the parsers and the JSON Schema so they cannot drift.

export const MILESTONE_KEYS = [
  'id',
  'title',
  'base',
  'integration',
  'commit',
  'commit_every',
  'agents',
  'tasks',
  'workspace',
  'max_review_rounds',
] as const;

export const TASK_KEYS = [
  'id',
  'title',
  'type',
  'agent',
  'prompt',
  'files',
  'acceptance',
  'depends_on',
  'weight',
  'timeout',
  'retries',
  'stall',
  'backoff',
  'commit',
  'commit_every',
  'overlap',
  'context',
  'phases',
  'max_review_rounds',
] as const;

/** One item of a task's `phases:` (docs/coordination.md, "Multi-phase tasks"). */
export const PHASE_KEYS = ['name', 'agent', 'prompt', 'review'] as const;

/** A phase named `review` is a review phase unless it says `review: false`. */
export const REVIEW_PHASE_NAME = 'review';

/** Rejections a review phase may send back to the phase before it, when neither task nor milestone says. */
export const DEFAULT_MAX_REVIEW_ROUNDS = 2;

export const BACKOFF_KEYS = ['base', 'factor', 'cap'] as const;

export const AGENT_KEYS = [
  'command',
  'timeout',
  'retries',
  'fallback',
  'env',
  'stall',
  'backoff',
  'max_concurrency',
] as const;

export const CONFIG_KEYS = ['defaults', 'agents', 'notify', 'workspace', 'remote', 'pr'] as const;

/** `workspace:` in a spec or in `.cairn/config.yaml`: how a new task worktree is made ready. */
export const WORKSPACE_KEYS = [
  'setup',
  'setup_timeout',
  'cache',
  'copy',
  'ports',
  'cache_max',
  'cache_max_age',
] as const;

export const WORKSPACE_CACHE_KEYS = ['path', 'key', 'link'] as const;
export const WORKSPACE_PORTS_KEYS = ['count', 'base', 'blocks'] as const;

export const WORKSPACE_DEFAULTS = {
  setupTimeoutMs: 10 * 60_000,
  cacheMaxBytes: 5 * 1024 ** 3,
  cacheMaxAgeMs: 14 * 86_400_000,
  portBase: 41_000,
};

export const CONFIG_DEFAULTS_KEYS = [
  'agent',
  'concurrency',
  'retries',
  'timeout',
  'base',
  'stall',
  'backoff',
] as const;

/** Conventional commit types; a task's type becomes its commit's type. */
export const TASK_TYPES = [
  'feat',
  'fix',
  'docs',
  'test',
  'refactor',
  'chore',
  'perf',
  'build',
  'ci',
  'style',
] as const;

/** How a task's work reaches its branch (docs/commits.md). */
export const COMMIT_STRATEGIES = ['atomic', 'progressive', 'checkpoint'] as const;
export const DEFAULT_COMMIT_EVERY_MS = 60_000;

/** `serialize` (default): not run next to a task whose `files` overlap; `allow`: may be. */
export const OVERLAP_POLICIES = ['serialize', 'allow'] as const;
export const DEFAULT_BASE = 'main';

export const CONFIG_DEFAULTS = {
  agent: 'claude',
  concurrency: 4,
  retries: 1,
  timeoutMs: 30 * 60_000,
  base: DEFAULT_BASE,
  stallMs: 10 * 60_000,
  backoff: { baseMs: 2_000, factor: 2, capMs: 60_000 },
};
