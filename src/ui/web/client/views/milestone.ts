import { getJson, post, stream } from '../api.js';
import { burnUp, commitBars, dimensions, trend } from '../charts.js';
import { confirmAction } from '../confirm.js';
import { createDag } from '../dag.js';
import { ago, fill, h, pct, section } from '../dom.js';
import { gantt } from '../gantt.js';
import { createMatrix } from '../matrix.js';
import type { JobView, MilestonePatch, MilestoneView, ProgressView } from '../../model.js';
import { agentsTable, alertsList, feedList, jobsList } from './panels.js';

const FEED = 200;

/** Merges a patch (changed rows only) into the view the page holds. */
export function applyPatch(view: MilestoneView, patch: MilestonePatch): void {
  view.header = patch.header;
  view.agents = patch.agents;
  view.alerts = patch.alerts;
  for (const task of patch.tasks) {
    const i = view.tasks.findIndex((t) => t.id === task.id);
    if (i >= 0) view.tasks[i] = task;
    else view.tasks.push(task);
  }
  for (const attempt of patch.attempts) {
    const i = view.attempts.findIndex((a) => a.task === attempt.task && a.attempt === attempt.attempt);
    if (i >= 0) view.attempts[i] = attempt;
    else view.attempts.push(attempt);
  }
  view.feed = [...view.feed, ...patch.feed].slice(-FEED);
}

/** A milestone: progress, alerts, tasks (matrix, graph, timeline), agents, insights, activity. */
export function renderMilestone(main: HTMLElement, id: string, setConn: (text: string) => void): () => void {
  let view: MilestoneView | undefined;
  let progress: ProgressView | undefined;
  const jobs = new Map<string, JobView>();
  const matrix = createMatrix(id);
  const dag = createDag(id);
  const slots = {
    head: h('div'),
    banner: h('p', { class: 'banner', role: 'status', 'aria-live': 'polite' }),
    overview: h('div'),
    alerts: h('div'),
    dims: h('div'),
    burn: h('div'),
    timeline: h('div'),
    agents: h('div'),
    insights: h('div'),
    commits: h('div'),
    feed: h('div'),
    jobs: h('div'),
  };
  const nav = h(
    'nav',
    { 'aria-label': 'Sections' },
    ...[
      ['alerts', 'Alerts'],
      ['tasks', 'Tasks'],
      ['dag', 'Graph'],
      ['timeline', 'Timeline'],
      ['progress', 'Progress'],
      ['agents', 'Agents'],
      ['insights', 'Insights'],
      ['commits', 'Commits'],
      ['activity', 'Activity'],
    ].map(([to, label]) =>
      h('a', { href: `#/m/${encodeURIComponent(id)}`, 'data-to': to, onclick: jump }, label),
    ),
  );
  function jump(e: Event) {
    e.preventDefault();
    const target = document.getElementById((e.currentTarget as HTMLElement).dataset.to!);
    target?.scrollIntoView();
    target?.querySelector('h2')?.setAttribute('tabindex', '-1');
    (target?.querySelector('h2') as HTMLElement | null)?.focus();
  }
  fill(
    main,
    h('p', {}, h('a', { href: '#/' }, '← Milestones')),
    slots.head,
    slots.banner,
    nav,
    slots.overview,
    section('Alerts', 'alerts', slots.alerts),
    section('Tasks', 'tasks', matrix.el),
    section('Dependency graph', 'dag', dag.el),
    section('Timeline of attempts', 'timeline', slots.timeline),
    section('Progress dimensions', 'progress', slots.dims, h('h3', {}, 'Burn-up'), slots.burn),
    section('Agents', 'agents', slots.agents),
    section('Insights', 'insights', slots.insights),
    section('Commit activity', 'commits', slots.commits),
    section('Jobs started here', 'jobs', slots.jobs),
    section('Activity', 'activity', slots.feed),
  );

  async function act(action: 'retry' | 'skip' | 'unblock' | 'land' | 'run', task?: string) {
    const what = task ? `${action} ${task}` : `${action} milestone ${id}`;
    const detail =
      action === 'land'
        ? 'Runs the integration commands on the milestone merged with the latest base, then merges it into the base branch.'
        : action === 'run'
          ? 'Starts `cairn run` for this milestone in the background.'
          : `Journals the ${action} now; it takes effect on the next run.`;
    const answer = await confirmAction(
      what[0]!.toUpperCase() + what.slice(1),
      detail,
      action === 'retry' || action === 'unblock',
    );
    if (!answer.ok) return;
    const path = task
      ? `/api/m/${encodeURIComponent(id)}/t/${encodeURIComponent(task)}/${action}`
      : `/api/m/${encodeURIComponent(id)}/${action}`;
    const result = await post(path, { run: answer.run });
    slots.banner.textContent = `${result.ok ? '' : 'Refused: '}${result.message}${result.hint ? ` (${result.hint})` : ''}`;
    if (result.job) jobs.set(result.job.id, result.job);
    fill(slots.jobs, jobsList([...jobs.values()]));
  }

  let lastGantt = 0;
  let frame = 0;
  const render = () => {
    frame = 0;
    if (!view) return;
    const { header } = view;
    document.title = `Cairn: ${header.id} ${header.title}`;
    const done = view.tasks.filter((t) => t.state === 'done').length;
    const run = header.run;
    fill(
      slots.head,
      h('h1', {}, `${header.id}: `, header.title),
      h(
        'p',
        {},
        h(
          'strong',
          { 'data-milestone-state': header.state },
          header.live ? `${header.state} (run live)` : header.state,
        ),
        ` · branch ${header.branch} onto ${header.base} · ${done}/${view.tasks.length} tasks done`,
        run
          ? ` · last run ${run.id} ${run.state}${run.ended_at ? `, ended ${ago(run.ended_at)}` : ''}, level ${run.level}`
          : '',
      ),
      h(
        'p',
        { class: 'actions' },
        h('button', { type: 'button', onclick: () => void act('run'), disabled: header.live }, 'Run…'),
        ' ',
        h(
          'button',
          {
            type: 'button',
            onclick: () => void act('land'),
            disabled: header.live || header.state === 'landed',
          },
          'Land…',
        ),
      ),
    );
    const overall = progress?.overall ?? null;
    const bar = h('progress', {
      max: 1,
      value: overall ?? 0,
      'aria-label': `overall progress ${pct(overall)}`,
    });
    fill(
      slots.overview,
      h(
        'p',
        { class: 'overall' },
        bar,
        h('strong', {}, ` ${pct(overall)} overall`),
        progress
          ? ` · confidence ${progress.confidence.toFixed(2)} · velocity ${progress.velocity.per_hour ?? '-'} weighted tasks/h, ${progress.velocity.trend} · `
          : ' · progress is being computed…',
        progress ? trend(progress.history) : '',
      ),
      progress
        ? h(
            'p',
            { class: 'muted' },
            `Forecast: ${progress.forecast.p50_at ? `P50 ${progress.forecast.p50_at}, P90 ${progress.forecast.p90_at}` : 'no data'}. ${progress.forecast.explanation}`,
          )
        : '',
    );
    fill(
      slots.alerts,
      alertsList(view.alerts, (action, task) => void act(action, task), view.tasks),
    );
    matrix.update(view.tasks);
    dag.update(view.tasks);
    if (Date.now() - lastGantt > 1000 || !header.live) {
      lastGantt = Date.now();
      fill(slots.timeline, gantt(view.attempts));
    }
    fill(slots.agents, agentsTable(view.agents));
    fill(slots.feed, feedList(view.feed));
  };
  const renderProgress = () => {
    if (!progress) return;
    fill(slots.dims, dimensions(progress.dimensions));
    fill(slots.burn, burnUp(progress.burn_up));
    fill(
      slots.commits,
      commitBars(progress.commits),
      h(
        'p',
        { class: 'muted' },
        `Pattern: ${progress.frequency.pattern} (${progress.frequency.commits} commits)`,
      ),
    );
    fill(
      slots.insights,
      h(
        'p',
        {},
        `Critical path left: ${progress.critical_path.length ? progress.critical_path.join(' → ') : 'none'}`,
      ),
      h('p', {}, `Velocity: ${progress.velocity.explanation}`),
      progress.risks.length
        ? h('ul', {}, ...progress.risks.map((r) => h('li', {}, r)))
        : h('p', { class: 'muted' }, 'No risks found.'),
      progress.recommendations.length
        ? h('ul', {}, ...progress.recommendations.map((r) => h('li', {}, r)))
        : '',
    );
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };
  // A render of the current minute even when nothing is journaled (ages, running bars).
  const tick = setInterval(schedule, 5000);
  const close = stream(
    `/api/m/${encodeURIComponent(id)}/stream`,
    {
      snapshot: (data) => {
        const wasLive = view?.header.live;
        view = data as MilestoneView;
        if (wasLive && !view.header.live)
          slots.banner.textContent = `The run ended: milestone is ${view.header.state}.`;
        schedule();
      },
      patch: (data) => {
        if (!view) return;
        const wasLive = view.header.live;
        applyPatch(view, data as MilestonePatch);
        if (wasLive && !view.header.live)
          slots.banner.textContent = `The run ended: milestone is ${view.header.state}.`;
        schedule();
      },
      progress: (data) => {
        progress = data as ProgressView;
        renderProgress();
        schedule();
      },
      job: (data) => {
        const job = data as JobView;
        jobs.set(job.id, job);
        fill(slots.jobs, jobsList([...jobs.values()]));
      },
    },
    (state) => {
      setConn(state);
      // A stream refused before any snapshot: say why (an unknown milestone, a damaged database).
      if (state === 'disconnected' && !view) {
        getJson(`/api/m/${encodeURIComponent(id)}`).catch((error: Error) => {
          slots.banner.textContent = error.message;
        });
      }
    },
  );
  fill(slots.jobs, h('p', { class: 'muted' }, 'None yet.'));
  return () => {
    close();
    clearInterval(tick);
    if (frame) cancelAnimationFrame(frame);
  };
}
