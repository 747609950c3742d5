import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    [90, 90_000],
    [0.5, 500],
    ['90', 90_000],
    ['500ms', 500],
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1h 30m 15s', 5_415_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    [' 5m ', 300_000],
    ['0s', 0],
  ])('reads %j as %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([['abc'], [''], ['5x'], ['1h30'], ['-5s'], ['m'], [-1], [Infinity], [null], [true], [[]]])(
    'rejects %j',
    (input) => {
      expect(parseDuration(input)).toBeUndefined();
    },
  );

  it('publishes a schema pattern that agrees on strings', () => {
    const pattern = new RegExp(DURATION_PATTERN);
    for (const text of ['90', '500ms', '1h30m', '1h 30m 15s', '1.5h', ' 5m ']) {
      expect(pattern.test(text), text).toBe(true);
    }
    for (const text of ['abc', '', '5x', '1h30', '-5s', 'm']) {
      expect(pattern.test(text), text).toBe(false);
    }
  });
});
