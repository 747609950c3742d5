import { describe, expect, it } from 'vitest';
import { globsOverlap, keptApart, scopesOverlap } from './overlap.js';

describe('globsOverlap', () => {
  it.each([
    ['src/**', 'src/auth/login.ts', true],
    ['src/auth', 'src/auth/login.ts', true],
    ['src/auth/', 'src/auth/**', true],
    ['src/a*.ts', 'src/b*.ts', false],
    ['src/**', 'test/**', false],
    ['src', 'srcx/a.ts', false],
    ['**/*.test.ts', 'src/x.ts', false],
    ['**/*.test.ts', 'src/x.test.ts', true],
    ['./docs/**', 'docs/guide.md', true],
    ['db/**', 'db/migrations/*.sql', true],
    ['README.md', 'README.md', true],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
    expect(globsOverlap(b, a)).toBe(expected);
  });
});

describe('keptApart', () => {
  it('pairs the tasks whose scopes overlap, with the reason; unscoped and allowed tasks are free', () => {
    const pairs = keptApart([
      { id: 'a', files: ['src/auth/**'] },
      { id: 'b', files: ['src/auth/login.ts', 'docs/**'] },
      { id: 'c', files: ['test/**'] },
      { id: 'd', files: [] },
      { id: 'e', files: ['src/**'], overlap: 'allow' },
    ]);
    expect(pairs).toEqual([{ tasks: ['a', 'b'], why: 'src/auth/** and src/auth/login.ts' }]);
    expect(scopesOverlap(['x/**'], ['y/**'])).toBeUndefined();
  });
});
