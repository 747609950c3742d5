import { afterEach, describe, expect, it } from 'vitest';
import type { CairnEvent } from '../store/events.js';
import { currentPhases } from './phase-status.js';
import { attemptStarted, plannedStore, removeTestStores } from './test-store.js';

afterEach(removeTestStores);

const started = (task: string, attempt: number, phase: string, round = 1): CairnEvent => ({
  type: 'phase.started',
  milestone: 'm',
  task,
  attempt,
  phase,
  agent: 'a',
  round,
});

const ended = (task: string, attempt: number, phase: string): CairnEvent => ({
  type: 'phase.ended',
  milestone: 'm',
  task,
  attempt,
  phase,
  agent: 'a',
  round: 1,
  outcome: 'completed',
});

describe('currentPhases', () => {
  it('names the open phase of the current attempt of each running task', () => {
    const store = plannedStore(['a', 'b', 'c']);
    for (const task of ['a', 'b', 'c']) store.append(attemptStarted(task));
    store.append([
      started('a', 1, 'design'),
      ended('a', 1, 'design'),
      started('a', 1, 'implement', 2),
      started('b', 1, 'review'),
      ended('b', 1, 'review'),
    ]);
    const phases = currentPhases(store, 'm', store.tasks('m'));
    // a is in implement; b finished its last phase (checks run now); c has no phases.
    expect([...phases]).toEqual([['a', { name: 'implement', round: 2, agent: 'a' }]]);
    store.close();
  });

  it('ignores a phase of an earlier attempt, and tasks that are not running', () => {
    const store = plannedStore(['a']);
    store.append([
      { type: 'attempt.started', milestone: 'm', task: 'a', run: 'r', attempt: 1, agent: 'a', logFile: 'x' },
      started('a', 1, 'design'),
      { type: 'attempt.started', milestone: 'm', task: 'a', run: 'r2', attempt: 2, agent: 'a', logFile: 'x' },
    ]);
    expect(currentPhases(store, 'm', store.tasks('m')).size).toBe(0);
    store.append({ type: 'task.state', milestone: 'm', task: 'a', state: 'failed' });
    store.append(started('a', 2, 'design'));
    expect(currentPhases(store, 'm', store.tasks('m')).size).toBe(0);
    store.close();
  });
});
