import { describe, expect, it } from 'vitest';
import type { TaskState } from '../store/events.js';
import { remainingCriticality } from './priority.js';

const node = (id: string, depends_on: string[], weight: number) => ({ id, depends_on, weight });

describe('remainingCriticality', () => {
  // a -> b -> c (light chain of three) and x -> y (heavy chain of two)
  const tasks = [
    node('a', [], 1),
    node('b', ['a'], 1),
    node('c', ['b'], 1),
    node('x', [], 2),
    node('y', ['x'], 3),
  ];

  it('weighs the chain below a task by task weights, not by its length', () => {
    const rank = remainingCriticality(tasks, new Map());
    expect(Object.fromEntries(rank)).toEqual({ a: 3, b: 2, c: 1, x: 5, y: 3 });
  });

  it('counts only unfinished work: done and skipped tasks weigh nothing', () => {
    const states = new Map<string, TaskState>([
      ['y', 'skipped'],
      ['c', 'done'],
    ]);
    const rank = remainingCriticality(tasks, states);
    expect(rank.get('x')).toBe(2);
    expect(rank.get('a')).toBe(2);
  });
});
