import { Box, Text } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import { clockOf, duration, percent, progressBar, trendArrow, truncate } from './format.js';
import { matrixScroll, type Layout } from './layout.js';
import type { WatchSnapshot, WatchTask } from './model.js';
import { lookOf, STATE_LOOK } from './states.js';

/** A bordered panel with a bold title line; its lines never wrap (the layout counted them). */
export function panel(title: string, width: number | undefined, lines: ReactNode[]): ReactNode {
  return h(
    Box,
    { borderStyle: 'round', flexDirection: 'column', paddingX: 1, ...(width ? { width } : { flexGrow: 1 }) },
    h(Text, { bold: true, wrap: 'truncate-end' }, title),
    ...lines,
  );
}

const line = (text: string, props: Record<string, unknown> = {}) =>
  h(Text, { wrap: 'truncate-end', ...props }, text);

/** A run the journal says is running but whose process is gone died without ending it. */
const runState = (run: NonNullable<WatchSnapshot['run']>) =>
  run.live ? 'live' : run.state === 'running' ? 'stopped (its process is gone)' : run.state;

export function header(snapshot: WatchSnapshot, intervalMs: number): ReactNode {
  const run = snapshot.run;
  const runText = snapshot.waiting
    ? `waiting for a run (checking every ${duration(intervalMs / 1000)})`
    : run
      ? `run ${run.id} ${runState(run)} · level ${run.level}${run.score === null ? '' : ` · health ${run.score}`}`
      : 'no run yet';
  const done = snapshot.tasks.filter((t) => t.state === 'done').length;
  const i = snapshot.insights;
  const finished =
    snapshot.tasks.length > 0 && snapshot.tasks.every((t) => t.state === 'done' || t.state === 'skipped');
  const eta = finished
    ? ' · complete'
    : i?.p50Seconds != null
      ? ` · ETA ${duration(i.p50Seconds)} (p90 ${duration(i.p90Seconds ?? i.p50Seconds)})`
      : '';
  const trend = i ? ` ${trendArrow(i.trend)} ${i.trend}` : '';
  const confidence = snapshot.confidence === null ? '' : ` (confidence ${percent(snapshot.confidence)})`;
  return h(
    Box,
    { flexDirection: 'column' },
    line(`${snapshot.milestone} ${snapshot.title} · ${snapshot.state} · ${runText}`, {
      bold: true,
    }),
    h(
      Text,
      { wrap: 'truncate-end' },
      h(Text, { color: 'green' }, progressBar(snapshot.overall, 22)),
      ` ${percent(snapshot.overall)}${trend}${confidence}${eta} · ${done}/${snapshot.tasks.length} tasks done`,
    ),
  );
}

/** Which matrix lines show when not all fit: ` (lines 3-4 of 9)`. */
function clipped(tasks: number, first: number, layout: Layout): string {
  const total = Math.ceil(tasks / layout.perLine);
  if (total <= layout.matrixLines) return '';
  return ` (lines ${first + 1}-${first + layout.matrixLines} of ${total})`;
}

function cell(task: WatchTask, selected: boolean, width: number): ReactNode {
  const look = lookOf(task.state);
  const text = `${look.symbol} ${truncate(task.id, width - 3)}`.padEnd(width - 1);
  return h(Text, { key: task.id, color: look.color, inverse: selected }, text);
}

export function matrix(snapshot: WatchSnapshot, selected: number, layout: Layout): ReactNode {
  const first = matrixScroll(selected, layout);
  const rows: ReactNode[] = [];
  for (let r = first; r < first + layout.matrixLines; r++) {
    const tasks = snapshot.tasks.slice(r * layout.perLine, (r + 1) * layout.perLine);
    if (tasks.length === 0) break;
    rows.push(
      h(
        Box,
        { key: `row-${r}` },
        ...tasks.map((task, c) =>
          h(
            Box,
            { key: task.id, width: layout.cellWidth },
            cell(task, r * layout.perLine + c === selected, layout.cellWidth),
          ),
        ),
      ),
    );
  }
  if (rows.length === 0) rows.push(line('no tasks', { dimColor: true }));
  const legend = Object.values(STATE_LOOK)
    .map((look) => `${look.symbol} ${look.label}`)
    .join('  ');
  return h(
    Box,
    { borderStyle: 'round', flexDirection: 'column', paddingX: 1 },
    line(`Tasks${clipped(snapshot.tasks.length, first, layout)}  ${legend}`, { dimColor: true }),
    ...rows,
  );
}

export function selectedLine(task: WatchTask | undefined): ReactNode {
  if (!task) return line(' ');
  const look = lookOf(task.state);
  const why = task.reason ? ` · ${task.reason}` : '';
  return line(
    `> ${look.symbol} ${task.id}: ${task.title} · ${look.label} · ${task.agent} · ${task.attempts} attempt(s)${why}`,
  );
}

export function agentsPanel(snapshot: WatchSnapshot, lines: number, width?: number): ReactNode {
  const rows = snapshot.agents.slice(0, lines).map((a) =>
    line(
      `▶ ${a.task} · ${a.agent} #${a.attempt} · ${duration(a.elapsedS)} · ${a.lastLine ?? '(no output yet)'}`,
      {
        key: `${a.task}-${a.attempt}`,
      },
    ),
  );
  return panel(
    `Agents (${snapshot.agents.length} running)`,
    width,
    rows.length > 0 ? rows : [line('no agent running', { dimColor: true })],
  );
}

export function alertsPanel(snapshot: WatchSnapshot, lines: number, width?: number): ReactNode {
  const rows = snapshot.alerts.slice(0, lines).map((alert, i) =>
    line(`${alert.level === 'error' ? '✗' : '!'} ${alert.text}`, {
      key: `alert-${i}`,
      color: alert.level === 'error' ? 'red' : 'yellow',
    }),
  );
  const more = snapshot.alerts.length > lines ? ` (${lines} of ${snapshot.alerts.length})` : '';
  return panel(`Alerts${more}`, width, rows.length > 0 ? rows : [line('none', { dimColor: true })]);
}

export function insightsPanel(snapshot: WatchSnapshot, lines: number, width?: number): ReactNode {
  const i = snapshot.insights;
  const rows = i
    ? [
        `velocity ${i.velocity === null ? 'no data' : `${i.velocity.toFixed(1)} weighted tasks/h`} ${trendArrow(i.trend)} ${i.trend}`,
        `forecast ${i.p50Seconds === null ? 'no data' : `p50 ${duration(i.p50Seconds)} · p90 ${duration(i.p90Seconds ?? i.p50Seconds)}`}`,
        `bottleneck ${i.bottleneck ?? 'none'}`,
        `next ${i.recommendation ?? 'nothing to recommend'}`,
      ]
    : ['no figures yet'];
  return panel(
    'Insights',
    width,
    rows.slice(0, lines).map((text, n) => line(text, { key: `insight-${n}` })),
  );
}

export function timelinePanel(snapshot: WatchSnapshot, lines: number, width?: number): ReactNode {
  const rows = snapshot.timeline
    .slice(-lines)
    .map((event) => line(`${clockOf(event.at)} ${event.text}`, { key: `ev-${event.seq}` }));
  return panel('Timeline', width, rows.length > 0 ? rows : [line('no events yet', { dimColor: true })]);
}
