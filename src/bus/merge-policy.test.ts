import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkValue,
  join,
  lift,
  MERGE_POLICIES,
  resolve,
  valueOf,
  type Merged,
  type Sibling,
} from './merge-policy.js';

const json = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('a', 'b', 'c'), fc.boolean());
const valueFor = {
  lww: json,
  manual: json,
  'merge-set': fc.array(json, { maxLength: 4 }),
  'merge-map': fc.dictionary(fc.constantFrom('x', 'y', 'z'), json, { maxKeys: 3 }),
} as const;

/** Siblings with distinct versions, as the store hands them out. */
const siblings = (policy: (typeof MERGE_POLICIES)[number], firstVersion = 1) =>
  fc
    .array(
      fc.record({
        writer: fc.constantFrom('task:a', 'task:b', 'user'),
        at: fc.integer({ min: 0, max: 3 }),
        value: valueFor[policy],
        deleted: fc.boolean(),
      }),
      { minLength: 1, maxLength: 6 },
    )
    .map((list) => list.map((s, index): Sibling => ({ ...s, version: firstVersion + index })));

/** A joined state; states made with different `first` versions never share a version, like siblings in the store. */
const state = (policy: (typeof MERGE_POLICIES)[number], first: number) =>
  siblings(policy, first).map((list) => list.map((s) => lift(policy, s)).reduce(join));

const same = (a: Merged, b: Merged) => expect(valueOf(a)).toEqual(valueOf(b));

describe.each(MERGE_POLICIES)('merge policy %s', (policy) => {
  it('join is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(state(policy, 1), state(policy, 100), state(policy, 200), (a, b, c) => {
        same(join(a, b), join(b, a));
        same(join(join(a, b), c), join(a, join(b, c)));
        same(join(a, a), a);
      }),
    );
  });

  it('resolves the same value whatever the order siblings are met in, and with repeats', () => {
    fc.assert(
      fc.property(siblings(policy), fc.integer(), (list, seed) => {
        const shuffled = [...list].sort(
          (x, y) => ((x.version * 7919 + seed) % 13) - ((y.version * 7919 + seed) % 13),
        );
        expect(resolve(policy, shuffled)).toEqual(resolve(policy, list));
        expect(resolve(policy, [...list, ...list])).toEqual(resolve(policy, list));
      }),
    );
  });
});

describe('policies on examples', () => {
  const at = (version: number, writer: string, time: number, value: unknown, deleted = false): Sibling => ({
    version,
    writer,
    at: time,
    value,
    deleted,
  });

  it('lww keeps the latest write, ties broken by writer', () => {
    expect(resolve('lww', [at(1, 'task:a', 5, 'old'), at(2, 'task:b', 9, 'new')]).value).toBe('new');
    expect(resolve('lww', [at(1, 'task:b', 5, 'b'), at(2, 'task:a', 5, 'a')]).value).toBe('b');
    expect(resolve('lww', [at(1, 'task:a', 5, 'x'), at(2, 'task:b', 9, null, true)]).deleted).toBe(true);
  });

  it('merge-set unions, merge-map merges per key by the latest writer of that key', () => {
    expect(resolve('merge-set', [at(1, 'a', 1, [1, 2]), at(2, 'b', 2, [2, 3])]).value).toEqual([1, 2, 3]);
    const map = resolve('merge-map', [at(1, 'a', 1, { x: 1, y: 1 }), at(2, 'b', 2, { x: 2 })]);
    expect(map.value).toEqual({ x: 2, y: 1 });
  });

  it('manual reports a conflict while siblings remain', () => {
    expect(resolve('manual', [at(1, 'a', 1, 'x'), at(2, 'b', 1, 'y')])).toMatchObject({ conflict: true });
    expect(resolve('manual', [at(1, 'a', 1, 'x')])).toMatchObject({ conflict: false, value: 'x' });
  });

  it('checks the shape a policy needs', () => {
    expect(checkValue('merge-set', { a: 1 })).toMatch(/array/);
    expect(checkValue('merge-map', [1])).toMatch(/object/);
    expect(checkValue('lww', 3)).toBeUndefined();
  });
});
