import { describe, expect, it } from 'vitest';
import { parseTrailers } from '../git/trailers.js';
import { summarizeChanges, taskCommitMessage, taskMergeMessage } from './messages.js';

const context = {
  milestoneId: '001',
  run: '20261127T100000-abcdef',
  task: { id: 'login-ui', title: 'Login form', type: 'feat' },
  agent: { name: 'claude', kind: 'claude-code' as const, command: ['claude'] },
};

describe('commit messages', () => {
  it('summarizes changes by file kind', () => {
    expect(
      summarizeChanges([
        { path: 'src/a.ts', kind: 'untracked' },
        { path: 'src/b.ts', kind: 'modified' },
        { path: 'test/a.test.ts', kind: 'added' },
        { path: 'README.md', kind: 'deleted' },
      ]),
    ).toBe('2 code files (1 added), 1 test file (1 added), 1 docs file (1 deleted)');
  });

  it('writes the conventional subject and every trailer on task commits', () => {
    const text = taskCommitMessage(context, [{ path: 'ui/login.tsx', kind: 'untracked' }]);
    expect(text.split('\n')[0]).toBe('feat(milestone-001): Login form');
    expect(Object.fromEntries(parseTrailers(text))).toEqual({
      Milestone: '001',
      Task: 'login-ui',
      Progress: '100%',
      Session: '20261127T100000-abcdef',
      Agent: 'claude (claude-code)',
    });
  });

  it('tags merge commits with milestone and task', () => {
    const trailers = parseTrailers(taskMergeMessage(context, 'feature/milestone-001-login-ui', ['npm test']));
    expect(trailers.get('Milestone')).toBe('001');
    expect(trailers.get('Task')).toBe('login-ui');
  });
});
