import { resolveRepo } from '../../git/repo.js';
import { readProgress, type ProgressResult } from '../../engine/progress.js';
import type { Frequency } from '../../progress/analyze/types.js';
import type { ProgressReport } from '../../progress/types.js';
import { formatTable, printJson } from '../output.js';

const percent = (value: number | null) => (value === null ? 'no data' : `${Math.round(value * 100)}%`);
const figure = (value: number | null) => (value === null ? '-' : value.toFixed(2));

/** A bar of `width` cells, `#` for done and `.` for the rest, readable without colour. */
export function progressBar(value: number | null, width = 30): string {
  if (value === null) return `[${' '.repeat(width)}]`;
  const filled = Math.round(Math.min(1, Math.max(0, value)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

function frequencyText(f: Frequency): string {
  if (f.commits < 2) return `${f.pattern} (${f.commits} commit${f.commits === 1 ? '' : 's'})`;
  const cv = f.cv === null ? 'cv -' : `cv ${f.cv}`;
  return `${f.pattern} (${f.commits} commits, mean gap ${f.mean_gap_hours} h, ${cv})`;
}

export function renderProgress(report: ProgressReport): string {
  const { milestone, dimensions, insights } = report;
  const { velocity, forecast, bottlenecks, recommendations } = insights;
  const lines = [
    `Milestone ${milestone.id}: ${milestone.title} (${milestone.state})`,
    `  ${progressBar(report.overall)} ${percent(report.overall)} overall · confidence ${report.confidence.toFixed(2)}`,
    '',
    formatTable(
      ['DIMENSION', 'VALUE', 'WHY'],
      Object.entries(dimensions).map(([name, d]) => [name, percent(d.value), d.explanation]),
    ),
    '',
    `Velocity: ${velocity.weighted_tasks_per_hour === null ? 'no data' : `${velocity.weighted_tasks_per_hour} weighted tasks/h, ${velocity.commits_per_day} commits/day, ${velocity.trend}`}`,
    `  ${velocity.explanation}`,
    `Forecast: ${forecast.p50_seconds === null ? 'no data' : `P50 ${duration(forecast.p50_seconds)} (${forecast.p50_at}), P90 ${duration(forecast.p90_seconds!)} (${forecast.p90_at})`}`,
    `  ${forecast.explanation}`,
    'Bottlenecks:',
    `  critical path left: ${bottlenecks.critical_path.length === 0 ? 'none' : bottlenecks.critical_path.join(' -> ')}`,
    ...bottlenecks.blocked.map((b) => `  stopped: ${b.task}${b.reason ? ` (${b.reason})` : ''}`),
    ...bottlenecks.failing_profiles.map(
      (p) => `  failing profile: ${p.agent} (${p.failed}/${p.attempts} attempts failed)`,
    ),
    ...bottlenecks.slow_tasks.map(
      (s) =>
        `  slow: ${s.task} ${duration(s.seconds)} (p90 ${duration(s.p90_seconds)})${s.running ? ', running' : ''}`,
    ),
    `Commit frequency: ${frequencyText(report.frequency.milestone)}`,
    ...Object.entries(report.frequency.agents).map(([agent, f]) => `  agent ${agent}: ${frequencyText(f)}`),
  ];
  if (recommendations.length > 0) {
    lines.push('Recommendations:', ...recommendations.map((r) => `  - ${r.message} [${r.rule}]`));
  }
  return lines.join('\n');
}

function renderHistory(history: ProgressResult['history']): string {
  if (history.length === 0) return 'History: no snapshot yet.';
  const names = ['task', 'code', 'git', 'quality', 'value'];
  const rows = history.map((s) => [
    s.at,
    percent(s.overall),
    figure(s.confidence),
    ...names.map((name) => figure(s.dimensions[name] ?? null)),
  ]);
  return `History:\n${formatTable(['AT', 'OVERALL', 'CONF', ...names.map((n) => n.toUpperCase())], rows)}`;
}

/** `cairn progress`: five dimensions, overall and confidence, insights; `--history` adds the series. */
export default async function progress(
  name: string,
  options: { json?: boolean; history?: boolean },
): Promise<number> {
  const repo = await resolveRepo(process.cwd());
  const result = await readProgress(repo, name, process.cwd());
  if (options.json) {
    printJson(options.history ? { ...result.report, history: result.history } : result.report);
    return 0;
  }
  const text = renderProgress(result.report);
  process.stdout.write(`${options.history ? `${text}\n\n${renderHistory(result.history)}` : text}\n`);
  return 0;
}
