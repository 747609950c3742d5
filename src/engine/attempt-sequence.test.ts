import { describe, expect, it } from 'vitest';
import type { TaskSpec } from '../spec/types.js';
import type { Clock } from '../shared/clock.js';
import type { AttemptResult, TaskExecutor } from './attempt-types.js';
import { runAttempts, type AttemptSequence } from './attempt-sequence.js';
import type { Breaker } from './circuit-breaker.js';

const task: TaskSpec = {
  id: 't',
  title: 't',
  type: 'feat',
  prompt: 't',
  files: [],
  acceptance: [],
  depends_on: [],
  weight: 1,
};

/** A clock that only moves when slept on, recording each sleep. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    async sleep(ms) {
      slept.push(ms);
      now += ms;
    },
  };
}

/** Attempt outcomes by profile, in order; records which profile each attempt used. */
function sequence(outcomes: Record<string, ('ok' | 'fail')[]>, overrides: Partial<AttemptSequence> = {}) {
  const used: string[] = [];
  let count = 0;
  const executor: TaskExecutor = {
    logFile: () => 'log',
    async attempt(_task, _n, hooks): Promise<AttemptResult> {
      used.push(hooks.agent);
      const next = outcomes[hooks.agent]?.shift() ?? 'fail';
      return next === 'ok'
        ? { outcome: 'succeeded', head: 'h' }
        : { outcome: 'failed', reason: `${hooks.agent} failed`, exitCode: 1, signal: null };
    },
    merge: async () => ({ kind: 'merged', commit: 'c', head: 'h' }),
  };
  const clock = fakeClock();
  const options: AttemptSequence = {
    executor,
    signal: new AbortController().signal,
    clock,
    random: () => 0.5,
    agents: ['main', 'backup'],
    retriesOf: () => 2,
    backoffOf: () => ({ baseMs: 1_000, factor: 2, capMs: 3_000 }),
    breakers: new Map<string, Breaker>(),
    breakerPolicy: { failures: 10, windowMs: 60_000, coolDownMs: 10_000 },
    start: 'fresh',
    begin: () => ++count,
    end: () => {},
    hooks: () => ({ onPid: () => {}, onCommitted: () => {} }),
    notice: () => {},
    ...overrides,
  };
  return { options, used, clock };
}

describe('runAttempts', () => {
  it('retries after jittered exponential delays, then succeeds', async () => {
    const { options, used, clock } = sequence({ main: ['fail', 'fail', 'ok'] });
    expect(await runAttempts(task, options)).toEqual({ outcome: 'succeeded', head: 'h' });
    expect(used).toEqual(['main', 'main', 'main']);
    expect(clock.slept).toEqual([500, 1_000]);
  });

  it('falls back to the next profile when retries run out', async () => {
    const { options, used } = sequence({ main: ['fail', 'fail', 'fail'], backup: ['fail', 'ok'] });
    expect((await runAttempts(task, options)).outcome).toBe('succeeded');
    expect(used).toEqual(['main', 'main', 'main', 'backup', 'backup']);
  });

  it('fails with the last reason when every profile is used up', async () => {
    const { options, used } = sequence({}, { retriesOf: () => 0 });
    expect(await runAttempts(task, options)).toMatchObject({ outcome: 'failed', reason: 'backup failed' });
    expect(used).toEqual(['main', 'backup']);
  });

  it('passes over a profile whose circuit is open; with nowhere to go it keeps its own', async () => {
    const breakers = new Map<string, Breaker>([
      ['main', { state: 'open', failureTimes: [], openedAt: 0, probing: false }],
    ]);
    const first = sequence({ backup: ['ok'] }, { breakers });
    expect((await runAttempts(task, first.options)).outcome).toBe('succeeded');
    expect(first.used).toEqual(['backup']);

    const allOpen = new Map<string, Breaker>([
      ['main', { state: 'open', failureTimes: [], openedAt: 0, probing: false }],
      ['backup', { state: 'open', failureTimes: [], openedAt: 0, probing: false }],
    ]);
    const second = sequence({ main: ['ok'] }, { breakers: allOpen });
    expect((await runAttempts(task, second.options)).outcome).toBe('succeeded');
    expect(second.used).toEqual(['main']);
  });

  it('stops between retries when the run is interrupted', async () => {
    const controller = new AbortController();
    const { options, used } = sequence({ main: ['fail', 'ok'] }, { signal: controller.signal });
    options.clock = { now: () => 0, sleep: async () => controller.abort() };
    expect((await runAttempts(task, options)).outcome).toBe('interrupted');
    expect(used).toEqual(['main']);
  });

  it('starts on the profile the task was placed on, and claims a slot before every attempt', async () => {
    const claimed: string[] = [];
    const claim = async (agent: string) => {
      claimed.push(agent);
      return true;
    };
    const { options, used } = sequence({ backup: ['fail', 'ok'] }, { first: 1, claim });
    expect((await runAttempts(task, options)).outcome).toBe('succeeded');
    expect(used).toEqual(['backup', 'backup']);
    expect(claimed).toEqual(['backup', 'backup']);
  });

  it('ends interrupted, with no attempt, when the slot it waits for is given up', async () => {
    const { options, used } = sequence({ main: ['ok'] }, { claim: async () => false });
    expect((await runAttempts(task, options)).outcome).toBe('interrupted');
    expect(used).toEqual([]);
  });
});
