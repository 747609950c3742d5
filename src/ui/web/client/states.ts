import type { TaskStateName } from '../model.js';

/** Every state has a symbol and a word, so nothing depends on telling colours apart. */
export const STATES: Record<TaskStateName, { symbol: string; label: string }> = {
  pending: { symbol: '·', label: 'pending' },
  ready: { symbol: '○', label: 'ready' },
  running: { symbol: '▶', label: 'running' },
  merging: { symbol: '⇄', label: 'merging' },
  done: { symbol: '✓', label: 'done' },
  failed: { symbol: '✗', label: 'failed' },
  blocked: { symbol: '⊘', label: 'blocked' },
  skipped: { symbol: '↷', label: 'skipped' },
};

export const ORDER: TaskStateName[] = [
  'running',
  'merging',
  'failed',
  'blocked',
  'ready',
  'pending',
  'done',
  'skipped',
];

export const stateOf = (state: string) => STATES[state as TaskStateName] ?? { symbol: '?', label: state };
