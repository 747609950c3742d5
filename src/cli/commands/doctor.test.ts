import { describe, expect, it } from 'vitest';
import { renderReport } from './doctor.js';

describe('doctor report', () => {
  it('prints one line per finding with its mark and fix, then a summary that points at --repair', () => {
    const text = renderReport(
      {
        ok: false,
        findings: [
          { check: 'git', status: 'ok', message: 'git 2.43.0', fix: null },
          {
            check: 'lease',
            status: 'warn',
            message: 'stale lease',
            fix: 'release it',
            repair: { kind: 'release-lease', milestone: '001', run: 'r' },
          },
          {
            check: 'database',
            status: 'error',
            message: 'state.db is damaged',
            fix: 'rebuild it',
            repair: { kind: 'rebuild-state' },
          },
        ],
        repaired: [],
      },
      false,
    );
    expect(text).toBe(
      [
        '✓ git       git 2.43.0',
        '! lease     stale lease',
        '            fix: release it',
        '✗ database  state.db is damaged',
        '            fix: rebuild it',
        '',
        '1 error, 1 warning. Run `cairn doctor --repair` to fix what can be fixed safely.',
      ].join('\n'),
    );
  });

  it('lists repairs first, then the findings after them', () => {
    const text = renderReport(
      {
        ok: true,
        findings: [{ check: 'locks', status: 'ok', message: 'no git lock files', fix: null }],
        repaired: [{ check: 'locks', ok: true, message: 'deleted the stale lock .git/index.lock' }],
      },
      true,
    );
    expect(text).toBe(
      [
        'Repaired:',
        '  ✓ locks     deleted the stale lock .git/index.lock',
        '',
        'After repair:',
        '✓ locks     no git lock files',
        '',
        'All checks passed.',
      ].join('\n'),
    );
  });
});
