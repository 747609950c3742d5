import { describe, expect, it } from 'vitest';
import { isSafeMilestoneId, isSafeTaskId, slugify } from './ids.js';

describe('isSafeMilestoneId', () => {
  it.each(['001', 'auth', 'v2-auth', '1a'])('accepts %s', (id) => {
    expect(isSafeMilestoneId(id)).toBe(true);
  });
  it.each(['', 'A', '-x', 'a b', 'a.b', 'a_b', '../x', 'é'])('rejects %j', (id) => {
    expect(isSafeMilestoneId(id)).toBe(false);
  });
});

describe('isSafeTaskId', () => {
  it.each(['a', 'db-schema', 'v1.2', 'a_b', '0'])('accepts %s', (id) => {
    expect(isSafeTaskId(id)).toBe(true);
  });
  it.each(['', '../x', 'a..b', 'a.', 'x.lock', 'a b', '-x', '.x', '_x', 'A', 'a/b', 'a~b'])(
    'rejects %j',
    (id) => {
      expect(isSafeTaskId(id)).toBe(false);
    },
  );
});

describe('slugify', () => {
  it('keeps lowercase letters, digits and single dashes', () => {
    expect(slugify('User Authentication')).toBe('user-authentication');
    expect(slugify('  Fix: login -- (v2)!  ')).toBe('fix-login-v2');
    expect(slugify('Café crème')).toBe('cafe-creme');
  });

  it('cuts at 40 characters without a trailing dash', () => {
    const slug = slugify('a'.repeat(39) + ' b and more');
    expect(slug).toBe('a'.repeat(39));
    expect(slugify('x'.repeat(60))).toHaveLength(40);
  });

  it('is never empty', () => {
    expect(slugify('')).toBe('milestone');
    expect(slugify('!!!')).toBe('milestone');
    expect(slugify('日本語')).toBe('milestone');
  });
});
