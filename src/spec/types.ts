/** A place in a user's file that a problem points at. */
export interface SourcePosition {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

/** One thing wrong with a spec or config file: where, what, and how to fix it. */
export interface Problem extends SourcePosition {
  /** Dot path into the document, e.g. `tasks[3].depends_on[0]`; empty for the whole file. */
  path: string;
  message: string;
  hint: string;
}

/** Retry delays: exponential from `baseMs` by `factor`, capped at `capMs`, with full jitter. */
export interface BackoffSpec {
  baseMs?: number;
  factor?: number;
  capMs?: number;
}

/** Recovery settings a profile, a task or the defaults may set; the most specific wins. */
export interface RecoverySpec {
  /** An attempt with no output and no file change for this long is stopped as stalled. */
  stallMs?: number;
  backoff?: BackoffSpec;
}

/** How to start an agent. `command` is an argv template; placeholders are whole elements or parts of them. */
export interface AgentProfileSpec extends RecoverySpec {
  command: string[];
  /** Milliseconds; undefined means the default. */
  timeoutMs?: number;
  retries?: number;
  fallback?: string[];
  env?: Record<string, string>;
  /** Attempts this profile may run at once (`max_concurrency`); no limit of its own when absent. */
  maxConcurrency?: number;
}

export type CommitStrategy = 'atomic' | 'progressive' | 'checkpoint';

/** How a task's work is committed: once at the end, or also while the agent works. */
export interface CommitSpec {
  commit?: CommitStrategy;
  /** For progressive and checkpoint: how often Cairn looks at the worktree. */
  commitEveryMs?: number;
}

/** One phase of a multi-phase task: its own agent process in the task's worktree. */
export interface PhaseSpec {
  name: string;
  /** Profile of this phase; absent: the attempt's profile (the task's, or the fallback in use). */
  agent?: string;
  /** Added to the task's prompt for this phase. */
  prompt?: string;
  /** A review phase approves the work or sends it back to the phase before it. */
  review: boolean;
}

export interface TaskSpec extends RecoverySpec, CommitSpec {
  id: string;
  title: string;
  /** Conventional commit type (feat, fix, docs, …); inferred from the change when absent. */
  type?: string;
  /** `allow`: may run at the same time as tasks whose `files` overlap its own. */
  overlap?: 'serialize' | 'allow';
  agent?: string;
  prompt: string;
  files: string[];
  acceptance: string[];
  depends_on: string[];
  weight: number;
  timeoutMs?: number;
  retries?: number;
  /** Shared-context keys whose values each new attempt's prompt includes. */
  context?: string[];
  /** Phases run in order in the task's worktree; absent: one agent run. */
  phases?: PhaseSpec[];
  /** Times a review phase may send the work back before the task is blocked. */
  maxReviewRounds?: number;
}

/** One cached setup output: `path` (relative to the worktree), keyed by the content of `key` files. */
export interface CacheEntrySpec {
  path: string;
  key: string[];
  /**
   * Unset: restored as a copy-on-write clone where the filesystem makes them, else as
   * hardlinks to the cache entry (near-instant, no extra disk, but a file written in place,
   * not replaced, in one worktree changes it in the others linked to the same entry).
   * `false`: always an independent copy (a full copy where clones are not available).
   * `true`: always hardlinks.
   */
  link?: boolean;
}

/** Ports reserved per running task: `count` from blocks starting at `base`, at most `blocks` blocks. */
export interface PortsSpec {
  count: number;
  base?: number;
  blocks?: number;
}

/** `workspace:` as written; the spec's keys win over the config's. */
export interface WorkspaceSpec {
  setup?: string[];
  setupTimeoutMs?: number;
  cache?: CacheEntrySpec[];
  copy?: string[];
  ports?: PortsSpec;
  cacheMaxBytes?: number;
  cacheMaxAgeMs?: number;
}

export interface MilestoneSpec extends CommitSpec {
  id: string;
  title: string;
  base: string;
  integration: string[];
  agents: Record<string, AgentProfileSpec>;
  tasks: TaskSpec[];
  workspace?: WorkspaceSpec;
  /** Default of the tasks' `max_review_rounds`. */
  maxReviewRounds?: number;
  /** Absolute path of the file it was read from. */
  file: string;
}

/** `.cairn/config.yaml`: project defaults and agent profiles. */
export interface CairnConfig {
  defaults: {
    agent: string;
    concurrency: number;
    retries: number;
    timeoutMs: number;
    base: string;
    stallMs: number;
    backoff: Required<BackoffSpec>;
  };
  agents: Record<string, AgentProfileSpec>;
  /** Argv run when an agent raises a BLOCKER_ALERT ({message}, {task}, {milestone}); never a shell string. */
  notify?: string[];
  workspace?: WorkspaceSpec;
  /** The git remote the milestone branch is pushed to after each merge, and base fetched from. */
  remote?: string;
  pr?: PullRequestSpec;
}

/** How `cairn land --pr` opens a pull request. */
export interface PullRequestSpec {
  /** Argument array with {base}, {branch}, {title}, {body_file}, {milestone}, {remote}. */
  command?: string[];
}

export type LoadResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };
