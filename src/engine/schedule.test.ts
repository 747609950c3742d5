import { describe, expect, it } from 'vitest';
import type { TaskState } from '../store/events.js';
import { createSchedule } from './schedule.js';

const tasks = [
  { id: 'a', depends_on: [] },
  { id: 'b', depends_on: ['a'] },
  { id: 'c', depends_on: ['a'] },
  { id: 'd', depends_on: ['b', 'c'] },
  { id: 'e', depends_on: [] },
];
const pending = () => new Map<string, TaskState>(tasks.map((task) => [task.id, 'pending']));

describe('createSchedule', () => {
  it('keeps a task canStart refuses ready for a later take, in its place', () => {
    const schedule = createSchedule(tasks, pending(), new Map());
    expect(schedule.take(5, (id) => id !== 'a')).toEqual(['e']);
    expect(schedule.readyCount()).toBe(1);
    expect(schedule.take(5)).toEqual(['a']);
  });

  it('releases a task when its last dependency finishes, most critical first', () => {
    const rank = new Map([
      ['a', 3],
      ['b', 2],
      ['c', 2],
      ['d', 1],
      ['e', 1],
    ]);
    const schedule = createSchedule(tasks, pending(), rank);
    expect(schedule.take(10)).toEqual(['a', 'e']);
    expect(schedule.finish('a')).toEqual(['b', 'c']);
    expect(schedule.take(1)).toEqual(['b']);
    expect(schedule.finish('b')).toEqual([]);
    expect(schedule.take(5)).toEqual(['c']);
    expect(schedule.finish('c')).toEqual(['d']);
    expect(schedule.take(5)).toEqual(['d']);
    expect(schedule.take(5)).toEqual([]);
  });

  it('prefers spec order between equally critical tasks', () => {
    const schedule = createSchedule(tasks, pending(), new Map());
    expect(schedule.take(2)).toEqual(['a', 'e']);
  });

  it('strands every transitive dependent of a dead task, once', () => {
    const schedule = createSchedule(tasks, pending(), new Map());
    schedule.take(10);
    expect(schedule.strand('a').sort()).toEqual(['b', 'c', 'd']);
    expect(schedule.finish('a')).toEqual([]);
    expect(schedule.take(10)).toEqual([]);
  });

  it('counts dependencies that are already done when the schedule is built', () => {
    const states = pending();
    states.set('a', 'done');
    states.set('b', 'done');
    const schedule = createSchedule(tasks, states, new Map());
    expect(schedule.take(10).sort()).toEqual(['c', 'e']);
    expect(schedule.finish('c')).toEqual(['d']);
  });

  it('takes the heavier of two equally critical tasks first', () => {
    const weighed = [
      { id: 'light', depends_on: [], weight: 1 },
      { id: 'heavy', depends_on: [], weight: 3 },
    ];
    const states = new Map<string, TaskState>([
      ['light', 'pending'],
      ['heavy', 'pending'],
    ]);
    const rank = new Map([
      ['light', 4],
      ['heavy', 4],
    ]);
    expect(createSchedule(weighed, states, rank).take(2)).toEqual(['heavy', 'light']);
  });

  it('passes over a whole lane its verdict closes, asking it once per take', () => {
    const lanes: Record<string, string> = { a: 'x', b: 'y', c: 'y', d: 'y', e: 'x' };
    const wide = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, depends_on: [] }));
    const states = new Map<string, TaskState>(wide.map((task) => [task.id, 'pending']));
    const schedule = createSchedule(wide, states, new Map(), (id) => lanes[id]!);
    const asked: string[] = [];
    const taken = schedule.take(5, (id) => {
      asked.push(id);
      return lanes[id] === 'y' ? 'lane' : true;
    });
    expect(taken).toEqual(['a', 'e']);
    expect(asked).toEqual(['a', 'b', 'e']);
    expect(schedule.readyCount()).toBe(3);
    expect(schedule.take(5)).toEqual(['b', 'c', 'd']);
  });
});
