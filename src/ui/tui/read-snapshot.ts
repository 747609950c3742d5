import { agentHealth } from '../../engine/agent-health.js';
import { runHealthOf } from '../../engine/status.js';
import type { ProgressReport } from '../../progress/types.js';
import type { StoredEvent } from '../../store/events.js';
import { isProcessAlive } from '../../store/sqlite-store.js';
import type { RunRow, Store, TaskRow } from '../../store/types.js';
import { alertsOf } from './alerts.js';
import { describeEvent } from './describe.js';
import { tailLines } from './log-tail.js';
import type { WatchInsights, WatchSnapshot, WatchTask } from './model.js';

const TIMELINE = 30;

export const isLive = (run: RunRow | undefined): boolean =>
  run?.state === 'running' && isProcessAlive(run.pid);

const toTask = (row: TaskRow): WatchTask => ({
  id: row.id,
  title: row.title,
  state: row.state,
  agent: row.agent,
  attempts: row.attempts,
  reason: row.reason,
});

function insightsOf(report: ProgressReport): WatchInsights {
  const { velocity, forecast, bottlenecks, recommendations } = report.insights;
  const blocked = bottlenecks.blocked[0];
  const failing = bottlenecks.failing_profiles[0];
  const slow = bottlenecks.slow_tasks[0];
  const bottleneck = blocked
    ? `${blocked.task} blocked${blocked.reason ? `: ${blocked.reason}` : ''}`
    : failing
      ? `profile ${failing.agent}: ${failing.failed}/${failing.attempts} attempts failed`
      : slow
        ? `${slow.task} slow: ${slow.seconds}s (p90 ${slow.p90_seconds}s)`
        : bottlenecks.critical_path.length > 0
          ? `critical path: ${bottlenecks.critical_path.join(' → ')}`
          : null;
  return {
    velocity: velocity.weighted_tasks_per_hour,
    trend: velocity.trend,
    p50Seconds: forecast.p50_seconds,
    p90Seconds: forecast.p90_seconds,
    bottleneck,
    recommendation: recommendations[0]?.message ?? null,
  };
}

/** The timeline: the newest events worth a line, oldest first. */
export function timelineOf(events: StoredEvent[]): WatchSnapshot['timeline'] {
  const lines: WatchSnapshot['timeline'] = [];
  for (let i = events.length - 1; i >= 0 && lines.length < TIMELINE; i--) {
    const event = events[i]!;
    const text = describeEvent(event);
    if (text !== null) lines.push({ seq: event.seq, at: event.at, text });
  }
  return lines.reverse();
}

/** One frame's data for a milestone the journal knows; `report` and `events` may lag a little. */
export function readSnapshot(
  store: Store,
  id: string,
  report: ProgressReport | undefined,
  events: StoredEvent[],
  nowMs = Date.now(),
): WatchSnapshot | undefined {
  const row = store.milestone(id);
  if (!row) return undefined;
  const latest = store.latestRun(id);
  const live = isLive(latest);
  const run = latest ? runHealthOf(latest) : undefined;
  const tasks = store.tasks(id).map(toTask);
  const attempts = store.attempts(id);
  const agents = agentHealth(attempts, live, nowMs);
  const running = live ? attempts.filter((a) => a.ended_at === null) : [];
  return {
    milestone: row.id,
    title: row.title,
    waiting: false,
    state: row.state,
    run: latest ? { id: latest.id, state: latest.state, live, level: run!.level, score: run!.score } : null,
    overall: report?.overall ?? null,
    confidence: report?.confidence ?? null,
    tasks,
    agents: running.map((a) => ({
      task: a.task,
      agent: a.agent,
      attempt: a.attempt,
      elapsedS: Math.max(0, Math.round((nowMs - Date.parse(a.started_at)) / 1000)),
      lastLine: tailLines(a.log_file, 1)[0] ?? null,
    })),
    alerts: alertsOf({ tasks, attempts, run, agents }),
    insights: report ? insightsOf(report) : null,
    timeline: timelineOf(events),
  };
}
