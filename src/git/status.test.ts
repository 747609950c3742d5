import { describe, expect, it } from 'vitest';
import { parseStatus } from './status.js';
import { formatCommitMessage, parseTrailers } from './trailers.js';

describe('parseStatus', () => {
  it('reads branch, head and every kind of change from porcelain v2', () => {
    const out = [
      '# branch.oid 1234567890abcdef1234567890abcdef12345678',
      '# branch.head feature/milestone-001-a',
      '1 .M N... 100644 100644 100644 aaa bbb src/with space.ts',
      '1 D. N... 100644 000000 000000 aaa 000 gone.txt',
      '1 A. N... 000000 100644 100644 000 bbb added.ts',
      '? new file.md',
      '',
    ].join('\0');
    expect(parseStatus(out)).toEqual({
      branch: 'feature/milestone-001-a',
      head: '1234567890abcdef1234567890abcdef12345678',
      changes: [
        { path: 'src/with space.ts', kind: 'modified' },
        { path: 'gone.txt', kind: 'deleted' },
        { path: 'added.ts', kind: 'added' },
        { path: 'new file.md', kind: 'untracked' },
      ],
    });
  });

  it('knows a detached HEAD', () => {
    expect(parseStatus('# branch.oid abc\0# branch.head (detached)\0').branch).toBeUndefined();
  });
});

describe('trailers', () => {
  it('round-trips subject, body and trailers', () => {
    const text = formatCommitMessage({
      subject: 'feat(milestone-001): Login',
      body: 'Changes: 1 code file.',
      trailers: [
        ['Milestone', '001'],
        ['Task', 'login-ui'],
      ],
    });
    expect(text).toBe(
      'feat(milestone-001): Login\n\nChanges: 1 code file.\n\nMilestone: 001\nTask: login-ui\n',
    );
    expect(Object.fromEntries(parseTrailers(text))).toEqual({ Milestone: '001', Task: 'login-ui' });
  });

  it('finds no trailers in a one-paragraph message', () => {
    expect(parseTrailers('Task: looks like a trailer but is the subject').size).toBe(0);
  });
});
