import { describe, expect, it } from 'vitest';
import { classifyCommit, readTrailers } from './classify-commit.js';

const type = (subject: string, parents = 1) => classifyCommit(subject, parents);

describe('classifyCommit', () => {
  it('reads Conventional Commits subjects, scopes, breaking marks and common spellings', () => {
    expect(type('feat(api): add login')).toEqual({ type: 'feat', source: 'conventional' });
    expect(type('fix!: drop node 18')).toEqual({ type: 'fix', source: 'conventional' });
    expect(type('Docs: explain')).toEqual({ type: 'docs', source: 'conventional' });
    expect(type('feature(ui): dark mode').type).toBe('feat');
    expect(type('hotfix: crash').type).toBe('fix');
    expect(type('ci(github): cache').type).toBe('ci');
  });

  it('calls every commit with two parents a merge', () => {
    expect(type("Merge branch 'x'", 2)).toEqual({ type: 'merge', source: 'merge' });
    expect(type('feat(milestone-001): login', 3).type).toBe('merge');
  });

  it.each([
    ['fix typo', 'fix'],
    ['Fixed crash on start', 'fix'],
    ['fix typo in docs', 'fix'],
    ['add X', 'feat'],
    ['Implement the parser', 'feat'],
    ["Merge branch 'feature' into main", 'merge'],
    ['Merge pull request #12 from a/b', 'merge'],
    ['update docs', 'docs'],
    ['Update README', 'docs'],
    ['add tests for the parser', 'test'],
    ['Bump lodash from 4.17.20 to 4.17.21', 'build'],
    ['Refactor the store', 'refactor'],
    ['rename foo to bar', 'refactor'],
    ['Speed up startup', 'perf'],
    ['run prettier', 'style'],
    ['Revert "feat: x"', 'revert'],
    ['Initial commit', 'chore'],
    ['update', 'chore'],
    ['wip', 'chore'],
    ['asdf', 'other'],
    ['Note: not a type', 'other'],
  ])('classifies %j as %s by heuristics', (subject, expected) => {
    expect(type(subject)).toEqual({ type: expected, source: 'heuristic' });
  });
});

describe('readTrailers', () => {
  it('reads Agent, Milestone and Task whatever the key case; the first value wins', () => {
    expect(
      readTrailers('Milestone: 001\ntask: login\nAgent: coder (claude)\nAgent: other\nSigned-off-by: A\n'),
    ).toEqual({
      agent: 'coder (claude)',
      milestone: '001',
      task: 'login',
    });
    expect(readTrailers('')).toEqual({ agent: null, milestone: null, task: null });
  });
});
