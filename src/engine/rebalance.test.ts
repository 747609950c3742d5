import { describe, expect, it } from 'vitest';
import { createBreaker, record, type BreakerPolicy } from './circuit-breaker.js';
import { describeMove, placeTask, refusesWork, type ProfileView } from './rebalance.js';

/** Profiles by name: `full` ones have no room, `open` ones refuse work. */
function view(state: { full?: string[]; open?: string[] }): ProfileView {
  return {
    hasRoom: (agent) => !(state.full ?? []).includes(agent),
    isOpen: (agent) => (state.open ?? []).includes(agent),
  };
}

const chain = ['claude', 'codex', 'aider'];

describe('placeTask', () => {
  it('keeps a task on its own profile while it is closed and has room', () => {
    expect(placeTask(chain, view({ full: ['codex'] }))).toEqual({ agent: 'claude', index: 0 });
  });

  it('moves a task to the first closed fallback with room when its profile is full', () => {
    expect(placeTask(chain, view({ full: ['claude'] }))).toEqual({
      agent: 'codex',
      index: 1,
      moved: { from: 'claude', why: 'at-capacity' },
    });
    expect(placeTask(chain, view({ full: ['claude', 'codex'] }))).toMatchObject({ agent: 'aider', index: 2 });
  });

  it('moves a task away from an open circuit, passing over open and full fallbacks', () => {
    expect(placeTask(chain, view({ open: ['claude', 'codex'] }))).toEqual({
      agent: 'aider',
      index: 2,
      moved: { from: 'claude', why: 'circuit-open' },
    });
    expect(placeTask(chain, view({ open: ['claude'], full: ['codex'] }))).toMatchObject({ agent: 'aider' });
  });

  it('waits when its profile is full and every fallback is full or open', () => {
    expect(placeTask(chain, view({ full: ['claude', 'codex'], open: ['aider'] }))).toBeUndefined();
    expect(placeTask(['claude'], view({ full: ['claude'] }))).toBeUndefined();
  });

  it('waits for a closed fallback to free up rather than run on an open circuit', () => {
    expect(placeTask(chain, view({ open: ['claude'], full: ['codex', 'aider'] }))).toBeUndefined();
  });

  it('stays on its own open profile when every circuit of the chain is open', () => {
    expect(placeTask(chain, view({ open: chain }))).toEqual({ agent: 'claude', index: 0 });
    expect(placeTask(['claude'], view({ open: ['claude'] }))).toEqual({ agent: 'claude', index: 0 });
  });

  it('places nothing for an empty chain', () => {
    expect(placeTask([], view({}))).toBeUndefined();
  });
});

describe('refusesWork', () => {
  const policy: BreakerPolicy = { failures: 1, windowMs: 1_000, coolDownMs: 100 };

  it('refuses while an open circuit cools down, then admits its probe without taking it', () => {
    const breaker = createBreaker();
    expect(refusesWork(undefined, 0, policy)).toBe(false);
    expect(refusesWork(breaker, 0, policy)).toBe(false);
    record(breaker, false, 10, policy);
    expect(refusesWork(breaker, 50, policy)).toBe(true);
    expect(refusesWork(breaker, 110, policy)).toBe(false);
    expect(breaker.state).toBe('open');
    Object.assign(breaker, { state: 'half-open', probing: true });
    expect(refusesWork(breaker, 200, policy)).toBe(true);
    record(breaker, true, 210, policy);
    expect(refusesWork(breaker, 220, policy)).toBe(false);
  });
});

describe('describeMove', () => {
  it('says why a task left its profile', () => {
    expect(
      describeMove('a', { agent: 'codex', index: 1, moved: { from: 'claude', why: 'at-capacity' } }),
    ).toBe('a: claude is at its limit; starting on codex');
    expect(
      describeMove('b', { agent: 'codex', index: 1, moved: { from: 'claude', why: 'circuit-open' } }),
    ).toBe('b: the circuit of claude is open; starting on codex');
  });
});
