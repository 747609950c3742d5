import { describe, expect, it } from 'vitest';
import { hotFiles, keptApartWithHistory } from './hot-dirs.js';

/** `n` commits touching `file` (plus a file of their own), then `rest` unrelated ones. */
function history(hot: Record<string, number>, rest: number): string[][] {
  const commits: string[][] = [];
  let k = 0;
  for (const [file, n] of Object.entries(hot))
    for (let i = 0; i < n; i++) commits.push([file, `misc/${k++}.ts`]);
  for (let i = 0; i < rest; i++) commits.push([`misc/${k++}.ts`]);
  return commits;
}

describe('hotFiles', () => {
  it('keeps files changed by at least 5 commits and 10% of the history, and conflicted files', () => {
    const hot = hotFiles(history({ 'src/api/index.ts': 12, 'src/db/seed.ts': 4, 'package.json': 30 }, 54), [
      'src/ui/theme.css',
    ]);
    expect(hot).toEqual([
      { file: 'src/api/index.ts', commits: 12, of: 100, conflicted: false },
      { file: 'src/ui/theme.css', commits: 0, of: 100, conflicted: true },
    ]);
  });

  it('needs 10% of a long history', () => {
    expect(hotFiles(history({ 'src/api/index.ts': 12 }, 988), [])).toEqual([]);
  });

  it('finds nothing without history', () => {
    expect(hotFiles([], [])).toEqual([]);
  });
});

describe('keptApartWithHistory', () => {
  const hot = [{ file: 'src/api/index.ts', commits: 12, of: 100, conflicted: false }];

  it('keeps apart tasks that work in the same hot directory, after the overlapping pairs', () => {
    const pairs = keptApartWithHistory(
      [
        { id: 'users', files: ['src/api/users/**'] },
        { id: 'orders', files: ['src/api/orders.ts'] },
        { id: 'deep', files: ['src/api/v2/admin/**'] },
        { id: 'free', files: [] },
        { id: 'lenient', files: ['src/api/health.ts'], overlap: 'allow' },
        { id: 'same', files: ['src/api/orders.ts', 'docs/**'] },
      ],
      hot,
    );
    expect(pairs).toEqual([
      { tasks: ['orders', 'same'], why: 'src/api/orders.ts and src/api/orders.ts', kind: 'overlap' },
      {
        tasks: ['users', 'orders'],
        why: 'both work next to src/api/index.ts (changed in 12 of the last 100 commits; hot directory src/api)',
        kind: 'hot',
      },
      { tasks: ['users', 'same'], why: expect.stringContaining('src/api/index.ts') as string, kind: 'hot' },
    ]);
  });

  it('says when the reason is an earlier conflict', () => {
    const pairs = keptApartWithHistory(
      [
        { id: 'a', files: ['src/ui/a.tsx'] },
        { id: 'b', files: ['src/ui/b/**'] },
      ],
      [{ file: 'src/ui/theme.css', commits: 0, of: 3, conflicted: true }],
    );
    expect(pairs.map((p) => p.why)).toEqual([
      'both work next to src/ui/theme.css (conflicted in an earlier merge; hot directory src/ui)',
    ]);
  });
});
