import { h, s, seconds } from './dom.js';
import type { AttemptView } from '../model.js';

const ROW = 16;
const LABEL = 170;
const WIDTH = 900;

const SYMBOL: Record<string, string> = {
  succeeded: '✓',
  failed: '✗',
  interrupted: '■',
  running: '▶',
  abandoned: '?',
};

/** One row per task, one bar per attempt along time; the bar's end says how it ended (symbol and title). */
export function gantt(attempts: AttemptView[], now = Date.now()): Element {
  if (attempts.length === 0) return h('p', { class: 'muted' }, 'No attempts yet.');
  const rows = new Map<string, AttemptView[]>();
  for (const a of [...attempts].sort((x, y) => x.started_at.localeCompare(y.started_at))) {
    rows.set(a.task, [...(rows.get(a.task) ?? []), a]);
  }
  const t0 = Math.min(...attempts.map((a) => Date.parse(a.started_at)));
  const t1 = Math.max(
    t0 + 1000,
    ...attempts.map((a) => (a.ended_at ? Date.parse(a.ended_at) : a.state === 'running' ? now : t0)),
  );
  const plot = WIDTH - LABEL - 24;
  const x = (t: number) => LABEL + ((t - t0) / (t1 - t0)) * plot;
  const height = 24 + rows.size * ROW;
  const body: SVGElement[] = [
    s('text', { x: LABEL, y: 12 }, new Date(t0).toTimeString().slice(0, 8)),
    s(
      'text',
      { x: WIDTH - 24, y: 12, 'text-anchor': 'end' },
      `${new Date(t1).toTimeString().slice(0, 8)} (${seconds(t1 - t0)})`,
    ),
  ];
  let r = 0;
  for (const [task, list] of rows) {
    const y = 20 + r++ * ROW;
    body.push(s('text', { x: 4, y: y + 11 }, task.length > 24 ? `${task.slice(0, 23)}…` : task));
    for (const a of list) {
      const start = Date.parse(a.started_at);
      // An attempt whose run died has no end: drawn as a point, marked `?`.
      const end = a.ended_at ? Date.parse(a.ended_at) : a.state === 'running' ? now : start;
      const w = Math.max(2, x(end) - x(start));
      const text = `${task} attempt ${a.attempt} (${a.agent}): ${a.state}, ${seconds(end - start)}`;
      body.push(
        s(
          'rect',
          { x: x(start), y: y + 2, width: w, height: ROW - 4, class: `att a-${a.state}` },
          s('title', {}, text),
        ),
        s('text', { x: x(start) + w + 2, y: y + 11, class: 'end' }, SYMBOL[a.state] ?? '?'),
      );
    }
  }
  return h(
    'div',
    { class: 'gantt-box', tabindex: '0', 'aria-label': 'Timeline of attempts, scrollable' },
    s(
      'svg',
      {
        width: WIDTH,
        height,
        viewBox: `0 0 ${WIDTH} ${height}`,
        class: 'gantt',
        role: 'img',
        'aria-label': `Timeline: ${attempts.length} attempts of ${rows.size} tasks`,
      },
      ...body,
    ),
  );
}
