import type { RepoPaths } from '../../git/repo.js';
import { readProgress } from '../../engine/progress.js';
import { buildReport } from '../../progress/report/model.js';
import type { ProgressInput } from '../../progress/types.js';
import type { ProgressView } from './model.js';

/** Commits on the milestone branch per hour, oldest first (empty hours left out). */
function commitsPerHour(commits: ProgressInput['commits']): ProgressView['commits'] {
  const hours = new Map<string, { commits: number; merges: number }>();
  for (const commit of [...commits].sort((a, b) => a.time - b.time)) {
    const hour = new Date(Math.floor(commit.time / 3600) * 3600 * 1000).toISOString();
    const entry = hours.get(hour) ?? { commits: 0, merges: 0 };
    if (commit.merge) entry.merges++;
    else entry.commits++;
    hours.set(hour, entry);
  }
  return [...hours].map(([hour, counts]) => ({ hour, ...counts }));
}

/**
 * The progress part of a milestone page: the same figures as `cairn progress` and `cairn report`
 * (which journal a snapshot when they changed, as those commands do).
 */
export async function readProgressView(repo: RepoPaths, milestone: string): Promise<ProgressView> {
  const { report, input, history } = await readProgress(repo, milestone, repo.root);
  const data = buildReport(
    report,
    input,
    history.map((s) => ({ at: s.at, overall: s.overall })),
  );
  const { velocity, forecast, bottlenecks, recommendations } = report.insights;
  return {
    at: report.at,
    overall: report.overall,
    confidence: report.confidence,
    dimensions: Object.fromEntries(
      Object.entries(report.dimensions).map(([name, d]) => [
        name,
        { value: d.value, explanation: d.explanation },
      ]),
    ),
    velocity: {
      per_hour: velocity.weighted_tasks_per_hour,
      trend: velocity.trend,
      explanation: velocity.explanation,
    },
    forecast: { p50_at: forecast.p50_at, p90_at: forecast.p90_at, explanation: forecast.explanation },
    critical_path: bottlenecks.critical_path,
    recommendations: recommendations.map((r) => r.message),
    risks: data.risks,
    burn_up: data.burn_up,
    history: data.history,
    commits: commitsPerHour(input.commits),
    frequency: {
      pattern: report.frequency.milestone.pattern,
      commits: report.frequency.milestone.commits,
      agents: Object.fromEntries(
        Object.entries(report.frequency.agents).map(([agent, f]) => [agent, `${f.pattern} (${f.commits})`]),
      ),
    },
  };
}
