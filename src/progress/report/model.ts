import { taskSeconds } from '../insights/durations.js';
import type { ProgressInput, ProgressReport } from '../types.js';
import type { FileKind } from '../../shared/file-kind.js';

export interface ReportTask {
  id: string;
  title: string;
  state: string;
  weight: number;
  agent: string;
  attempts: number;
  seconds: number | null;
  lines: number;
  reason: string | null;
}

export interface ReportAgent {
  agent: string;
  tasks: number;
  attempts: number;
  failed: number;
  merged: number;
}

/** A point of the burn-up: merged weight by a time, against the scope at that time. */
export interface BurnPoint {
  at: string;
  merged_weight: number;
  scope_weight: number;
}

/** Everything a report shows, in one JSON-able object (`--format json` prints it as is). */
export interface ReportData {
  milestone: ProgressReport['milestone'];
  generated_at: string;
  progress: ProgressReport;
  tasks: ReportTask[];
  agents: ReportAgent[];
  stats: {
    commits: number;
    merges: number;
    lines: Record<FileKind, { added: number; deleted: number }>;
  };
  burn_up: BurnPoint[];
  history: { at: string; overall: number | null }[];
  risks: string[];
}

const totalLines = (task: ProgressInput['tasks'][number]) =>
  task.lines ? Object.values(task.lines).reduce((a, k) => a + k.added + k.deleted, 0) : 0;

export function buildReport(
  report: ProgressReport,
  input: ProgressInput,
  history: { at: string; overall: number | null }[],
): ReportData {
  const scope = input.tasks.filter((t) => t.state !== 'skipped').reduce((a, t) => a + t.weight, 0);
  const merged = input.tasks
    .filter((t) => t.mergedMs !== null && t.state === 'done')
    .sort((a, b) => a.mergedMs! - b.mergedMs!);
  let sum = 0;
  const burnUp: BurnPoint[] = merged.map((t) => ({
    at: new Date(t.mergedMs!).toISOString(),
    merged_weight: (sum += t.weight),
    scope_weight: scope,
  }));
  const firstStart = Math.min(...input.tasks.flatMap((t) => t.attempts.map((a) => a.startedMs)));
  if (Number.isFinite(firstStart)) {
    burnUp.unshift({ at: new Date(firstStart).toISOString(), merged_weight: 0, scope_weight: scope });
  }

  const agents = new Map<string, ReportAgent>();
  for (const task of input.tasks) {
    const entry = agents.get(task.agent) ?? {
      agent: task.agent,
      tasks: 0,
      attempts: 0,
      failed: 0,
      merged: 0,
    };
    entry.tasks++;
    if (task.state === 'done') entry.merged++;
    agents.set(task.agent, entry);
    for (const attempt of task.attempts) {
      const byAttempt = agents.get(attempt.agent) ?? {
        agent: attempt.agent,
        tasks: 0,
        attempts: 0,
        failed: 0,
        merged: 0,
      };
      byAttempt.attempts++;
      if (attempt.outcome === 'failed') byAttempt.failed++;
      agents.set(attempt.agent, byAttempt);
    }
  }

  const lines = {
    code: { added: 0, deleted: 0 },
    test: { added: 0, deleted: 0 },
    docs: { added: 0, deleted: 0 },
    config: { added: 0, deleted: 0 },
  };
  for (const task of input.tasks.filter((t) => t.state === 'done' && t.lines)) {
    for (const kind of Object.keys(lines) as FileKind[]) {
      lines[kind].added += task.lines![kind].added;
      lines[kind].deleted += task.lines![kind].deleted;
    }
  }
  const { bottlenecks, recommendations } = report.insights;
  const risks = [
    ...bottlenecks.blocked.map((b) => `${b.task} is stopped${b.reason ? `: ${b.reason}` : ''}`),
    ...bottlenecks.failing_profiles.map(
      (p) => `agent profile ${p.agent} failed ${p.failed} of ${p.attempts} attempts`,
    ),
    ...bottlenecks.slow_tasks
      .filter((s) => s.running)
      .map((s) => `${s.task} runs longer than 90% of merged tasks`),
    ...recommendations.filter((r) => r.rule === 'slowing' || r.rule === 'few-tests').map((r) => r.message),
  ];
  return {
    milestone: report.milestone,
    generated_at: report.at,
    progress: report,
    tasks: input.tasks.map((t) => ({
      id: t.id,
      title: t.title,
      state: t.state,
      weight: t.weight,
      agent: t.agent,
      attempts: t.attempts.length,
      seconds: taskSeconds(t),
      lines: totalLines(t),
      reason: t.reason,
    })),
    agents: [...agents.values()].sort((a, b) => a.agent.localeCompare(b.agent)),
    stats: {
      commits: input.commits.filter((c) => !c.merge).length,
      merges: input.commits.filter((c) => c.merge).length,
      lines,
    },
    burn_up: burnUp,
    history,
    risks,
  };
}
