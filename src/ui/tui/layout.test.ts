import { describe, expect, it } from 'vitest';
import { layoutFor, matrixScroll } from './layout.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `task-${i}`);
const counts = { alerts: 2, agents: 3, timeline: 20 };

describe('layoutFor', () => {
  it('shows every panel side by side on a large terminal', () => {
    const layout = layoutFor({ columns: 160, rows: 50 }, ids(8), counts);
    expect(layout.twoColumns).toBe(true);
    expect(layout.panels).toEqual({ alerts: 2, agents: 3, insights: 4, timeline: 12 });
    expect(layout.matrixLines).toBe(1);
  });

  it('stacks panels on a narrow terminal and drops the timeline first', () => {
    const layout = layoutFor({ columns: 80, rows: 24 }, ids(8), counts);
    expect(layout.twoColumns).toBe(false);
    expect(layout.panels.alerts).toBe(2);
    expect(layout.panels.agents).toBeGreaterThan(0);
    expect(layout.panels.timeline).toBe(0);
  });

  it('keeps only the matrix on a tiny terminal', () => {
    const layout = layoutFor({ columns: 40, rows: 12 }, ids(30), counts);
    expect(layout.panels).toEqual({ alerts: 0, agents: 0, insights: 0, timeline: 0 });
    expect(layout.matrixLines).toBeGreaterThanOrEqual(1);
    expect(layout.matrixLines + 8).toBeLessThanOrEqual(12);
  });

  it('wraps the matrix to the width and scrolls to the selected task', () => {
    const layout = layoutFor({ columns: 60, rows: 14 }, ids(40), counts);
    expect(layout.perLine).toBe(Math.floor(56 / layout.cellWidth));
    expect(matrixScroll(0, layout)).toBe(0);
    const last = matrixScroll(39, layout);
    expect(last + layout.matrixLines).toBe(Math.ceil(40 / layout.perLine));
  });
});
