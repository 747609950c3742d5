import { describe, expect, it } from 'vitest';
import { retryCeiling, retryDelay } from './backoff.js';

describe('retryDelay', () => {
  it('doubles the window from the base up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryCeiling(n))).toEqual([
      2000, 4000, 8000, 16000, 32000, 60000, 60000,
    ]);
  });

  it('draws uniformly inside the window (full jitter)', () => {
    expect(retryDelay(3, undefined, () => 0)).toBe(0);
    expect(retryDelay(3, undefined, () => 0.5)).toBe(4000);
    expect(retryDelay(3, undefined, () => 0.999999)).toBe(7999);
  });

  it('follows a custom policy', () => {
    expect(retryDelay(2, { baseMs: 100, factor: 3, capMs: 250 }, () => 0.999999)).toBe(249);
  });
});
