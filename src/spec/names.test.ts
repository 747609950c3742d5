import { describe, expect, it } from 'vitest';
import { closestName, levenshtein, suggestName } from './names.js';

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('', '')).toBe(0);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('depends-on', 'depends_on')).toBe(1);
  });
});

describe('closestName', () => {
  const keys = ['id', 'title', 'depends_on', 'acceptance'];

  it('suggests a plausible typo', () => {
    expect(closestName('dependson', keys)).toBe('depends_on');
    expect(closestName('dependsOn', keys)).toBe('depends_on');
    expect(closestName('titel', keys)).toBe('title');
    expect(closestName('acceptence', keys)).toBe('acceptance');
  });

  it('allows at least two edits, and a third of the length on long names', () => {
    expect(closestName('ix', ['id'])).toBe('id');
    expect(closestName('acceptnce_x', keys)).toBe('acceptance');
    expect(closestName('description', keys)).toBeUndefined();
  });

  it('does not suggest names that share nothing', () => {
    expect(closestName('zz', ['b'])).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });

  it('prefers the closest, then the earliest', () => {
    expect(closestName('ab', ['xb', 'ab'])).toBe('ab');
    expect(closestName('ab', ['xb', 'ay'])).toBe('xb');
  });
});

describe('suggestName', () => {
  it('says "did you mean" or lists what is allowed', () => {
    expect(suggestName('titel', ['id', 'title'])).toBe('did you mean `title`?');
    expect(suggestName('zzzzzz', ['id', 'title'])).toBe('use one of: `id`, `title`');
  });
});
