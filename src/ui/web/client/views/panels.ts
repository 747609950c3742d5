import { h } from '../dom.js';
import type { AgentView, AlertView, FeedEvent, JobView, TaskView } from '../../model.js';

type Act = (action: 'retry' | 'skip' | 'unblock', task: string) => void;

/** Buttons for what a person may do with a task in its state (engine/manual.ts allows the same). */
export function taskActions(task: TaskView, act: Act): HTMLElement {
  const can = {
    retry: task.state === 'failed' || task.state === 'blocked',
    unblock: task.state === 'blocked',
    skip: ['pending', 'ready', 'failed', 'blocked'].includes(task.state),
  };
  const buttons = (['retry', 'unblock', 'skip'] as const)
    .filter((a) => can[a])
    .map((a) =>
      h(
        'button',
        { type: 'button', 'data-action': a, onclick: () => act(a, task.id) },
        `${a[0]!.toUpperCase()}${a.slice(1)}…`,
      ),
    );
  return h('span', { class: 'actions' }, ...buttons.flatMap((b) => [b, ' ']));
}

export function alertsList(alerts: AlertView[], act: Act, tasks: TaskView[]): HTMLElement {
  if (alerts.length === 0) return h('p', { class: 'muted' }, 'No alerts.');
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return h(
    'ul',
    { class: 'alerts' },
    ...alerts.slice(0, 100).map((alert) => {
      const task = alert.task ? byId.get(alert.task) : undefined;
      return h(
        'li',
        { class: `alert-${alert.level}`, 'data-task': alert.task ?? '' },
        h('strong', {}, alert.level === 'error' ? '✗ error: ' : '⚠ warning: '),
        alert.message,
        ' ',
        task ? taskActions(task, act) : '',
      );
    }),
    alerts.length > 100 ? h('li', {}, `…and ${alerts.length - 100} more`) : '',
  );
}

export function agentsTable(agents: AgentView[]): HTMLElement {
  if (agents.length === 0) return h('p', { class: 'muted' }, 'No attempts yet.');
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[
          'Agent',
          'Running',
          'Last output',
          'Succeeded',
          'Failed',
          'Interrupted',
          'Recent (oldest first)',
        ].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      ...agents.map((a) =>
        h(
          'tr',
          {},
          h('td', {}, a.agent),
          h('td', {}, String(a.running)),
          h('td', {}, a.output_age_s === null ? '-' : `${a.output_age_s} s ago`),
          h('td', {}, String(a.succeeded)),
          h('td', {}, String(a.failed)),
          h('td', {}, String(a.interrupted)),
          h('td', {}, a.recent.map((r) => (r === 'ok' ? '✓' : r === 'failed' ? '✗' : '■')).join(' ')),
        ),
      ),
    ),
  );
}

export function feedList(feed: FeedEvent[]): HTMLElement {
  if (feed.length === 0) return h('p', { class: 'muted' }, 'Nothing journaled yet.');
  return h(
    'ol',
    { class: 'feed', reversed: true },
    ...[...feed]
      .reverse()
      .map((e) =>
        h('li', { 'data-seq': e.seq }, h('time', { datetime: e.at }, `${e.at.slice(11, 19)} `), e.text),
      ),
  );
}

export function jobsList(jobs: JobView[]): HTMLElement {
  if (jobs.length === 0) return h('p', { class: 'muted' }, 'None yet.');
  return h(
    'ul',
    {},
    ...jobs.map((job) =>
      h(
        'li',
        { 'data-job': job.id },
        h(
          'strong',
          {},
          `cairn ${job.action} ${job.milestone}: ${job.state}${job.exit_code === null ? '' : ` (exit ${job.exit_code})`}`,
        ),
        job.output ? h('pre', { class: 'log' }, job.output) : '',
      ),
    ),
  );
}
