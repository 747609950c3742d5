import type { TaskState } from '../../store/events.js';

/** How a task state looks: a symbol that reads without colour, and a colour that helps. */
export interface StateLook {
  symbol: string;
  color: string;
  label: string;
}

export const STATE_LOOK: Record<TaskState, StateLook> = {
  pending: { symbol: '·', color: 'gray', label: 'pending' },
  ready: { symbol: '○', color: 'white', label: 'ready' },
  running: { symbol: '▶', color: 'cyan', label: 'running' },
  merging: { symbol: '⇄', color: 'blue', label: 'merging' },
  done: { symbol: '✓', color: 'green', label: 'done' },
  failed: { symbol: '✗', color: 'red', label: 'failed' },
  blocked: { symbol: '■', color: 'yellow', label: 'blocked' },
  skipped: { symbol: '»', color: 'gray', label: 'skipped' },
};

export function lookOf(state: string): StateLook {
  return STATE_LOOK[state as TaskState] ?? { symbol: '?', color: 'magenta', label: state };
}
