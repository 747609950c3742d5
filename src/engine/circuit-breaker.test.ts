import { describe, expect, it } from 'vitest';
import { admits, createBreaker, record } from './circuit-breaker.js';

const policy = { failures: 3, windowMs: 1_000, coolDownMs: 500 };

describe('circuit breaker', () => {
  it('opens after consecutive failures inside the window', () => {
    const breaker = createBreaker();
    record(breaker, false, 0, policy);
    record(breaker, false, 100, policy);
    expect(breaker.state).toBe('closed');
    record(breaker, false, 200, policy);
    expect(breaker.state).toBe('open');
    expect(admits(breaker, 300, policy)).toBe(false);
  });

  it('forgets failures older than the window and resets on success', () => {
    const breaker = createBreaker();
    record(breaker, false, 0, policy);
    record(breaker, false, 100, policy);
    record(breaker, false, 1_500, policy);
    expect(breaker.state).toBe('closed');
    record(breaker, true, 1_600, policy);
    expect(breaker.failureTimes).toEqual([]);
  });

  it('lets exactly one probe through after the cool-down, then closes or re-opens', () => {
    const breaker = createBreaker();
    for (const t of [0, 1, 2]) record(breaker, false, t, policy);
    expect(admits(breaker, 400, policy)).toBe(false);
    expect(admits(breaker, 600, policy)).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(admits(breaker, 601, policy)).toBe(false);
    record(breaker, false, 700, policy);
    expect(breaker.state).toBe('open');
    expect(admits(breaker, 1_300, policy)).toBe(true);
    record(breaker, true, 1_400, policy);
    expect(breaker.state).toBe('closed');
    expect(admits(breaker, 1_401, policy)).toBe(true);
  });
});
