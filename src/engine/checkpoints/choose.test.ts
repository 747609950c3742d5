import { describe, expect, it } from 'vitest';
import { chooseResumePoint, isUsable } from './choose.js';
import { candidate, checkpoint, task, valid } from './fixtures.js';

describe('chooseResumePoint', () => {
  it('prefers the checkpoint that preserves the most finished work', () => {
    const early = candidate(
      checkpoint(1, [task('a'), task('b', 'pending'), task('c', 'pending')]),
      valid,
      20,
    );
    const late = candidate(checkpoint(2, [task('a'), task('b'), task('c', 'pending')]), valid, 5);
    const choice = chooseResumePoint([early, late]);
    expect(choice.chosen?.checkpoint.id).toBe(2);
    expect(choice.why).toMatch(/2 tasks done/);
    expect(choice.ranked.map((c) => c.checkpoint.id)).toEqual([2, 1]);
  });

  it('with equal work preserved, needs the least replay', () => {
    const tasks = [task('a'), task('b', 'pending'), task('c', 'pending')];
    const older = candidate(checkpoint(1, tasks), valid, 30);
    const newer = candidate(checkpoint(2, tasks), valid, 2);
    expect(chooseResumePoint([older, newer]).chosen?.checkpoint.id).toBe(2);
  });

  it('never chooses a checkpoint whose head left the branch or whose commits are gone', () => {
    const gone = candidate(checkpoint(3, [task('a'), task('b'), task('c')]), { ...valid, head: 'diverged' });
    const lost = candidate(checkpoint(4, [task('a'), task('b'), task('c')]), {
      ...valid,
      missingCommits: ['m-a'],
    });
    const ok = candidate(checkpoint(1, [task('a'), task('b', 'pending'), task('c', 'pending')]));
    expect(isUsable(gone)).toBe(false);
    expect(isUsable(lost)).toBe(false);
    expect(chooseResumePoint([gone, lost, ok]).chosen?.checkpoint.id).toBe(1);
  });

  it('chooses nothing, and says so, when no checkpoint is usable', () => {
    expect(chooseResumePoint([]).chosen).toBeUndefined();
    const gone = candidate(checkpoint(3, [task('a')]), { ...valid, head: 'missing' });
    const choice = chooseResumePoint([gone]);
    expect(choice.chosen).toBeUndefined();
    expect(choice.why).toMatch(/no checkpoint is usable/);
  });
});
