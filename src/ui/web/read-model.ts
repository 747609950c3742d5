import { agentHealth } from '../../engine/agent-health.js';
import type { CairnEvent, StoredEvent } from '../../store/events.js';
import { isProcessAlive } from '../../store/sqlite-store.js';
import type { AttemptRow, RunRow, Store, TaskRow } from '../../store/types.js';
import { describeEvent } from './describe-event.js';
import type {
  AlertView,
  AttemptView,
  FeedEvent,
  MilestoneHeader,
  MilestoneView,
  RunView,
  TaskStateName,
  TaskView,
} from './model.js';

type Planned = Extract<CairnEvent, { type: 'milestone.planned' }>;

export const FEED = 200;

export const isLive = (run: RunRow | undefined) => run?.state === 'running' && isProcessAlive(run.pid);

function runView(run: RunRow | undefined): RunView | null {
  if (!run) return null;
  const health = run.health ? (JSON.parse(run.health) as { score?: number; warnings?: string[] }) : {};
  return {
    id: run.id,
    state: run.state,
    level: run.level ?? 'full',
    score: health.score ?? null,
    warnings: health.warnings ?? [],
    started_at: run.started_at,
    ended_at: run.ended_at,
  };
}

/** Dependencies and weights come from the plan: the tasks table does not keep them. */
function planOf(store: Store, milestone: string) {
  const planned = store.eventsOfType(milestone, ['milestone.planned'], { last: true })[0] as
    (Planned & StoredEvent) | undefined;
  return new Map((planned?.tasks ?? []).map((t) => [t.id, t]));
}

function taskView(row: TaskRow, plan: ReturnType<typeof planOf>): TaskView {
  const planned = plan.get(row.id);
  return {
    id: row.id,
    title: row.title,
    state: row.state as TaskStateName,
    attempts: row.attempts,
    agent: row.agent,
    reason: row.reason,
    blocked_by: row.blocked_by,
    merge_commit: row.merge_commit,
    depends_on: planned?.dependsOn ?? [],
    weight: planned?.weight ?? 1,
    updated_at: row.updated_at,
  };
}

export function attemptView(row: AttemptRow, live: boolean): AttemptView {
  const state = row.ended_at === null ? (live ? 'running' : 'abandoned') : row.state;
  return {
    task: row.task,
    attempt: row.attempt,
    run: row.run,
    agent: row.agent,
    state,
    exit_code: row.exit_code,
    signal: row.signal,
    reason: row.reason,
    started_at: row.started_at,
    ended_at: row.ended_at,
  };
}

function alertsOf(tasks: TaskView[], run: RunView | null, agents: MilestoneView['agents']): AlertView[] {
  const alerts: AlertView[] = [];
  for (const task of tasks) {
    if (task.state === 'failed' || task.state === 'blocked') {
      alerts.push({
        level: 'error',
        task: task.id,
        message: `${task.id} is ${task.state}${task.reason ? `: ${task.reason}` : ''}`,
      });
    }
  }
  for (const warning of run?.warnings ?? []) alerts.push({ level: 'warning', task: null, message: warning });
  for (const agent of agents) {
    if (agent.output_age_s !== null && agent.output_age_s > 120) {
      alerts.push({
        level: 'warning',
        task: null,
        message: `agent ${agent.agent} has written no output for ${agent.output_age_s} s`,
      });
    }
  }
  return alerts;
}

export function feedEvent(event: StoredEvent): FeedEvent {
  return {
    seq: event.seq,
    at: event.at,
    type: event.type,
    task: 'task' in event && typeof event.task === 'string' ? event.task : null,
    text: describeEvent(event),
  };
}

export function headerOf(store: Store, id: string, seq: number): MilestoneHeader | undefined {
  const row = store.milestone(id);
  if (!row) return undefined;
  const latest = store.latestRun(id);
  return {
    id: row.id,
    title: row.title,
    branch: row.branch,
    base: row.base,
    state: row.state,
    live: isLive(latest),
    run: runView(latest),
    seq,
  };
}

/** The whole view of a milestone the journal knows; `recent`: its latest events, oldest first. */
export function readMilestoneView(
  store: Store,
  id: string,
  seq: number,
  recent: StoredEvent[],
): MilestoneView | undefined {
  const header = headerOf(store, id, seq);
  if (!header) return undefined;
  const plan = planOf(store, id);
  const tasks = store.tasks(id).map((row) => taskView(row, plan));
  const rows = store.attempts(id);
  const attempts = rows.map((row) => attemptView(row, header.live));
  const agents = agentHealth(rows, header.live);
  return {
    header,
    tasks,
    attempts,
    agents,
    alerts: alertsOf(tasks, header.run, agents),
    feed: recent.slice(-FEED).map(feedEvent),
  };
}
