import { describe, expect, it } from 'vitest';
import { allDimensions } from './dimensions.js';
import { confidenceOf, overallOf } from './overall.js';
import { doneTask, input, lines, task } from './test-input.js';
import type { Dimension, DimensionName } from './types.js';

const dim = (value: number | null): Dimension => ({ value, inputs: {}, explanation: '' });

describe('overall', () => {
  it('blends the distance dimensions with data, re-normalised', () => {
    const dims: Record<DimensionName, Dimension> = {
      task: dim(1),
      value: dim(0.5),
      code: dim(null),
      git: dim(0),
      quality: dim(0.2),
    };
    // (0.35 × 1 + 0.25 × 0.5 + 0.2 × 0) / 0.8
    expect(overallOf(dims)).toBeCloseTo(0.594, 3);
  });

  it('is null when no dimension has data', () => {
    const none = dim(null);
    expect(overallOf({ task: none, value: none, code: none, git: none, quality: none })).toBeNull();
  });

  it('reads 100% for a finished milestone whatever its quality', () => {
    const data = input([doneTask('a', 0, 5), doneTask('b', 5, 5)]);
    expect(overallOf(allDimensions(data))).toBe(1);
  });
});

describe('confidence', () => {
  it('is low when data is thin', () => {
    const data = input([doneTask('a', 0, 5), task('b'), task('c'), task('d')]);
    const { confidence, inputs } = confidenceOf(data, allDimensions(data));
    // 1 finished attempt + 1 task commit of 5 pieces of evidence
    expect(inputs.evidence).toBe(0.4);
    expect(confidence).toBeLessThan(0.5);
  });

  it('falls when the dimensions disagree', () => {
    const agree = input([doneTask('a', 0, 5), doneTask('b', 5, 5), doneTask('c', 10, 5), task('d')]);
    const disagree = input([
      doneTask('a', 0, 5, { lines: lines({ code: [1, 0] }) }),
      doneTask('b', 5, 5, { lines: lines({ code: [1, 0] }) }),
      doneTask('c', 10, 5, { lines: lines({ code: [1, 0] }) }),
      task('d', { weight: 30 }),
    ]);
    const a = confidenceOf(agree, allDimensions(agree));
    const d = confidenceOf(disagree, allDimensions(disagree));
    expect(a.inputs.agreement).toBe(1);
    expect(d.inputs.agreement).toBeLessThan(a.inputs.agreement!);
    expect(d.confidence).toBeLessThan(a.confidence);
  });

  it('is zero with no data at all', () => {
    const data = input([task('a')]);
    expect(confidenceOf(data, allDimensions(data)).confidence).toBe(0);
  });
});
