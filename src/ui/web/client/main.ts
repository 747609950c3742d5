import { fill, h } from './dom.js';
import { renderList } from './views/list.js';
import { renderMilestone } from './views/milestone.js';
import { renderTask } from './views/task.js';

/** A view renders into `main` and returns how to stop it (close its streams, timers). */
export type View = (main: HTMLElement, setConn: (text: string) => void) => () => void;

function route(hash: string): View {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'm' && parts[1] && parts[2] === 't' && parts[3]) {
    const [milestone, task] = [parts[1], parts[3]];
    return (main, setConn) => renderTask(main, milestone, task, setConn);
  }
  if (parts[0] === 'm' && parts[1]) {
    const milestone = parts[1];
    return (main, setConn) => renderMilestone(main, milestone, setConn);
  }
  return renderList;
}

function start(): void {
  const main = document.getElementById('main')!;
  const conn = document.getElementById('conn')!;
  const setConn = (text: string) => {
    conn.textContent = text;
    conn.dataset.state = text;
  };
  let stop: () => void = () => undefined;
  const show = () => {
    // `#main` is the skip link's target, not a route.
    if (location.hash === '#main') return;
    stop();
    fill(main, h('p', {}, 'Loading…'));
    stop = route(location.hash)(main, setConn);
  };
  window.addEventListener('hashchange', show);
  show();
}

start();
