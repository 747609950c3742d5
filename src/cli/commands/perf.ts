import { readPerf } from '../../engine/perf.js';
import { resolveRepo } from '../../git/repo.js';
import type { PerfReport } from '../../progress/perf/analyze-phases.js';
import { formatTable, printJson } from '../output.js';

export function renderPerf(report: PerfReport): string {
  const lines = [
    `Milestone ${report.milestone}: ${report.attempts} attempt(s) with phase times, ${report.merges} merge(s)`,
    '',
    formatTable(
      ['PHASE', 'TOTAL', 'MEAN', 'P90', 'SHARE', 'SAMPLES'],
      report.phases.map((p) => [
        p.phase,
        `${p.total_s} s`,
        `${p.mean_s} s`,
        `${p.p90_s} s`,
        `${Math.round(p.share * 100)}%`,
        String(p.samples),
      ]),
    ),
  ];
  if (report.profiles.length > 0) {
    lines.push(
      '',
      formatTable(
        ['PROFILE', 'ATTEMPTS', 'FAILED', 'MEAN SETUP', 'MEAN AGENT', 'MEAN ACCEPTANCE'],
        report.profiles.map((p) => [
          p.agent,
          String(p.attempts),
          String(p.failed),
          `${p.mean_s.setup ?? '-'} s`,
          `${p.mean_s.agent ?? '-'} s`,
          `${p.mean_s.acceptance ?? '-'} s`,
        ]),
      ),
    );
  }
  lines.push(
    '',
    `Bottleneck: ${report.bottleneck ? report.bottleneck.evidence : 'no data (no attempt with phase times yet)'}`,
  );
  if (report.recommendations.length > 0) {
    lines.push('Recommendations:', ...report.recommendations.map((r) => `  - ${r.message} [${r.rule}]`));
  }
  return lines.join('\n');
}

/** `cairn perf`: time per phase and per profile, the bottleneck and what to do about it. */
export default async function perf(name: string, options: { json?: boolean }): Promise<number> {
  const repo = await resolveRepo(process.cwd());
  const report = await readPerf(repo, name, process.cwd());
  if (options.json) printJson(report);
  else process.stdout.write(`${renderPerf(report)}\n`);
  return 0;
}
