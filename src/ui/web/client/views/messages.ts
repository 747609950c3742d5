import { h } from '../dom.js';
import type { MessageView, MessagesView } from '../../model.js';

const clip = (text: string) => (text.length > 300 ? `${text.slice(0, 299)}…` : text);

function messages(title: string, list: MessageView[]): HTMLElement {
  return h(
    'div',
    {},
    h('h3', {}, `${title} (${list.length})`),
    list.length === 0
      ? h('p', { class: 'muted' }, 'None.')
      : h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['#', 'Type', 'From', 'To', 'State', 'Tries', 'Sent', 'Payload'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            ...list.map((m) =>
              h(
                'tr',
                {},
                h('td', {}, String(m.id)),
                h('td', {}, m.type),
                h('td', {}, m.sender),
                h('td', {}, m.address),
                h('td', {}, m.state),
                h('td', {}, String(m.attempts)),
                h('td', {}, m.sent_at.slice(11, 19)),
                h('td', {}, h('code', {}, clip(m.payload)), m.error ? ` (${m.error})` : ''),
              ),
            ),
          ),
        ),
  );
}

/** The bus and the shared context as they concern one task; read-only. */
export function messagesPanel(view: MessagesView): HTMLElement {
  if (!view.available) return h('p', { class: 'muted' }, view.note);
  return h(
    'div',
    {},
    view.note ? h('p', { class: 'muted' }, view.note) : '',
    messages('Waiting for this task', view.inbox),
    messages('Dead letters', view.dead),
    h('h3', {}, `Shared context (${view.context.length})`),
    view.context.length === 0
      ? h('p', { class: 'muted' }, 'No keys.')
      : h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['Key', 'Scope', 'Version', 'Value', 'Conflict'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            {},
            ...view.context.map((c) =>
              h(
                'tr',
                {},
                h('td', {}, c.key),
                h('td', {}, c.task ?? 'milestone'),
                h('td', {}, String(c.version)),
                h('td', {}, h('code', {}, clip(c.value))),
                h('td', {}, c.conflict ? '⚠ siblings' : 'no'),
              ),
            ),
          ),
        ),
  );
}
