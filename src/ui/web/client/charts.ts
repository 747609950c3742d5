import { h, pct, s } from './dom.js';
import type { ProgressView } from '../model.js';

const W = 560;
const H = 200;
const P = { l: 44, r: 12, t: 12, b: 30 };
const pw = W - P.l - P.r;
const ph = H - P.t - P.b;

function frame(label: string, ...body: SVGElement[]): SVGSVGElement {
  return s(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label },
    s('title', {}, label),
    s('line', { x1: P.l, y1: P.t + ph, x2: P.l + pw, y2: P.t + ph, class: 'axis' }),
    s('line', { x1: P.l, y1: P.t, x2: P.l, y2: P.t + ph, class: 'axis' }),
    ...body,
  );
}

const noData = (what: string) => h('p', { class: 'muted' }, `${what}: no data yet.`);
const hhmm = (ms: number) => new Date(ms).toTimeString().slice(0, 5);

/** Merged weight over time (solid line with dots) against the scope (dashed). */
export function burnUp(points: ProgressView['burn_up']): Element {
  if (points.length < 2) return noData('Burn-up');
  const times = points.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const top = Math.max(1, ...points.map((p) => Math.max(p.scope_weight, p.merged_weight)));
  const x = (t: number) => P.l + ((t - t0) / (t1 - t0)) * pw;
  const y = (v: number) => P.t + ph - (v / top) * ph;
  const line = (key: 'merged_weight' | 'scope_weight') =>
    points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(times[i]!).toFixed(1)},${y(p[key]).toFixed(1)}`)
      .join(' ');
  const last = points[points.length - 1]!;
  return frame(
    `Burn-up: ${last.merged_weight} of ${last.scope_weight} weight merged`,
    s('path', { d: line('scope_weight'), class: 'scope' }),
    s('path', { d: line('merged_weight'), class: 'merged' }),
    ...points.map((p, i) =>
      s(
        'circle',
        { cx: x(times[i]!).toFixed(1), cy: y(p.merged_weight).toFixed(1), r: 2.5, class: 'dot' },
        s('title', {}, `${p.at}: ${p.merged_weight}`),
      ),
    ),
    s('text', { x: P.l - 4, y: y(top) + 4, 'text-anchor': 'end' }, String(top)),
    s('text', { x: P.l - 4, y: y(0), 'text-anchor': 'end' }, '0'),
    s('text', { x: P.l, y: H - 8 }, hhmm(t0)),
    s('text', { x: P.l + pw, y: H - 8, 'text-anchor': 'end' }, hhmm(t1)),
    s('text', { x: P.l + pw, y: P.t + 10, 'text-anchor': 'end' }, 'merged (solid) · scope (dashed)'),
  );
}

/** One bar per dimension with its figure written out. */
export function dimensions(dims: ProgressView['dimensions']): Element {
  return h(
    'dl',
    { class: 'dims' },
    ...Object.entries(dims).flatMap(([name, d]) => {
      const bar = h('span', { class: 'fill' });
      bar.style.width = `${Math.round((d.value ?? 0) * 100)}%`;
      return [
        h('dt', {}, name),
        h(
          'dd',
          {},
          h('span', { class: 'bar', role: 'img', 'aria-label': `${name} ${pct(d.value)}` }, bar),
          h('strong', {}, ` ${pct(d.value)} `),
          h('span', { class: 'muted' }, d.explanation),
        ),
      ];
    }),
  );
}

/** Overall figure over the journaled snapshots: a small line, for the trend. */
export function trend(history: ProgressView['history']): Element {
  const values = history.filter((p) => p.overall !== null);
  if (values.length < 2) return h('span', { class: 'muted' }, 'trend: not enough snapshots yet');
  const w = 160;
  const hh = 28;
  const d = values
    .map(
      (p, i) =>
        `${i === 0 ? 'M' : 'L'}${((i / (values.length - 1)) * w).toFixed(1)},${(hh - p.overall! * hh).toFixed(1)}`,
    )
    .join(' ');
  const first = values[0]!.overall!;
  const last = values[values.length - 1]!.overall!;
  const label = `trend over ${values.length} snapshots: ${pct(first)} to ${pct(last)}`;
  return s(
    'svg',
    { viewBox: `0 0 ${w} ${hh}`, class: 'spark', role: 'img', 'aria-label': label },
    s('title', {}, label),
    s('path', { d }),
  );
}

/** Commits and merges on the milestone branch per hour. */
export function commitBars(hours: ProgressView['commits']): Element {
  if (hours.length === 0) return noData('Commit activity');
  const shown = hours.slice(-24);
  const top = Math.max(1, ...shown.map((b) => b.commits + b.merges));
  const bw = pw / shown.length;
  return frame(
    `Commits per hour, last ${shown.length} active hours`,
    ...shown.flatMap((b, i) => {
      const x = P.l + i * bw + 2;
      const hc = (b.commits / top) * ph;
      const hm = (b.merges / top) * ph;
      return [
        s(
          'rect',
          { x, y: P.t + ph - hc, width: Math.max(1, bw - 4), height: hc, class: 'commits' },
          s('title', {}, `${b.hour}: ${b.commits} commits`),
        ),
        s(
          'rect',
          { x, y: P.t + ph - hc - hm, width: Math.max(1, bw - 4), height: hm, class: 'merges' },
          s('title', {}, `${b.hour}: ${b.merges} merges`),
        ),
        s(
          'text',
          { x: x + bw / 2 - 2, y: P.t + ph - hc - hm - 3, 'text-anchor': 'middle' },
          String(b.commits + b.merges),
        ),
      ];
    }),
    s('text', { x: P.l, y: H - 8 }, hhmm(Date.parse(shown[0]!.hour))),
    s('text', { x: P.l + pw, y: H - 8, 'text-anchor': 'end' }, 'commits (filled) · merges (outlined)'),
  );
}
