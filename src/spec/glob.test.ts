import { describe, expect, it } from 'vitest';
import { matchesAnyGlob } from './glob.js';

const matches = (path: string, glob: string) => matchesAnyGlob(path, [glob]);

describe('matchesAnyGlob', () => {
  it('matches nothing with no globs', () => {
    expect(matchesAnyGlob('a.ts', [])).toBe(false);
  });

  it('keeps `*` and `?` within one segment', () => {
    expect(matches('src/a.ts', 'src/*.ts')).toBe(true);
    expect(matches('src/x/a.ts', 'src/*.ts')).toBe(false);
    expect(matches('a1.ts', 'a?.ts')).toBe(true);
    expect(matches('a/.ts', 'a?.ts')).toBe(false);
  });

  it('lets `**` span zero or more segments', () => {
    expect(matches('a.ts', '**/*.ts')).toBe(true);
    expect(matches('x/y/a.ts', '**/*.ts')).toBe(true);
    expect(matches('src/a.ts', 'src/**/*.ts')).toBe(true);
    expect(matches('src/x/y/a.ts', 'src/**/*.ts')).toBe(true);
    expect(matches('lib/a.ts', 'src/**/*.ts')).toBe(false);
    expect(matches('src/a.js', 'src/**/*.ts')).toBe(false);
  });

  it('treats a directory, with or without `/` or `/**`, as everything under it', () => {
    for (const glob of ['db', 'db/', 'db/**', './db/']) {
      expect(matches('db/schema.sql', glob)).toBe(true);
      expect(matches('db/migrations/001.sql', glob)).toBe(true);
      expect(matches('dbx/schema.sql', glob)).toBe(false);
      expect(matches('src/db/schema.sql', glob)).toBe(false);
    }
  });

  it('expands braces, nested too', () => {
    expect(matches('src/a.ts', 'src/*.{ts,tsx}')).toBe(true);
    expect(matches('src/a.tsx', 'src/*.{ts,tsx}')).toBe(true);
    expect(matches('src/a.js', 'src/*.{ts,tsx}')).toBe(false);
    expect(matches('docs/x.md', '{src/**,docs/{a,x}.md}')).toBe(true);
    expect(matches('docs/y.md', '{src/**,docs/{a,x}.md}')).toBe(false);
  });

  it('supports character classes and escapes regex characters', () => {
    expect(matches('v1.txt', 'v[0-9].txt')).toBe(true);
    expect(matches('vx.txt', 'v[!0-9].txt')).toBe(true);
    expect(matches('v1.txt', 'v[!0-9].txt')).toBe(false);
    expect(matches('a+b(1).txt', 'a+b(1).txt')).toBe(true);
    expect(matches('aXtxt', 'a.txt')).toBe(false);
  });

  it('ignores a leading ./ on the path', () => {
    expect(matches('./src/a.ts', 'src/*.ts')).toBe(true);
  });

  it('is true when any glob matches', () => {
    expect(matchesAnyGlob('docs/a.md', ['src/**', 'docs/'])).toBe(true);
  });
});
