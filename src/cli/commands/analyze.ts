import { analyzeHistory } from '../../progress/analyze/analyze-history.js';
import type { Analysis, Frequency, GroupBy } from '../../progress/analyze/types.js';
import { formatTable, paint, printJson } from '../output.js';

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, what: string) => `${count(n)} ${what}${n === 1 ? '' : 's'}`;
const day = (iso: string | null) => iso?.slice(0, 10) ?? '-';
const percent = (part: number, whole: number) =>
  whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`;

function describeFrequency(f: Frequency): string {
  if (f.mean_gap_hours === null) return `${f.pattern} (${plural(f.commits, 'commit')})`;
  const cv = f.cv === null ? 'n/a' : String(f.cv);
  return `${f.pattern} — cv ${cv}, mean gap ${f.mean_gap_hours} h, median gap ${f.median_gap_hours} h, over ${f.span_hours} h`;
}

/** The analysis as a person reads it: a summary, then a table for the grouping. */
export function renderAnalysis(a: Analysis): string {
  if (a.commits === 0) {
    return a.note === 'no commits yet'
      ? 'No commits yet: nothing to analyze.'
      : `No commits in ${a.range}${a.since ? ` since ${a.since}` : ''}.`;
  }
  const { conventional, heuristic, merge } = a.classified;
  const lines = [
    `${a.range}${a.since ? ` since ${a.since}` : ''} · ${plural(a.commits, 'commit')} (${plural(a.merges, 'merge')}) by ${plural(a.authors, 'author')} · ${day(a.first)} → ${day(a.last)}${a.shallow ? ' · shallow clone: older history missing' : ''}`,
    `churn: +${count(a.churn.added)} −${count(a.churn.deleted)} lines in ${plural(a.churn.files, 'file change')} (${count(a.churn.binary)} binary)`,
    `types: ${Object.entries(a.types)
      .map(([type, n]) => `${type} ${count(n)}`)
      .join(
        ' · ',
      )} (${percent(conventional, a.commits)} conventional, ${percent(heuristic, a.commits)} by heuristics, ${percent(merge, a.commits)} merges)`,
    `kinds: ${Object.entries(a.kinds)
      .map(([kind, k]) => `${kind} ${count(k.files)} files +${count(k.added)} −${count(k.deleted)}`)
      .join(' · ')}`,
    `frequency: ${describeFrequency(a.frequency)}${a.frequency.clock_skew > 0 ? ` (${plural(a.frequency.clock_skew, 'commit')} with a skewed author date: commit date used)` : ''}`,
    '',
    renderGroups(a),
  ];
  return lines.join('\n');
}

function renderGroups(a: Analysis): string {
  const milestone = a.by === 'milestone';
  const header = [
    a.by.toUpperCase(),
    'COMMITS',
    ...(milestone ? ['TASKS'] : []),
    'MERGES',
    'FILES',
    '+ADDED',
    '-DELETED',
    'PATTERN',
    'CV',
    'FIRST',
    'LAST',
  ];
  const rows = a.groups.map((g) => [
    g.key,
    count(g.commits),
    ...(milestone ? [String(g.tasks ?? 0)] : []),
    count(g.merges),
    count(g.files),
    count(g.added),
    count(g.deleted),
    g.frequency.pattern,
    g.frequency.cv === null ? '-' : String(g.frequency.cv),
    day(g.first),
    day(g.last),
  ]);
  return formatTable(header, rows);
}

/** `cairn analyze [rev-range]`: commit figures of any git repository (see docs/progress.md). */
export default async function analyze(
  range: string | undefined,
  options: { since?: string; by?: GroupBy; json?: boolean },
): Promise<number> {
  const { analysis, warnings } = await analyzeHistory({
    cwd: process.cwd(),
    range,
    since: options.since,
    by: options.by ?? 'type',
  });
  for (const warning of warnings) process.stderr.write(`${paint('yellow', 'warning:')} ${warning}\n`);
  if (options.json) printJson(analysis);
  else process.stdout.write(`${renderAnalysis(analysis)}\n`);
  return 0;
}
