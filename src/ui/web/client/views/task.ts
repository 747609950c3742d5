import { getJson, post, stream, withToken } from '../api.js';
import { confirmAction } from '../confirm.js';
import { fill, h, section, seconds } from '../dom.js';
import type { AttemptView, MilestonePatch, TaskDetail } from '../../model.js';
import { stateOf } from '../states.js';
import { messagesPanel } from './messages.js';
import { taskActions } from './panels.js';

const MAX_LOG_CHARS = 2_000_000;

function attemptsTable(attempts: AttemptView[], pick: (n: number) => void, current: number): HTMLElement {
  if (attempts.length === 0) return h('p', { class: 'muted' }, 'No attempts yet.');
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['#', 'Agent', 'State', 'Exit', 'Started', 'Took', 'Reason', 'Log'].map((t) =>
          h('th', { scope: 'col' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...attempts.map((a) => {
        const took = (a.ended_at ? Date.parse(a.ended_at) : Date.now()) - Date.parse(a.started_at);
        return h(
          'tr',
          { 'data-attempt': a.attempt },
          h('td', {}, String(a.attempt)),
          h('td', {}, a.agent),
          h('td', {}, a.state),
          h('td', {}, a.exit_code === null ? (a.signal ?? '-') : String(a.exit_code)),
          h('td', {}, a.started_at.replace('T', ' ').slice(0, 19)),
          h('td', {}, seconds(took)),
          h('td', {}, a.reason ?? ''),
          h(
            'td',
            {},
            h(
              'button',
              {
                type: 'button',
                onclick: () => pick(a.attempt),
                'aria-pressed': a.attempt === current ? 'true' : 'false',
              },
              'show',
            ),
          ),
        );
      }),
    ),
  );
}

/** A task: state, actions, attempts, the chosen attempt's log (streamed while it runs), diff stat, messages. */
export function renderTask(
  main: HTMLElement,
  milestone: string,
  id: string,
  setConn: (text: string) => void,
): () => void {
  const base = `/api/m/${encodeURIComponent(milestone)}/t/${encodeURIComponent(id)}`;
  const head = h('div');
  const banner = h('p', { class: 'banner', role: 'status', 'aria-live': 'polite' });
  const attemptsEl = h('div');
  const logHead = h('p', { class: 'muted' });
  const log = h('pre', { class: 'log', tabindex: '0', 'aria-label': 'Agent output', 'aria-live': 'off' });
  const diffEl = h('div');
  const messagesEl = h('div');
  fill(
    main,
    h('p', {}, h('a', { href: `#/m/${encodeURIComponent(milestone)}` }, `← Milestone ${milestone}`)),
    head,
    banner,
    section('Attempts', 'attempts', attemptsEl),
    section('Agent output', 'log', logHead, log),
    section('Changes', 'diff', diffEl),
    section('Messages', 'messages', messagesEl),
  );
  let detail: TaskDetail | undefined;
  let shown = 0;
  let closeLog: () => void = () => undefined;
  let closed = false;

  const showLog = (n: number) => {
    closeLog();
    shown = n;
    log.textContent = '';
    logHead.replaceChildren(
      `Attempt ${n}: `,
      h('a', { href: withToken(`${base}/a/${n}/log.txt`) }, 'raw text'),
      h('span', { class: 'log-state' }, ' · streaming…'),
    );
    const state = logHead.querySelector('.log-state')!;
    closeLog = stream(
      `${base}/a/${n}/log`,
      {
        truncated: (d) =>
          log.append(`[… first ${(d as { skipped: number }).skipped} bytes not shown; see raw text]\n`),
        chunk: (d) => {
          log.append(d as string);
          if ((log.textContent ?? '').length > MAX_LOG_CHARS)
            log.textContent = (log.textContent ?? '').slice(-MAX_LOG_CHARS / 2);
          log.scrollTop = log.scrollHeight;
        },
        end: () => {
          state.textContent = ' · complete';
          closeLog();
        },
      },
      () => undefined,
    );
    if (detail) fill(attemptsEl, attemptsTable(detail.attempts, showLog, shown));
  };

  async function act(action: 'retry' | 'skip' | 'unblock') {
    const answer = await confirmAction(
      `${action[0]!.toUpperCase()}${action.slice(1)} ${id}`,
      `Journals the ${action} of task ${id} now.`,
      action !== 'skip',
    );
    if (!answer.ok) return;
    const result = await post(`${base}/${action}`, { run: answer.run });
    banner.textContent = `${result.ok ? '' : 'Refused: '}${result.message}${result.hint ? ` (${result.hint})` : ''}`;
    void load();
  }

  async function load() {
    try {
      detail = await getJson<TaskDetail>(base);
    } catch (error) {
      fill(head, h('h1', {}, id), h('p', { class: 'banner' }, (error as Error).message));
      return;
    }
    if (closed) return;
    const t = detail.task;
    const st = stateOf(t.state);
    document.title = `Cairn: ${t.id}`;
    fill(
      head,
      h('h1', {}, `${t.id}: `, t.title),
      h(
        'p',
        {},
        h('strong', { 'data-task-state': t.state }, `${st.symbol} ${st.label}`),
        t.reason ? ` — ${t.reason}` : '',
        ` · agent ${t.agent} · ${t.attempts} attempts · weight ${t.weight}`,
      ),
      h(
        'p',
        {},
        `Depends on: ${t.depends_on.join(', ') || 'nothing'} · needed by: ${detail.dependents.join(', ') || 'nothing'}`,
      ),
      h(
        'p',
        {},
        taskActions(t, (a) => void act(a)),
      ),
    );
    const latest = detail.attempts[detail.attempts.length - 1];
    if (latest && (shown === 0 || (latest.attempt > shown && latest.state === 'running')))
      showLog(latest.attempt);
    else if (!latest) log.textContent = 'No output: the task has not run.';
    fill(attemptsEl, attemptsTable(detail.attempts, showLog, shown));
    const d = detail.diff;
    fill(
      diffEl,
      h('p', { class: 'muted' }, `${d.ref ?? ''} ${d.note}`),
      d.files.length
        ? h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', {}, 'File'), h('th', {}, 'Added'), h('th', {}, 'Deleted'))),
            h(
              'tbody',
              {},
              ...d.files.map((f) =>
                h('tr', {}, h('td', {}, f.file), h('td', {}, `+${f.added}`), h('td', {}, `-${f.deleted}`)),
              ),
            ),
          )
        : '',
    );
    fill(messagesEl, messagesPanel(detail.messages));
  }
  // The milestone's stream says when anything changed; the task is then read again.
  let pending = false;
  const refresh = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      void load();
    }, 200);
  };
  const closeStream = stream(
    `/api/m/${encodeURIComponent(milestone)}/stream`,
    {
      snapshot: refresh,
      patch: (data) => {
        const patch = data as MilestonePatch;
        if (patch.tasks.some((t) => t.id === id) || patch.attempts.some((a) => a.task === id)) refresh();
      },
    },
    setConn,
  );
  return () => {
    closed = true;
    closeLog();
    closeStream();
  };
}
