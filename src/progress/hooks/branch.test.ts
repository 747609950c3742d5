import { describe, expect, it } from 'vitest';
import { isMilestoneBranch, needsKnownMilestones, parseTaskBranch, taskBranchHint } from './branch.js';

describe('parseTaskBranch', () => {
  it.each([
    ['feature/milestone-001-login', '001', 'login'],
    ['feature/milestone-001-login-ui', '001', 'login-ui'],
    ['feature/milestone-001-2fa-setup', '001', '2fa-setup'],
    ['feature/milestone-42-v1.2_fix', '42', 'v1.2_fix'],
  ])('reads %s', (branch, milestone, task) => {
    expect(parseTaskBranch(branch)).toEqual({ milestone, task });
  });

  it.each([
    'main',
    'milestone/001-auth',
    'feature/login',
    'feature/milestone-001',
    'feature/milestone-001-',
    'feature/milestone--x',
    'feature/milestone-001-Login',
    'feature/milestone-001-a..b',
    'feature/milestone-001-x.lock',
    'feature/milestone-001-a/b',
    'feature/milestone-auth-login',
    'xfeature/milestone-001-login',
  ])('rejects %j without known milestones', (branch) => {
    expect(parseTaskBranch(branch)).toBeUndefined();
  });

  it('splits a non-numeric milestone id by the longest known id', () => {
    const known = ['auth', 'auth-v2', '001'];
    expect(parseTaskBranch('feature/milestone-auth-v2-login-ui', known)).toEqual({
      milestone: 'auth-v2',
      task: 'login-ui',
    });
    expect(parseTaskBranch('feature/milestone-auth-login', known)).toEqual({
      milestone: 'auth',
      task: 'login',
    });
    expect(parseTaskBranch('feature/milestone-billing-x', known)).toBeUndefined();
    expect(parseTaskBranch('feature/milestone-auth-', known)).toBeUndefined();
  });

  it('reads digits first, whatever milestones are known', () => {
    expect(parseTaskBranch('feature/milestone-001-a-b', ['001-a'])).toEqual({
      milestone: '001',
      task: 'a-b',
    });
  });

  it('asks for known milestones only when the id is not digits', () => {
    expect(needsKnownMilestones('feature/milestone-001-login')).toBe(false);
    expect(needsKnownMilestones('feature/milestone-auth-login')).toBe(true);
    expect(needsKnownMilestones('main')).toBe(false);
  });
});

describe('milestone branches', () => {
  it.each([
    ['milestone/001-auth', true],
    ['milestone/x', true],
    ['milestone/', false],
    ['milestones/001', false],
    ['feature/milestone-001-a', false],
  ])('%s: %s', (branch, expected) => {
    expect(isMilestoneBranch(branch)).toBe(expected);
  });

  it('suggests the task branch pattern', () => {
    expect(taskBranchHint('milestone/001-auth')).toBe('feature/milestone-001-<task>');
    expect(taskBranchHint('milestone/auth-v2-x')).toBe('feature/milestone-<id>-<task>');
  });
});
