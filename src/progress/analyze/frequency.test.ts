import { describe, expect, it } from 'vitest';
import { frequencyOf, patternOf } from './frequency.js';

const HOUR = 3600;
const at = (hours: number[]) => hours.map((h) => 1_700_000_000 + h * HOUR);

describe('frequencyOf', () => {
  it('finds a steady rhythm: equal gaps have a CV of 0', () => {
    const f = frequencyOf(at([0, 24, 48, 72, 96]));
    expect(f).toEqual({
      pattern: 'steady',
      commits: 5,
      span_hours: 96,
      mean_gap_hours: 24,
      median_gap_hours: 24,
      cv: 0,
    });
  });

  it('finds bursts: clusters of commits between long pauses', () => {
    // Gaps 1,1,1,70,1,1,1: mean 10.86 h, population sd 24.06 h, CV 2.22.
    const f = frequencyOf(at([0, 1, 2, 3, 73, 74, 75, 76]));
    expect(f.pattern).toBe('burst');
    expect(f.mean_gap_hours).toBe(10.86);
    expect(f.median_gap_hours).toBe(1);
    expect(f.cv).toBe(2.22);
  });

  it('calls a mean gap above a week, or fewer than three commits, sparse', () => {
    expect(frequencyOf(at([0, 200, 400, 600])).pattern).toBe('sparse');
    expect(frequencyOf(at([0, 1])).pattern).toBe('sparse');
    expect(frequencyOf([]).pattern).toBe('sparse');
    expect(frequencyOf(at([5]))).toMatchObject({ commits: 1, cv: null, mean_gap_hours: null });
  });

  it('never yields negative gaps or NaN from out-of-order or identical times', () => {
    const f = frequencyOf(at([96, 0, 48, 24, 72]));
    expect(f.cv).toBe(0);
    const same = frequencyOf(at([1, 1, 1]));
    expect(same).toMatchObject({ pattern: 'burst', cv: null, mean_gap_hours: 0 });
    for (const value of Object.values(same)) expect(Number.isNaN(value)).toBe(false);
  });

  it('draws the steady/burst line at CV 1', () => {
    expect(patternOf(10, 5, 1)).toBe('steady');
    expect(patternOf(10, 5, 1.01)).toBe('burst');
    expect(patternOf(10, 168.1, 0.2)).toBe('sparse');
  });
});
