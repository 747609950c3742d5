import { describe, expect, it } from 'vitest';
import type { CairnEvent, StoredEvent } from '../../store/events.js';
import { analyzePhases } from './analyze-phases.js';

let seq = 0;
const stored = (event: CairnEvent): StoredEvent =>
  ({ ...event, seq: ++seq, at: '2026-01-01T00:00:00Z' }) as StoredEvent;

function attempt(
  task: string,
  agent: string,
  phases: Record<string, number>,
  queuedMs: number,
  outcome: 'succeeded' | 'failed' = 'succeeded',
): StoredEvent[] {
  return [
    stored({
      type: 'attempt.started',
      milestone: 'm',
      task,
      run: 'r',
      attempt: 1,
      agent,
      logFile: 'x',
      queuedMs,
    }),
    stored({
      type: 'attempt.ended',
      milestone: 'm',
      task,
      attempt: 1,
      outcome,
      exitCode: 0,
      signal: null,
      phases,
    }),
  ];
}
const merged = (task: string, mergeWaitMs: number, mergeMs: number) =>
  stored({ type: 'task.merged', milestone: 'm', task, commit: 'c', head: 'h', mergeWaitMs, mergeMs });

describe('analyzePhases', () => {
  it('sums each phase, names the bottleneck with its evidence, and gives the rules that fire', () => {
    const events = [
      ...attempt('a', 'fast', { setup: 1000, agent: 2000, commit: 100, acceptance: 900 }, 6000),
      merged('a', 0, 500),
      ...attempt('b', 'fast', { setup: 1000, agent: 2000, commit: 100, acceptance: 900 }, 6000),
      merged('b', 400, 500),
    ];
    const report = analyzePhases('m', events, 2);
    const queue = report.phases.find((p) => p.phase === 'queue')!;
    expect(queue).toMatchObject({ total_s: 12, mean_s: 6, samples: 2 });
    // 12 s of 12 + 2 + 4 + 0.2 + 1.8 + 0.4 + 1 = 21.4 s
    expect(queue.share).toBeCloseTo(12 / 21.4, 3);
    expect(report.bottleneck).toMatchObject({ phase: 'queue' });
    expect(report.bottleneck!.evidence).toMatch(/queue is 56% of task time/);
    expect(report.recommendations.map((r) => r.rule)).toEqual(['queue-wait']);
    expect(report.recommendations[0]!.numbers).toMatchObject({ concurrency: 2 });
  });

  it('flags slow setup, long acceptance and a slow profile', () => {
    const events = [
      ...attempt('a', 'quick', { setup: 6000, agent: 1000, commit: 0, acceptance: 8000 }, 0),
      merged('a', 3000, 1000),
      ...attempt('b', 'quick', { setup: 6000, agent: 1000, commit: 0, acceptance: 8000 }, 0),
      ...attempt('c', 'slow', { setup: 0, agent: 4000, commit: 0, acceptance: 0 }, 0),
      ...attempt('d', 'slow', { setup: 0, agent: 4000, commit: 0, acceptance: 0 }, 0, 'failed'),
    ];
    const report = analyzePhases('m', events, 4);
    expect(report.recommendations.map((r) => r.rule).sort()).toEqual(['acceptance', 'setup', 'slow-profile']);
    expect(report.profiles.find((p) => p.agent === 'slow')).toMatchObject({
      attempts: 2,
      failed: 1,
      mean_s: { agent: 4 },
    });
  });

  it('says nothing without phase times (a journal of an older version)', () => {
    const report = analyzePhases('m', [], 1);
    expect(report.bottleneck).toBeNull();
    expect(report.recommendations).toEqual([]);
    expect(report.phases.every((p) => p.share === 0)).toBe(true);
  });
});
