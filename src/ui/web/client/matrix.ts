import { h } from './dom.js';
import type { TaskView } from '../model.js';
import { ORDER, STATES, stateOf } from './states.js';

/**
 * The task matrix: one cell per task with its state's symbol and word. Cells are kept by task
 * id and updated in place, so a milestone of 1,000 tasks re-renders only what changed.
 */
export interface Matrix {
  el: HTMLElement;
  update(tasks: TaskView[]): void;
}

export function createMatrix(milestone: string): Matrix {
  const cells = new Map<string, { a: HTMLAnchorElement; key: string }>();
  const grid = h('div', { class: 'matrix', role: 'list', 'aria-label': 'Tasks' });
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  const search = h('input', {
    type: 'search',
    placeholder: 'filter by id or title',
    'aria-label': 'Filter tasks by id or title',
  });
  const select = h(
    'select',
    { 'aria-label': 'Filter tasks by state' },
    h('option', { value: '' }, 'all states'),
    ...ORDER.map((state) => h('option', { value: state }, `${STATES[state].symbol} ${state}`)),
  );
  let tasks: TaskView[] = [];
  const applyFilter = () => {
    const text = search.value.trim().toLowerCase();
    let shown = 0;
    for (const task of tasks) {
      const cell = cells.get(task.id);
      if (!cell) continue;
      const visible =
        (select.value === '' || task.state === select.value) &&
        (text === '' || task.id.includes(text) || task.title.toLowerCase().includes(text));
      cell.a.hidden = !visible;
      if (visible) shown++;
    }
    count.textContent = ` ${shown} of ${tasks.length} tasks shown`;
  };
  search.addEventListener('input', applyFilter);
  select.addEventListener('change', applyFilter);

  const el = h('div', {}, h('div', { class: 'filters' }, search, ' ', select, count), grid);
  return {
    el,
    update(next) {
      tasks = next;
      const order: HTMLAnchorElement[] = [];
      for (const task of next) {
        const st = stateOf(task.state);
        const key = `${task.state}|${task.title}|${task.attempts}|${task.reason ?? ''}`;
        let cell = cells.get(task.id);
        if (!cell || cell.key !== key) {
          const a = h(
            'a',
            {
              class: `cell s-${task.state}`,
              href: `#/m/${encodeURIComponent(milestone)}/t/${encodeURIComponent(task.id)}`,
              role: 'listitem',
              'data-task': task.id,
              'data-state': task.state,
              title: `${task.id}: ${task.title} (${st.label}${task.reason ? `: ${task.reason}` : ''}; ${task.attempts} attempts)`,
            },
            h('span', { class: 'sym', 'aria-hidden': 'true' }, st.symbol),
            h('span', { class: 'id' }, task.id),
            h('span', { class: 'st' }, st.label),
          );
          if (cell) cell.a.replaceWith(a);
          cell = { a, key };
          cells.set(task.id, cell);
        }
        order.push(cell.a);
      }
      if (grid.childElementCount !== order.length || order.some((a, i) => grid.children[i] !== a)) {
        grid.replaceChildren(...order);
      }
      applyFilter();
    },
  };
}
