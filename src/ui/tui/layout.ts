/** Content lines of each lower panel; 0 hides it. */
export interface PanelPlan {
  alerts: number;
  agents: number;
  insights: number;
  timeline: number;
}

export interface Layout {
  columns: number;
  rows: number;
  cellWidth: number;
  /** Matrix cells per line, and the matrix lines that fit (it scrolls to the selection beyond). */
  perLine: number;
  matrixLines: number;
  /** Lower panels side by side (wide terminals) or stacked. */
  twoColumns: boolean;
  panels: PanelPlan;
  /** Lines left for the lower panels, which the log view takes whole. */
  spare: number;
}

/** Header (2), matrix border and legend (3), selected-task line (1), key line (1), one to spare. */
const CHROME = 8;
/** A panel's border (2) and title (1). */
const PANEL = 3;

type Want = [keyof PanelPlan, number];

/** Gives panels lines in priority order while a panel with one line of content still fits. */
function allocate(budget: number, wants: Want[], plan: PanelPlan): void {
  let left = budget;
  for (const [name, want] of wants) {
    if (left < PANEL + 1) break;
    const lines = Math.min(want, left - PANEL);
    plan[name] = lines;
    left -= lines + PANEL;
  }
}

const clamp = (n: number, low: number, high: number) => Math.min(high, Math.max(low, n));

/**
 * Fits the dashboard to the terminal: the matrix wraps to the width; the lower panels get what
 * height is left and collapse in this order: timeline, insights, agents, alerts (alerts say
 * what needs a person, so they stay longest).
 */
export function layoutFor(
  size: { columns: number; rows: number },
  taskIds: string[],
  counts: { alerts: number; agents: number; timeline: number },
): Layout {
  const { columns, rows } = size;
  const longest = Math.max(6, ...taskIds.map((id) => id.length));
  const cellWidth = Math.min(longest, 24) + 3;
  const perLine = Math.max(1, Math.floor((columns - 4) / cellWidth));
  const needed = Math.max(1, Math.ceil(taskIds.length / perLine));
  const matrixLines = Math.min(needed, Math.max(1, rows - CHROME - (PANEL + 1)));
  const spare = Math.max(0, rows - CHROME - matrixLines);
  const twoColumns = columns >= 100;
  const alerts: Want = ['alerts', clamp(counts.alerts, 1, 6)];
  const agents: Want = ['agents', clamp(counts.agents, 1, 6)];
  const insights: Want = ['insights', 4];
  const timeline: Want = ['timeline', clamp(counts.timeline, 1, 12)];
  const panels: PanelPlan = { alerts: 0, agents: 0, insights: 0, timeline: 0 };
  if (twoColumns) {
    allocate(spare, [alerts, agents], panels);
    allocate(spare, [insights, timeline], panels);
  } else {
    allocate(spare, [alerts, agents, insights, timeline], panels);
  }
  return { columns, rows, cellWidth, perLine, matrixLines, twoColumns, panels, spare };
}

/** The first matrix line to show so the selected task's line is visible. */
export function matrixScroll(selected: number, layout: Layout): number {
  const line = Math.floor(Math.max(0, selected) / layout.perLine);
  return Math.max(0, line - layout.matrixLines + 1);
}
