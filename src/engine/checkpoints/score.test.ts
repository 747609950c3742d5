import { describe, expect, it } from 'vitest';
import { checkpoint, task, valid } from './fixtures.js';
import { bandOf, scoreCheckpoint } from './score.js';

const spec = ['a', 'b', 'c'];

describe('scoreCheckpoint', () => {
  it('rates a settled, complete, git-consistent checkpoint excellent', () => {
    const cp = checkpoint(1, [task('a'), task('b', 'pending'), task('c', 'pending')]);
    const score = scoreCheckpoint({
      checkpoint: cp,
      validation: { ...valid, head: 'same' },
      specTasks: spec,
      eventsAfter: 0,
    });
    expect(score).toMatchObject({
      completeness: 1,
      consistency: 1,
      confidence: 1,
      total: 1,
      band: 'excellent',
    });
  });

  it('lowers completeness for tasks the spec gained since', () => {
    const cp = checkpoint(1, [task('a')]);
    const score = scoreCheckpoint({ checkpoint: cp, validation: valid, specTasks: spec, eventsAfter: 0 });
    expect(score.completeness).toBeCloseTo(0.33, 2);
  });

  it('lowers consistency for missing commits and makes a diverged head poor', () => {
    const cp = checkpoint(1, [task('a'), task('b'), task('c')]);
    const missing = scoreCheckpoint({
      checkpoint: cp,
      validation: { missingCommits: ['m-a'], commitsChecked: 4, head: 'ancestor' },
      specTasks: spec,
      eventsAfter: 0,
    });
    expect(missing.consistency).toBe(0.75);
    const diverged = scoreCheckpoint({
      checkpoint: cp,
      validation: { ...valid, head: 'diverged' },
      specTasks: spec,
      eventsAfter: 0,
    });
    expect(diverged.consistency).toBe(0);
    expect(diverged.band).toBe('poor');
  });

  it('lowers confidence for running attempts, dirty worktrees, an unsettled reason and replay', () => {
    const calm = checkpoint(1, [task('a'), task('b', 'running'), task('c', 'pending')]);
    const busy = checkpoint(
      2,
      [task('a'), task('b', 'running', { worktree: 'dirty' }), task('c', 'pending')],
      {
        reason: 'interrupted',
        content: { ...calm.content, running: [{ task: 'b', attempt: 1, agent: 'x', pid: 1 }] },
      },
    );
    busy.content.tasks[1]!.worktree = 'dirty';
    const a = scoreCheckpoint({ checkpoint: calm, validation: valid, specTasks: spec, eventsAfter: 0 });
    const b = scoreCheckpoint({ checkpoint: busy, validation: valid, specTasks: spec, eventsAfter: 100 });
    expect(b.confidence).toBeLessThan(a.confidence);
    expect(b.total).toBeLessThan(a.total);
  });

  it('maps totals to bands', () => {
    expect([0.95, 0.8, 0.6, 0.2].map(bandOf)).toEqual(['excellent', 'good', 'acceptable', 'poor']);
  });
});
