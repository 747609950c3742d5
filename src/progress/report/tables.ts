import type { ReportData } from './model.js';

/** The report's tables as header and rows of text, shared by the Markdown and HTML renderings. */
export interface TextTable {
  header: string[];
  rows: string[][];
}

const pct = (value: number | null) => (value === null ? 'no data' : `${Math.round(value * 100)}%`);

export function durationText(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function dimensionTable(data: ReportData): TextTable {
  return {
    header: ['Dimension', 'Value', 'Why'],
    rows: Object.entries(data.progress.dimensions).map(([name, d]) => [name, pct(d.value), d.explanation]),
  };
}

export function taskTable(data: ReportData): TextTable {
  return {
    header: ['Task', 'Title', 'State', 'Weight', 'Agent', 'Attempts', 'Took', 'Lines'],
    rows: data.tasks.map((t) => [
      t.id,
      t.title,
      t.reason && t.state !== 'done' ? `${t.state} (${t.reason})` : t.state,
      String(t.weight),
      t.agent,
      String(t.attempts),
      durationText(t.seconds),
      String(t.lines),
    ]),
  };
}

export function agentTable(data: ReportData): TextTable {
  return {
    header: ['Agent', 'Tasks', 'Merged', 'Attempts', 'Failed'],
    rows: data.agents.map((a) => [
      a.agent,
      String(a.tasks),
      String(a.merged),
      String(a.attempts),
      String(a.failed),
    ]),
  };
}

export function linesTable(data: ReportData): TextTable {
  return {
    header: ['Kind', 'Added', 'Deleted'],
    rows: Object.entries(data.stats.lines).map(([kind, l]) => [kind, String(l.added), String(l.deleted)]),
  };
}
