import { describe, expect, it } from 'vitest';
import {
  applyPressure,
  concurrencyAt,
  createDegradation,
  effectiveLevel,
  recordOutcome,
} from './degradation.js';

const policy = { window: 4, clusterFailures: 3, recoverAfter: 3 };

describe('degradation', () => {
  it('steps down one level per failure cluster, each needing fresh evidence', () => {
    const state = createDegradation();
    expect(recordOutcome(state, false, policy)).toBeUndefined();
    expect(recordOutcome(state, true, policy)).toBeUndefined();
    expect(recordOutcome(state, false, policy)).toBeUndefined();
    expect(recordOutcome(state, false, policy)).toBe('3 of the last 4 attempts failed');
    expect(state.level).toBe('standard');
    expect(recordOutcome(state, false, policy)).toBeUndefined();
    recordOutcome(state, false, policy);
    recordOutcome(state, false, policy);
    expect(state.level).toBe('conservative');
    for (let i = 0; i < 3; i++) recordOutcome(state, false, policy);
    expect(state.level).toBe('manual');
  });

  it('climbs back after a run of successes, but not out of manual', () => {
    const state = createDegradation();
    state.level = 'conservative';
    for (let i = 0; i < 3; i++) recordOutcome(state, true, policy);
    expect(state.level).toBe('standard');
    state.level = 'manual';
    for (let i = 0; i < 6; i++) recordOutcome(state, true, policy);
    expect(state.level).toBe('manual');
  });

  it('lets resource pressure set a floor that lifts with it', () => {
    const state = createDegradation();
    expect(applyPressure(state, 'resources')).toMatch(/short of memory/);
    expect(effectiveLevel(state)).toBe('conservative');
    expect(applyPressure(state, 'disk-full')).toMatch(/disk/);
    expect(effectiveLevel(state)).toBe('manual');
    expect(applyPressure(state, 'none')).toMatch(/gone/);
    expect(effectiveLevel(state)).toBe('full');
    expect(applyPressure(state, 'none')).toBeUndefined();
  });

  it('maps levels to concurrency', () => {
    expect([
      concurrencyAt('full', 4),
      concurrencyAt('standard', 4),
      concurrencyAt('conservative', 4),
      concurrencyAt('manual', 4),
    ]).toEqual([4, 2, 1, 0]);
    expect(concurrencyAt('standard', 1)).toBe(1);
  });
});
