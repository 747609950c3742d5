import { describe, expect, it } from 'vitest';
import { attemptEnded } from './attempt-ended.js';

const ended = { type: 'attempt.ended', milestone: 'm', task: 't', attempt: 2 };

describe('attemptEnded', () => {
  it('records each outcome with its exit, reason and head', () => {
    expect(
      attemptEnded('m', 't', 2, { outcome: 'succeeded', head: 'h1', phases: { agent: 5 } }),
    ).toStrictEqual({
      ...ended,
      outcome: 'succeeded',
      exitCode: 0,
      signal: null,
      head: 'h1',
      phases: { agent: 5 },
    });
    expect(
      attemptEnded('m', 't', 2, {
        outcome: 'failed',
        reason: 'exit 1',
        exitCode: 1,
        signal: null,
        head: 'h2',
      }),
    ).toStrictEqual({ ...ended, outcome: 'failed', exitCode: 1, signal: null, reason: 'exit 1', head: 'h2' });
    expect(
      attemptEnded('m', 't', 2, { outcome: 'failed', reason: 'killed', exitCode: null, signal: 'SIGKILL' }),
    ).toStrictEqual({ ...ended, outcome: 'failed', exitCode: null, signal: 'SIGKILL', reason: 'killed' });
    expect(attemptEnded('m', 't', 2, { outcome: 'blocked', reason: 'review', head: 'h3' })).toStrictEqual({
      ...ended,
      outcome: 'blocked',
      exitCode: null,
      signal: null,
      reason: 'review',
      head: 'h3',
    });
  });

  it('records no head for an interrupted attempt', () => {
    expect(
      attemptEnded('m', 't', 2, { outcome: 'interrupted', reason: 'stopped', head: 'h4' }),
    ).toStrictEqual({
      ...ended,
      outcome: 'interrupted',
      exitCode: null,
      signal: null,
      reason: 'stopped',
    });
  });
});
