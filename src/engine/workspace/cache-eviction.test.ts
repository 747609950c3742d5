import { describe, expect, it } from 'vitest';
import { chooseEvictions } from './cache-eviction.js';

const DAY = 86_400_000;
const now = 100 * DAY;
const entry = (key: string, bytes: number, daysAgo: number) => ({
  key,
  bytes,
  lastUsedMs: now - daysAgo * DAY,
});

describe('chooseEvictions', () => {
  it('removes entries unused for longer than the age limit', () => {
    const entries = [entry('old', 10, 20), entry('new', 10, 1)];
    expect(chooseEvictions(entries, { maxBytes: 1000, maxAgeMs: 14 * DAY }, now)).toEqual(['old']);
  });

  it('then the least recently used until the rest fit', () => {
    const entries = [entry('a', 40, 3), entry('b', 40, 1), entry('c', 40, 2)];
    expect(chooseEvictions(entries, { maxBytes: 80, maxAgeMs: 14 * DAY }, now)).toEqual(['a']);
    expect(chooseEvictions(entries, { maxBytes: 39, maxAgeMs: 14 * DAY }, now).sort()).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('keeps the entries in use, even over the limits', () => {
    const entries = [entry('a', 100, 30), entry('b', 100, 1)];
    expect(chooseEvictions(entries, { maxBytes: 50, maxAgeMs: DAY }, now, new Set(['a']))).toEqual(['b']);
  });

  it('removes nothing when everything fits', () => {
    expect(chooseEvictions([entry('a', 1, 0)], { maxBytes: 1, maxAgeMs: DAY }, now)).toEqual([]);
  });
});
