import { describe, expect, it } from 'vitest';
import { pressureOf, sampleSystem, scoreHealth, type SystemSample } from './health.js';

const GB = 1024 ** 3;
const calm: SystemSample = {
  diskFreeBytes: 50 * GB,
  diskTotalBytes: 100 * GB,
  load1: 0.5,
  cpus: 2,
  freeMemBytes: 8 * GB,
  totalMemBytes: 16 * GB,
};

describe('health', () => {
  it('reads this machine', () => {
    const sample = sampleSystem('.');
    expect(sample.cpus).toBeGreaterThan(0);
    expect(sample.diskTotalBytes).toBeGreaterThan(0);
  });

  it('judges pressure from disk, memory and load', () => {
    expect(pressureOf(calm)).toBe('none');
    expect(pressureOf({ ...calm, diskFreeBytes: 100 * 1024 ** 2 })).toBe('disk-full');
    expect(pressureOf({ ...calm, freeMemBytes: 0.01 * GB })).toBe('resources');
    expect(pressureOf({ ...calm, load1: 20 })).toBe('resources');
  });

  it('scores a run and says what is wrong', () => {
    expect(scoreHealth(calm, { attempts: 10, failedAttempts: 1, oldestReadyMs: 0 })).toEqual({
      score: 100,
      warnings: [],
    });
    const poor = scoreHealth(
      { ...calm, diskFreeBytes: 0.5 * GB },
      { attempts: 10, failedAttempts: 6, oldestReadyMs: 0 },
    );
    expect(poor.score).toBe(40);
    expect(poor.warnings).toEqual(['60% of attempts failed', 'only 512 MB free on the state disk']);
  });
});
