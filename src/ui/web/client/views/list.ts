import { stream } from '../api.js';
import { fill, h, section } from '../dom.js';
import type { MilestoneSummary } from '../../model.js';
import { ORDER, STATES } from '../states.js';

function row(m: MilestoneSummary): HTMLElement {
  const counts = ORDER.filter((state) => m.states[state]).map(
    (state) => `${STATES[state].symbol} ${m.states[state]} ${STATES[state].label}`,
  );
  const share = m.tasks === 0 ? 0 : m.done / m.tasks;
  return h(
    'tr',
    {},
    h('td', {}, h('a', { href: `#/m/${encodeURIComponent(m.id)}` }, m.id)),
    h('td', {}, m.title),
    h('td', {}, m.live ? `${m.state} (live)` : m.state),
    h(
      'td',
      {},
      h('progress', { max: 1, value: share, 'aria-label': `${m.done} of ${m.tasks} tasks done` }),
      ` ${m.done}/${m.tasks}`,
    ),
    h('td', {}, counts.join(' · ')),
  );
}

/** The milestones, live. */
export function renderList(main: HTMLElement, setConn: (text: string) => void): () => void {
  const body = h('tbody');
  const empty = h('p', { class: 'muted' });
  const table = h(
    'table',
    { class: 'list' },
    h('caption', { class: 'sr' }, 'Milestones'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Milestone', 'Title', 'State', 'Done', 'Tasks'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    body,
  );
  fill(main, section('Milestones', 'milestones', empty, table));
  document.title = 'Cairn: milestones';
  return stream(
    '/api/stream',
    {
      milestones: (data) => {
        const list = data as MilestoneSummary[];
        empty.textContent =
          list.length === 0 ? 'No milestones yet. Create one with cairn new "<title>".' : '';
        fill(body, ...list.map(row));
      },
    },
    setConn,
  );
}
