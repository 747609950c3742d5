import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareClocks,
  descends,
  mergeClocks,
  normalizeClock,
  parseClock,
  unissued,
  withCounter,
  type VectorClock,
} from './vector-clock.js';

const writer = fc.constantFrom('task:a', 'task:b', 'task:c', 'agent:x', 'user');
const clock: fc.Arbitrary<VectorClock> = fc
  .dictionary(writer, fc.nat({ max: 6 }))
  .map((raw) => normalizeClock(raw));

describe('vector clocks', () => {
  it('descends is a partial order: reflexive, antisymmetric, transitive', () => {
    fc.assert(
      fc.property(clock, clock, clock, (a, b, c) => {
        expect(descends(a, a)).toBe(true);
        if (descends(a, b) && descends(b, a)) expect(a).toEqual(b);
        if (descends(a, b) && descends(b, c)) expect(descends(a, c)).toBe(true);
      }),
    );
  });

  it('compare agrees with descends, and is its own mirror image', () => {
    const mirror = { equal: 'equal', before: 'after', after: 'before', concurrent: 'concurrent' } as const;
    fc.assert(
      fc.property(clock, clock, (a, b) => {
        const order = compareClocks(a, b);
        expect(compareClocks(b, a)).toBe(mirror[order]);
        expect(order === 'after' || order === 'equal').toBe(descends(a, b));
      }),
    );
  });

  it('merge is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(clock, clock, clock, (a, b, c) => {
        expect(mergeClocks(a, b)).toEqual(mergeClocks(b, a));
        expect(mergeClocks(mergeClocks(a, b), c)).toEqual(mergeClocks(a, mergeClocks(b, c)));
        expect(mergeClocks(a, a)).toEqual(a);
      }),
    );
  });

  it('merge is the least upper bound: it descends from both, and anything above both is above it', () => {
    fc.assert(
      fc.property(clock, clock, clock, (a, b, c) => {
        const m = mergeClocks(a, b);
        expect(descends(m, a) && descends(m, b)).toBe(true);
        if (descends(c, a) && descends(c, b)) expect(descends(c, m)).toBe(true);
      }),
    );
  });

  it('a writer that increments past every known counter writes a clock that descends from what it saw only', () => {
    fc.assert(
      fc.property(clock, clock, writer, (seen, other, w) => {
        const issued = mergeClocks(seen, other);
        const written = withCounter(seen, w, (issued[w] ?? 0) + 1);
        expect(descends(written, seen)).toBe(true);
        expect(compareClocks(written, seen)).toBe('after');
        expect(descends(other, written)).toBe(false);
      }),
    );
  });

  it('names the counters nobody issued', () => {
    expect(unissued({ 'task:a': 3, 'task:b': 1 }, { 'task:a': 2, 'task:b': 1 })).toEqual(['task:a@3']);
    expect(unissued({ 'task:a': 2 }, { 'task:a': 2 })).toEqual([]);
  });

  it('parses clocks from the command line and explains bad ones', () => {
    expect(parseClock('{"task:a":2,"user":0}')).toEqual({ 'task:a': 2 });
    expect(parseClock('nope')).toBe('it is not JSON');
    expect(parseClock('[1]')).toMatch(/JSON object/);
    expect(parseClock('{"a":-1}')).toMatch(/whole number/);
  });
});
