import { describe, expect, it } from 'vitest';
import { checkpointInterval, MAX_INTERVAL, MIN_INTERVAL } from './interval.js';

describe('checkpointInterval', () => {
  it('is the longest for a calm run without failures', () => {
    expect(checkpointInterval({ recentFailures: 0, eventsPerMinute: 10 })).toBe(MAX_INTERVAL);
  });

  it('halves with each recent failure', () => {
    expect(checkpointInterval({ recentFailures: 1, eventsPerMinute: 10 })).toBe(25);
    expect(checkpointInterval({ recentFailures: 2, eventsPerMinute: 10 })).toBe(13);
  });

  it('shrinks in proportion to the event rate above the calm rate', () => {
    expect(checkpointInterval({ recentFailures: 0, eventsPerMinute: 60 })).toBe(50);
    expect(checkpointInterval({ recentFailures: 0, eventsPerMinute: 120 })).toBe(25);
    expect(checkpointInterval({ recentFailures: 1, eventsPerMinute: 120 })).toBe(13);
  });

  it('never drops below the minimum, however bad things get', () => {
    expect(checkpointInterval({ recentFailures: 50, eventsPerMinute: 100_000 })).toBe(MIN_INTERVAL);
  });

  it('only moves one way as failures or rate rise', () => {
    let last = Infinity;
    for (const failures of [0, 1, 2, 3, 4, 5]) {
      const next = checkpointInterval({ recentFailures: failures, eventsPerMinute: 30 });
      expect(next).toBeLessThanOrEqual(last);
      last = next;
    }
    last = Infinity;
    for (const rate of [0, 60, 90, 200, 1000]) {
      const next = checkpointInterval({ recentFailures: 0, eventsPerMinute: rate });
      expect(next).toBeLessThanOrEqual(last);
      last = next;
    }
  });
});
