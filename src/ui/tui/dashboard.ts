import { Box, Text } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import { layoutFor, type Layout } from './layout.js';
import type { WatchAction, WatchSnapshot } from './model.js';
import {
  agentsPanel,
  alertsPanel,
  header,
  insightsPanel,
  matrix,
  panel,
  selectedLine,
  timelinePanel,
} from './panels.js';

/** What the person is doing on top of the dashboard. */
export type Mode =
  | { kind: 'dashboard' }
  | { kind: 'log'; task: string }
  | { kind: 'confirm'; action: WatchAction; task: string }
  | { kind: 'busy'; action: WatchAction; task: string };

export interface DashboardProps {
  snapshot: WatchSnapshot;
  size: { columns: number; rows: number };
  intervalMs: number;
  selected: number;
  mode: Mode;
  logLines: string[];
  /** The outcome of the last action, or a read error. */
  message: string | null;
  /** Without a terminal: no key line. */
  interactive: boolean;
}

const KEYS = '←↑↓→ select · Enter log · r retry · s skip · u unblock · q quit';

export function layoutOf(snapshot: WatchSnapshot, size: DashboardProps['size']): Layout {
  return layoutFor(
    size,
    snapshot.tasks.map((t) => t.id),
    { alerts: snapshot.alerts.length, agents: snapshot.agents.length, timeline: snapshot.timeline.length },
  );
}

function lower(props: DashboardProps, layout: Layout): ReactNode {
  const { snapshot, mode } = props;
  if (mode.kind === 'log') {
    const lines = Math.max(1, layout.spare - 3);
    const shown = props.logLines.slice(-lines);
    return panel(
      `Log of ${mode.task} (latest attempt; Enter or Esc: back)`,
      undefined,
      shown.length > 0
        ? shown.map((text, i) => h(Text, { key: `log-${i}`, wrap: 'truncate-end' }, text))
        : [h(Text, { key: 'none', dimColor: true }, 'no log yet')],
    );
  }
  const p = layout.panels;
  const half = layout.twoColumns ? Math.floor(layout.columns / 2) : undefined;
  const left = [
    p.alerts > 0 ? alertsPanel(snapshot, p.alerts, half) : null,
    p.agents > 0 ? agentsPanel(snapshot, p.agents, half) : null,
  ];
  const right = [
    p.insights > 0 ? insightsPanel(snapshot, p.insights, half) : null,
    p.timeline > 0 ? timelinePanel(snapshot, p.timeline, half) : null,
  ];
  if (!layout.twoColumns) return h(Box, { flexDirection: 'column' }, ...left, ...right);
  return h(
    Box,
    { flexDirection: 'row' },
    h(Box, { flexDirection: 'column', width: half }, ...left),
    h(Box, { flexDirection: 'column', width: layout.columns - half! }, ...right),
  );
}

function footer(props: DashboardProps): ReactNode {
  const { mode } = props;
  if (mode.kind === 'confirm') {
    return h(
      Text,
      { color: 'yellow', bold: true, wrap: 'truncate-end' },
      `${mode.action} ${mode.task}? (y/n)`,
    );
  }
  if (mode.kind === 'busy') return h(Text, { wrap: 'truncate-end' }, `${mode.action} ${mode.task}…`);
  const message = props.message ? `${props.message} · ` : '';
  return h(
    Text,
    { wrap: 'truncate-end', dimColor: !props.message },
    `${message}${props.interactive ? KEYS : ''}`,
  );
}

/** One frame of `cairn watch`: a pure function of the snapshot and what the person is doing. */
export function Dashboard(props: DashboardProps): ReactNode {
  const { snapshot } = props;
  const layout = layoutOf(snapshot, props.size);
  return h(
    Box,
    {
      flexDirection: 'column',
      width: props.size.columns,
      // A live frame keeps one height, so incremental rendering rewrites only the lines that changed.
      ...(props.interactive ? { height: Math.max(1, props.size.rows - 1), overflow: 'hidden' } : {}),
    },
    header(snapshot, props.intervalMs),
    matrix(snapshot, props.selected, layout),
    selectedLine(snapshot.tasks[props.selected]),
    lower(props, layout),
    h(Box, { flexGrow: 1 }),
    footer(props),
  );
}
