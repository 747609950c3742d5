import { describe, expect, it } from 'vitest';
import { beyondNoise, decideConcurrency } from './auto-tune.js';

const bounds = { min: 1, max: 8 };
const sample = (cpuBusy: number, throughput: number, waiting = 3, memFree = 0.5) => ({
  cpuBusy,
  throughput,
  waiting,
  memFree,
});

describe('decideConcurrency (AIMD)', () => {
  it('adds one agent while CPU has room and tasks wait, up to the bound', () => {
    expect(decideConcurrency(2, sample(0.5, 10), undefined, bounds)).toEqual({
      to: 3,
      why: 'CPU is 50% busy and 3 task(s) wait',
    });
    expect(decideConcurrency(8, sample(0.5, 10), undefined, bounds)).toBeUndefined();
    expect(decideConcurrency(2, sample(0.5, 10, 0), undefined, bounds)).toBeUndefined();
  });

  it('undoes a step up that lost throughput', () => {
    expect(decideConcurrency(4, sample(0.9, 8), { concurrency: 3, throughput: 10 }, bounds)).toMatchObject({
      to: 3,
    });
  });

  it('halves when saturated and the last step up did not help, and when memory runs low', () => {
    expect(decideConcurrency(6, sample(0.99, 10), { concurrency: 5, throughput: 10 }, bounds)).toMatchObject({
      to: 3,
    });
    expect(decideConcurrency(4, sample(0.3, 10, 3, 0.05), undefined, bounds)).toEqual({
      to: 2,
      why: 'memory is 5% free',
    });
    expect(decideConcurrency(1, sample(0.3, 10, 3, 0.05), undefined, bounds)).toBeUndefined();
  });

  it('keeps climbing on a busy machine while each step raises throughput, and holds when it stops paying', () => {
    expect(decideConcurrency(3, sample(0.9, 12), { concurrency: 2, throughput: 10 }, bounds)).toEqual({
      to: 4,
      why: 'throughput rose to 12.0 tasks/min and 3 task(s) wait',
    });
    expect(
      decideConcurrency(3, sample(0.9, 10.2), { concurrency: 2, throughput: 10 }, bounds),
    ).toBeUndefined();
  });
});

describe('decideConcurrency with the counts behind the throughput', () => {
  const counted = (cpuBusy: number, finished: number) => ({ ...sample(cpuBusy, finished * 60), finished });

  it('keeps a step up whose drop is within the noise of a few tasks', () => {
    // 5 tasks then 3 in one-second windows: as likely chance as a loss.
    expect(
      decideConcurrency(4, counted(0.99, 3), { concurrency: 2, throughput: 300, finished: 5 }, bounds),
    ).toBe(undefined);
    expect(
      decideConcurrency(4, counted(0.99, 5), { concurrency: 2, throughput: 300, finished: 5 }, bounds),
    ).toBe(undefined);
  });

  it('undoes it when the drop is beyond the noise', () => {
    expect(
      decideConcurrency(4, counted(0.99, 20), { concurrency: 2, throughput: 2400, finished: 40 }, bounds),
    ).toMatchObject({ to: 2, why: expect.stringContaining('throughput fell') as string });
  });

  it('beyondNoise: two standard deviations of a Poisson difference; any drop without counts', () => {
    expect(beyondNoise(5, 3)).toBe(false);
    expect(beyondNoise(40, 20)).toBe(true);
    expect(beyondNoise(40, 35)).toBe(false);
    expect(beyondNoise(undefined, 3)).toBe(true);
  });
});

describe('decideConcurrency in slow start', () => {
  it('doubles while CPU has room, never past the bound or the tasks waiting', () => {
    expect(decideConcurrency(2, sample(0.5, 10, 10), undefined, bounds, true)).toMatchObject({ to: 4 });
    expect(decideConcurrency(6, sample(0.5, 10, 10), undefined, bounds, true)).toMatchObject({ to: 8 });
    expect(decideConcurrency(2, sample(0.5, 10, 1), undefined, bounds, true)).toMatchObject({ to: 3 });
    // Probing past a busy CPU until throughput falls.
    expect(decideConcurrency(2, sample(0.97, 10, 10), undefined, bounds, true)).toMatchObject({
      to: 4,
      why: 'probing (slow start) and 10 task(s) wait',
    });
  });
});
