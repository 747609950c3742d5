import type { WatchInsights } from './model.js';

/** `[█████░░░░░]` for a fraction in 0–1; `[?????]`-free: no data shows an empty bar. */
export function progressBar(fraction: number | null, width: number): string {
  const inner = Math.max(1, width - 2);
  const filled = fraction === null ? 0 : Math.round(Math.min(1, Math.max(0, fraction)) * inner);
  return `[${'█'.repeat(filled)}${'░'.repeat(inner - filled)}]`;
}

export function percent(fraction: number | null): string {
  return fraction === null ? 'no data' : `${Math.round(fraction * 100)}%`;
}

/** `45s`, `3m05s`, `2h10m`: short enough for a table cell. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const ARROWS: Record<WatchInsights['trend'], string> = {
  accelerating: '↗',
  steady: '→',
  slowing: '↘',
  'no data': '·',
};

export function trendArrow(trend: WatchInsights['trend']): string {
  return ARROWS[trend];
}

/** Cuts `text` to `width` columns with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** `HH:MM:SS` of an ISO time, in local time. */
export function clockOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toTimeString().slice(0, 8);
}
