import { existsSync } from 'node:fs';
import { journaledMilestone } from './find-milestone.js';
import type { RepoPaths } from '../git/repo.js';
import { slugify } from '../spec/ids.js';
import type { MilestoneState, TaskState } from '../store/events.js';
import type { AttemptActivity, AttemptRow, RunRow, Store, TaskRow } from '../store/types.js';
import { agentNameOf } from './run-context.js';
import { milestoneBranch, stateDbFile, taskBranch } from './names.js';
import { openStore } from './open-store.js';
import { agentHealth, type AgentHealth } from './agent-health.js';
import { currentPhases, type CurrentPhase } from './phase-status.js';
import { isProcessAlive } from '../store/sqlite-store.js';

export interface TaskStatus {
  id: string;
  title: string;
  state: TaskState;
  attempts: number;
  agent: string;
  branch: string | null;
  merge_commit: string | null;
  reason: string | null;
  /** What the file monitor saw in the worktree of the task's latest attempt. */
  activity?: AttemptActivity;
  /** For a running multi-phase task: the phase its agent is in. */
  phase?: CurrentPhase;
}

export interface MilestoneStatus {
  milestone: {
    id: string;
    title: string;
    branch: string;
    state: MilestoneState | 'not started';
    run?: RunHealth;
    /** The pull request `cairn land --pr` opened, if any. */
    pull_request?: string;
    /** The latest concurrency change `--auto-tune` made, and why. */
    tuned?: { run: string; from: number; to: number; why: string; at: string };
  };
  tasks: TaskStatus[];
  /** Per agent profile: running attempts, output age, exit history (absent before any attempt). */
  agents?: AgentHealth[];
}

/** The latest run's degradation level and health, as journaled. */
export interface RunHealth {
  id: string;
  state: string;
  level: string;
  score: number | null;
  warnings: string[];
  reason: string | null;
}

/** A run's degradation level and health as its row holds them. */
export function runHealthOf(run: RunRow): RunHealth {
  const health = run.health ? (JSON.parse(run.health) as Partial<RunHealth>) : {};
  return {
    id: run.id,
    state: run.state,
    level: run.level ?? 'full',
    score: health.score ?? null,
    warnings: health.warnings ?? [],
    reason: health.reason ?? null,
  };
}

function fromStore(store: Store, id: string): MilestoneStatus | undefined {
  const row = store.milestone(id);
  if (!row) return undefined;
  const latest = store.latestRun(id);
  const run = latest ? runHealthOf(latest) : undefined;
  const live = latest?.state === 'running' && isProcessAlive(latest.pid);
  const attempts = store.attempts(id);
  const agents = agentHealth(attempts, live);
  const activity = latestActivity(attempts);
  return {
    milestone: {
      id: row.id,
      title: row.title,
      branch: row.branch,
      state: row.state,
      ...(run ? { run } : {}),
      ...pullRequestOf(store, id),
      ...tunedOf(store, id),
    },
    tasks: withPhases(store, id, store.tasks(id), activity),
    ...(agents.length > 0 ? { agents } : {}),
  };
}

function tunedOf(store: Store, id: string): { tuned?: NonNullable<MilestoneStatus['milestone']['tuned']> } {
  const [last] = store.eventsOfType(id, ['run.tuned'], { last: true });
  if (last?.type !== 'run.tuned') return {};
  return { tuned: { run: last.run, from: last.from, to: last.to, why: last.why, at: last.at } };
}

function pullRequestOf(store: Store, id: string): { pull_request?: string } {
  const [opened] = store.eventsOfType(id, ['milestone.pr'], { last: true });
  return opened?.type === 'milestone.pr' ? { pull_request: opened.url } : {};
}

/** The activity of each task's latest attempt, for the tasks the monitor saw working. */
function latestActivity(attempts: AttemptRow[]): Map<string, AttemptActivity> {
  const latest = new Map<string, AttemptRow>();
  for (const attempt of attempts) {
    const seen = latest.get(attempt.task);
    if (!seen || attempt.attempt > seen.attempt) latest.set(attempt.task, attempt);
  }
  const activity = new Map<string, AttemptActivity>();
  for (const [task, attempt] of latest) {
    if (attempt.activity) activity.set(task, JSON.parse(attempt.activity) as AttemptActivity);
  }
  return activity;
}

function withPhases(
  store: Store,
  milestone: string,
  rows: TaskRow[],
  activity: Map<string, AttemptActivity>,
): TaskStatus[] {
  const phases = currentPhases(store, milestone, rows);
  return rows.map((row) => {
    const phase = phases.get(row.id);
    return { ...toTaskStatus(row, activity.get(row.id)), ...(phase ? { phase } : {}) };
  });
}

/** A task's journal row as status shows it; the branch exists once an attempt started. */
export function toTaskStatus(task: TaskRow, activity?: AttemptActivity): TaskStatus {
  return {
    id: task.id,
    title: task.title,
    state: task.state,
    attempts: task.attempts,
    agent: task.agent,
    branch: task.attempts > 0 ? taskBranch(task.milestone, task.id) : null,
    merge_commit: task.merge_commit,
    reason: task.reason,
    ...(activity ? { activity } : {}),
  };
}

/** A milestone that was never run, described from its spec alone. */
async function fromSpec(root: string, file: string): Promise<MilestoneStatus> {
  const { loadConfig, loadSpecFile } = await import('./load.js');
  const config = loadConfig(root);
  const { spec } = loadSpecFile(root, file, config);
  return {
    milestone: {
      id: spec.id,
      title: spec.title,
      branch: milestoneBranch(spec.id, slugify(spec.title)),
      state: 'not started',
    },
    tasks: spec.tasks.map((task) => ({
      id: task.id,
      title: task.title,
      state: 'pending',
      attempts: 0,
      agent: agentNameOf({ config }, task),
      branch: null,
      merge_commit: null,
      reason: null,
    })),
  };
}

/**
 * Status of one milestone (by id, id-slug or spec path) or of all. The journal answers
 * first, so a status of a run milestone never parses YAML.
 */
export async function readStatus(
  repo: RepoPaths,
  name: string | undefined,
  cwd: string,
): Promise<MilestoneStatus[]> {
  const store = existsSync(stateDbFile(repo.stateDir)) ? openStore(repo) : undefined;
  try {
    if (name) {
      const row = store && journaledMilestone(store, name);
      const known = row && store ? fromStore(store, row.id) : undefined;
      if (known) return [known];
      // Parsing YAML is the slow path, taken only for milestones the journal does not know.
      const { resolveSpecFile } = await import('./load.js');
      const fromFile = await fromSpec(repo.root, resolveSpecFile(repo.root, name, cwd));
      return [(store && fromStore(store, fromFile.milestone.id)) ?? fromFile];
    }
    const run = store?.milestones() ?? [];
    const statuses = run.flatMap((row) => fromStore(store!, row.id) ?? []);
    const seen = new Set(statuses.map((status) => status.milestone.id));
    const { listSpecFiles } = await import('./load.js');
    for (const file of listSpecFiles(repo.root)) {
      const status = await fromSpec(repo.root, file);
      if (!seen.has(status.milestone.id)) statuses.push(status);
    }
    return statuses.sort((a, b) => a.milestone.id.localeCompare(b.milestone.id));
  } finally {
    store?.close();
  }
}
