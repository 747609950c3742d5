import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/random.js';
import { allDimensions } from '../dimensions.js';
import { attempt, doneTask, input, minutes, task } from '../test-input.js';
import { bottlenecksOf } from './bottlenecks.js';
import { quantile } from './durations.js';
import { forecastOf } from './forecast.js';
import { recommendationsOf } from './recommendations.js';
import { velocityOf } from './velocity.js';

describe('quantile', () => {
  it('interpolates linearly', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 0, 5], 0.9)).toBe(9);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('velocity', () => {
  it('is weighted tasks per hour since the first attempt, and commits per day', () => {
    // Four tasks of weight 1 merged within the first hour, nothing left running: 4 per hour.
    const tasks = [doneTask('a', 0, 15), doneTask('b', 15, 15), doneTask('c', 30, 15), doneTask('d', 45, 15)];
    const v = velocityOf(input(tasks));
    expect(v.weighted_tasks_per_hour).toBe(4);
    expect(v.commits_per_day).toBe(96);
    expect(v.trend).toBe('steady');
  });

  it('is slowing when the second half merged less than 0.8 of the first', () => {
    const tasks = [doneTask('a', 0, 5), doneTask('b', 5, 5), doneTask('c', 10, 5), doneTask('d', 15, 45)];
    expect(velocityOf(input(tasks)).trend).toBe('slowing');
  });

  it('is accelerating when the second half merged more than 1.25 times the first', () => {
    const tasks = [doneTask('a', 0, 20), doneTask('b', 20, 35), doneTask('c', 40, 16), doneTask('d', 50, 10)];
    expect(velocityOf(input(tasks)).trend).toBe('accelerating');
  });

  it('says no data before a merge, and no trend before four', () => {
    expect(velocityOf(input([task('a')])).trend).toBe('no data');
    expect(velocityOf(input([doneTask('a', 0, 5)])).trend).toBe('no data');
  });
});

describe('forecast', () => {
  it('is exact when every observed duration is the same', () => {
    // Merged tasks took 10 minutes each; three remain in a chain at concurrency 2: 30 minutes.
    const tasks = [
      doneTask('a', 0, 10),
      doneTask('b', 10, 10),
      task('c'),
      task('d', { dependsOn: ['c'] }),
      task('e', { dependsOn: ['d'] }),
    ];
    const f = forecastOf(input(tasks, { nowMs: minutes(20), concurrency: 2 }), createRng(1));
    expect(f.p50_seconds).toBe(1800);
    expect(f.p90_seconds).toBe(1800);
    expect(f.p50_at).toBe(new Date(minutes(50)).toISOString());
  });

  it('counts the time a running task has run already, and parallel tasks share slots', () => {
    const tasks = [
      doneTask('a', 0, 10),
      doneTask('b', 10, 10),
      task('c', { state: 'running', attempts: [attempt(16, null, 'running')] }),
      task('d'),
      task('e'),
    ];
    // now = 20: c has run 4 minutes, 6 left; d takes the other slot (ends at 10), e starts when
    // c ends (6) and ends at 16.
    const f = forecastOf(input(tasks, { nowMs: minutes(20), concurrency: 2 }), createRng(1));
    expect(f.p50_seconds).toBe(16 * 60);
  });

  it('spreads P50 and P90 when durations vary, and is reproducible', () => {
    const tasks = [
      doneTask('a', 0, 1),
      doneTask('b', 1, 30),
      doneTask('c', 31, 2),
      ...'defgh'.split('').map((id) => task(id)),
    ];
    const one = forecastOf(input(tasks));
    const two = forecastOf(input(tasks));
    expect(one.p90_seconds!).toBeGreaterThan(one.p50_seconds!);
    expect(two).toEqual(one);
  });

  it('says no data with fewer than two merged tasks, and zero when nothing is left', () => {
    expect(forecastOf(input([doneTask('a', 0, 5), task('b')])).p50_seconds).toBeNull();
    expect(forecastOf(input([doneTask('a', 0, 5)])).p50_seconds).toBe(0);
  });
});

describe('bottlenecks', () => {
  it('names the remaining critical path, stopped tasks, failing profiles and slow tasks', () => {
    const tasks = [
      ...'abcde'.split('').map((id, i) => doneTask(id, i * 10, 5)),
      task('f', { state: 'running', attempts: [attempt(40, null, 'running')] }),
      task('g', { dependsOn: ['f'], weight: 3 }),
      task('h'),
      task('x', {
        state: 'failed',
        agent: 'flaky',
        reason: 'exited with status 1',
        attempts: [attempt(0, 1, 'failed', { agent: 'flaky' }), attempt(1, 2, 'failed', { agent: 'flaky' })],
      }),
    ];
    const b = bottlenecksOf(input(tasks));
    expect(b.critical_path).toEqual(['f', 'g']);
    expect(b.blocked).toEqual([{ task: 'x', reason: 'exited with status 1' }]);
    expect(b.failing_profiles).toEqual([{ agent: 'flaky', failed: 2, attempts: 2 }]);
    // f has run 20 minutes; merged tasks took 5.
    expect(b.slow_tasks).toEqual([{ task: 'f', seconds: 1200, p90_seconds: 300, running: true }]);
  });
});

describe('recommendations', () => {
  it('gives each rule with its numbers', () => {
    const tasks = [
      ...'abcd'.split('').map((id, i) => doneTask(id, i * 10, 5)),
      task('e'),
      task('f'),
      task('x', { state: 'blocked', reason: 'dependency y is failed' }),
    ];
    const data = input(tasks);
    const dims = allDimensions(data);
    const r = recommendationsOf(data, dims, velocityOf(data), forecastOf(data), bottlenecksOf(data));
    expect(r.map((x) => x.rule)).toEqual(['blocked-task', 'more-concurrency', 'few-tests']);
    expect(r[0]!.message).toContain('cairn retry 001 x');
    expect(r[1]!.numbers).toEqual({ independent_waiting: 2, concurrency: 1 });
  });
});
