import { h, s } from './dom.js';
import type { TaskView } from '../model.js';
import { stateOf } from './states.js';

const NODE_W = 150;
const NODE_H = 22;
const GAP_X = 50;
const GAP_Y = 6;

/** Column of each task: the longest chain of dependencies before it (unknown ones ignored). */
export function layers(tasks: TaskView[]): Map<string, number> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle cannot be planned; draw it rather than loop
    visiting.add(id);
    const deps = byId.get(id)?.depends_on.filter((d) => byId.has(d)) ?? [];
    const d = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(visit));
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  for (const task of tasks) visit(task.id);
  return depth;
}

export interface Dag {
  el: HTMLElement;
  update(tasks: TaskView[]): void;
}

/**
 * The dependency graph in columns (waves): nodes are links to the tasks, with symbol and id;
 * edges are one path. Only a change in the tasks or their dependencies lays it out again;
 * a change of state updates the nodes in place.
 */
export function createDag(milestone: string): Dag {
  const box = h('div', { class: 'dag-box', tabindex: '0', 'aria-label': 'Dependency graph, scrollable' });
  const note = h('p', { class: 'muted' });
  let shape = '';
  const nodes = new Map<string, { g: SVGAElement; label: SVGTextElement; state: string }>();

  const layout = (tasks: TaskView[]) => {
    const depth = layers(tasks);
    const columns: TaskView[][] = [];
    for (const task of tasks) (columns[depth.get(task.id)!] ??= []).push(task);
    const pos = new Map<string, { x: number; y: number }>();
    columns.forEach((column, c) =>
      column.forEach((task, r) =>
        pos.set(task.id, { x: 8 + c * (NODE_W + GAP_X), y: 8 + r * (NODE_H + GAP_Y) }),
      ),
    );
    const width = 16 + columns.length * (NODE_W + GAP_X) - GAP_X;
    const height = 16 + Math.max(1, ...columns.map((c) => c.length)) * (NODE_H + GAP_Y);
    let d = '';
    let edges = 0;
    for (const task of tasks) {
      const to = pos.get(task.id)!;
      for (const dep of task.depends_on) {
        const from = pos.get(dep);
        if (!from) continue;
        edges++;
        const [x1, y1, x2, y2] = [from.x + NODE_W, from.y + NODE_H / 2, to.x, to.y + NODE_H / 2];
        const mid = (x1 + x2) / 2;
        d += `M${x1},${y1}C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
      }
    }
    nodes.clear();
    const svg = s(
      'svg',
      {
        width,
        height,
        viewBox: `0 0 ${width} ${height}`,
        class: 'dag',
        role: 'group',
        'aria-label': `${tasks.length} tasks in ${columns.length} waves`,
      },
      s('path', { d, class: 'edges' }),
    );
    for (const task of tasks) {
      const p = pos.get(task.id)!;
      const label = s('text', { x: p.x + 6, y: p.y + 15 });
      const g = s(
        'a',
        {
          href: `#/m/${encodeURIComponent(milestone)}/t/${encodeURIComponent(task.id)}`,
          'data-task': task.id,
        },
        s('rect', { x: p.x, y: p.y, width: NODE_W, height: NODE_H, rx: 3 }),
        label,
      );
      nodes.set(task.id, { g, label, state: '' });
      svg.append(g);
    }
    box.replaceChildren(svg);
    note.textContent = `${tasks.length} tasks in ${columns.length} waves, ${edges} dependencies. Columns are waves: a task's dependencies are to its left.`;
  };

  return {
    el: h('div', {}, note, box),
    update(tasks) {
      const next = tasks.map((t) => `${t.id}<${t.depends_on.join(',')}`).join(';');
      if (next !== shape) {
        shape = next;
        layout(tasks);
      }
      for (const task of tasks) {
        const node = nodes.get(task.id);
        if (!node || node.state === task.state) continue;
        const st = stateOf(task.state);
        node.state = task.state;
        node.g.setAttribute('class', `node s-${task.state}`);
        node.g.setAttribute('aria-label', `${task.id}: ${st.label}`);
        const short = task.id.length > 16 ? `${task.id.slice(0, 15)}…` : task.id;
        node.label.textContent = `${st.symbol} ${short}`;
      }
    },
  };
}
