import { existsSync } from 'node:fs';
import { journaledMilestoneOrSpec } from './find-milestone.js';
import type { RepoPaths } from '../git/repo.js';
import path from 'node:path';
import { resolveCommit } from '../git/refs.js';
import { readBranchHistory, readBranchHistoryCached } from '../progress/branch-history.js';
import { computeProgress } from '../progress/compute.js';
import {
  DEFAULT_LINE_WEIGHTS,
  type AttemptFacts,
  type LinesByKind,
  type ProgressInput,
  type ProgressReport,
  type TaskFacts,
} from '../progress/types.js';
import { slugify } from '../spec/ids.js';
import type { CairnEvent, StoredEvent } from '../store/events.js';
import type { AttemptActivity, AttemptRow, MilestoneRow, Store } from '../store/types.js';
import { milestoneBranch, stateDbFile, taskBranch } from './names.js';
import { openStore } from './open-store.js';
import { agentNameOf } from './run-context.js';

type Planned = Extract<CairnEvent, { type: 'milestone.planned' }>;
type Snapshot = Extract<CairnEvent, { type: 'progress.snapshot' }>;

export interface ProgressResult {
  report: ProgressReport;
  /** What the report was computed from (tasks with their attempts, lines and merge times). */
  input: ProgressInput;
  /** Journaled snapshots, oldest first (the one for this report included when it changed). */
  history: (Snapshot & { at: string })[];
}

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));

function attemptFacts(row: AttemptRow): AttemptFacts {
  const outcome = row.ended_at === null ? 'running' : row.state;
  return {
    agent: row.agent,
    startedMs: Date.parse(row.started_at),
    endedMs: ms(row.ended_at),
    // Work a review rejected (blocked) did not pass its checks: for progress it failed.
    outcome:
      outcome === 'blocked'
        ? 'failed'
        : outcome === 'succeeded' || outcome === 'failed' || outcome === 'interrupted'
          ? outcome
          : 'running',
    checked: row.head !== null,
  };
}

/** Inputs of a milestone the journal knows: projections, its plan, merges, and git. */
async function fromJournal(
  repo: RepoPaths,
  store: Store,
  row: MilestoneRow,
  nowMs: number,
): Promise<ProgressInput> {
  const planned = store.eventsOfType(row.id, ['milestone.planned'], { last: true })[0] as Planned | undefined;
  const plan = new Map((planned?.tasks ?? []).map((t) => [t.id, t]));
  const mergedAt = new Map<string, number>();
  for (const event of store.eventsOfType(row.id, ['task.merged'])) {
    if (event.type === 'task.merged') mergedAt.set(event.task, Date.parse(event.at));
  }
  const attempts = new Map<string, AttemptFacts[]>();
  const live = new Map<string, LinesByKind>();
  for (const attempt of store.attempts(row.id)) {
    const list = attempts.get(attempt.task) ?? [];
    list.push(attemptFacts(attempt));
    attempts.set(attempt.task, list);
    const lines = attempt.ended_at === null ? liveLinesOf(attempt) : undefined;
    if (lines) live.set(attempt.task, lines);
  }
  const history = await milestoneHistory(repo, row);
  const tasks: TaskFacts[] = [];
  for (const task of store.tasks(row.id)) {
    const running = task.state === 'running' || task.state === 'merging';
    const own = running ? await runningBranch(repo, row, task.id) : undefined;
    tasks.push({
      id: task.id,
      title: task.title,
      weight: plan.get(task.id)?.weight ?? 1,
      dependsOn: plan.get(task.id)?.dependsOn ?? [],
      agent: task.agent,
      state: task.state,
      reason: task.reason,
      attempts: attempts.get(task.id) ?? [],
      mergedMs: task.state === 'done' ? (mergedAt.get(task.id) ?? null) : null,
      marker: own?.marker ?? null,
      lines: larger(own?.lines ?? null, live.get(task.id)) ?? history.linesByTask.get(task.id) ?? null,
    });
  }
  return {
    milestone: {
      id: row.id,
      title: row.title,
      branch: row.branch,
      state: row.state,
      landed: row.state === 'landed',
    },
    nowMs,
    concurrency: store.latestRun(row.id)?.concurrency ?? 1,
    tasks,
    commits: history.commits,
    weights: DEFAULT_LINE_WEIGHTS,
  };
}

/** The lines the file monitor saw in a running attempt's worktree, committed or not. */
function liveLinesOf(attempt: AttemptRow): LinesByKind | undefined {
  if (!attempt.activity) return undefined;
  const activity = JSON.parse(attempt.activity) as AttemptActivity;
  return (activity.lines as LinesByKind | null) ?? undefined;
}

const totalLines = (lines: LinesByKind) =>
  Object.values(lines).reduce((sum, kind) => sum + kind.added + kind.deleted, 0);

/** A running task's lines: its branch's commits, or the live worktree when that says more. */
function larger(branch: LinesByKind | null, live: LinesByKind | undefined): LinesByKind | null {
  if (!live) return branch;
  if (!branch) return live;
  return totalLines(live) > totalLines(branch) ? live : branch;
}

/** Progress of a milestone the journal knows, journaling nothing (for live readers such as `cairn watch`). */
export async function peekProgress(
  repo: RepoPaths,
  store: Store,
  milestone: string,
  nowMs = Date.now(),
): Promise<ProgressReport | undefined> {
  const row = store.milestone(milestone);
  return row ? computeProgress(await fromJournal(repo, store, row, nowMs)) : undefined;
}

/**
 * The milestone branch's history since it left base. With a known start commit it is cached
 * against the branch head, so asking again while nothing merged reads no history from git.
 */
async function milestoneHistory(repo: RepoPaths, row: MilestoneRow) {
  const head = await resolveCommit(repo.root, `refs/heads/${row.branch}`);
  if (!head)
    return readBranchHistory(repo.root, [`${row.start_commit ?? row.base}..refs/heads/${row.branch}`]);
  if (!row.start_commit) return readBranchHistory(repo.root, [`${row.base}..${head}`]);
  const file = path.join(repo.stateDir, 'progress-cache', `${row.id}.json`);
  return readBranchHistoryCached(repo.root, file, row.start_commit, head);
}

/** A running task's own commits, not yet merged: its lines so far and its latest Progress marker. */
function runningBranch(repo: RepoPaths, row: MilestoneRow, task: string) {
  return readBranchHistory(repo.root, [
    `refs/heads/${taskBranch(row.id, task)}`,
    `^refs/heads/${row.branch}`,
  ]);
}

/** Inputs of a milestone that never ran: its spec alone, so every figure says "no data". */
async function fromSpec(repo: RepoPaths, name: string, cwd: string, nowMs: number): Promise<ProgressInput> {
  const { loadMilestone } = await import('./load.js');
  const { spec, config } = loadMilestone(repo.root, name, cwd);
  return {
    milestone: {
      id: spec.id,
      title: spec.title,
      branch: milestoneBranch(spec.id, slugify(spec.title)),
      state: 'not started',
      landed: false,
    },
    nowMs,
    concurrency: config.defaults.concurrency,
    tasks: spec.tasks.map((task) => ({
      id: task.id,
      title: task.title,
      weight: task.weight,
      dependsOn: task.depends_on,
      agent: agentNameOf({ config }, task),
      state: 'pending',
      reason: null,
      attempts: [],
      mergedMs: null,
      marker: null,
      lines: null,
    })),
    commits: [],
    weights: DEFAULT_LINE_WEIGHTS,
  };
}

/** The part of a report a snapshot keeps; a new snapshot is journaled only when it differs. */
function snapshotOf(report: ProgressReport): Snapshot {
  return {
    type: 'progress.snapshot',
    milestone: report.milestone.id,
    overall: report.overall,
    confidence: report.confidence,
    dimensions: Object.fromEntries(Object.entries(report.dimensions).map(([name, d]) => [name, d.value])),
  };
}

const sameSnapshot = (a: Snapshot, b: Snapshot) =>
  a.overall === b.overall && JSON.stringify(a.dimensions) === JSON.stringify(b.dimensions);

/** Computes progress and journals a snapshot when the figures changed since the last one. */
export function journalSnapshot(store: Store, report: ProgressReport): void {
  const snapshot = snapshotOf(report);
  const last = store.eventsOfType(report.milestone.id, ['progress.snapshot'], { last: true })[0] as
    (Snapshot & StoredEvent) | undefined;
  if (!last || !sameSnapshot(last, snapshot)) store.append(snapshot);
}

/** Journals a snapshot of a milestone's progress if the figures changed (during and after runs). */
export async function journalProgress(repo: RepoPaths, store: Store, milestone: string): Promise<void> {
  const row = store.milestone(milestone);
  if (!row) return;
  journalSnapshot(store, computeProgress(await fromJournal(repo, store, row, Date.now())));
}

/** While a run goes on, a snapshot at most every `everyMs`; `stop` takes the last one. */
export function progressJournal(repo: RepoPaths, store: Store, milestone: string, everyMs = 10_000) {
  let busy: Promise<void> = Promise.resolve();
  const tick = () => {
    busy = busy.then(() => journalProgress(repo, store, milestone)).catch(() => undefined);
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      tick();
      await busy;
    },
  };
}

/**
 * `cairn progress`: figures for a milestone (by id, id-slug or spec path), journaling a snapshot
 * when they changed, so `--history` shows the series.
 */
export async function readProgress(
  repo: RepoPaths,
  name: string,
  cwd: string,
  nowMs = Date.now(),
): Promise<ProgressResult> {
  // No quick_check: it reads every page of a long journal; the few queries made here still
  // report a damaged database (the store's guard), and `cairn run` and `cairn doctor` check it.
  const store = existsSync(stateDbFile(repo.stateDir)) ? openStore(repo, { quickCheck: false }) : undefined;
  try {
    const known = store ? await journaledMilestoneOrSpec(repo, store, name, cwd) : undefined;
    if (!store || !known) {
      const input = await fromSpec(repo, name, cwd, nowMs);
      return { report: computeProgress(input), input, history: [] };
    }
    const input = await fromJournal(repo, store, known, nowMs);
    const report = computeProgress(input);
    journalSnapshot(store, report);
    const history = store.eventsOfType(known.id, ['progress.snapshot']) as (Snapshot & StoredEvent)[];
    return { report, input, history: history.map(({ seq: _seq, ...rest }) => rest) };
  } finally {
    store?.close();
  }
}
