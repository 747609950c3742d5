import { describe, expect, it } from 'vitest';
import { findCycles, formatCycle } from './cycles.js';
import { criticalPath, dependentsOf, planWaves, rankByCriticality } from './dag.js';
import type { DagNode } from './dag.js';

const graph = (edges: Record<string, string[]>): DagNode[] =>
  Object.entries(edges).map(([id, depends_on]) => ({ id, depends_on }));

//   a
//  / \
// b   c
//  \ /
//   d
const diamond = graph({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });

// Two chains of different length joined at the end, plus an isolated task.
const longer = graph({
  setup: [],
  lone: [],
  api: ['setup'],
  db: ['setup'],
  models: ['db'],
  auth: ['models', 'api'],
  ui: ['api'],
  docs: ['auth', 'ui'],
});

describe('planWaves', () => {
  it('puts roots first and each task one after its latest dependency', () => {
    expect(planWaves(diamond)).toEqual([['a'], ['b', 'c'], ['d']]);
    expect(planWaves(longer)).toEqual([
      ['setup', 'lone'],
      ['api', 'db'],
      ['models', 'ui'],
      ['auth'],
      ['docs'],
    ]);
  });

  it('keeps spec order within a wave even when dependencies come later', () => {
    expect(planWaves(graph({ z: ['y'], x: [], y: [] }))).toEqual([['x', 'y'], ['z']]);
  });

  it('returns nothing for no tasks', () => {
    expect(planWaves([])).toEqual([]);
  });
});

describe('rankByCriticality', () => {
  it('counts the longest chain to a sink, the task included', () => {
    expect(Object.fromEntries(rankByCriticality(diamond))).toEqual({ a: 3, b: 2, c: 2, d: 1 });
    const ranks = rankByCriticality(longer);
    expect(ranks.get('setup')).toBe(5);
    expect(ranks.get('api')).toBe(3);
    expect(ranks.get('lone')).toBe(1);
  });

  it('sums a custom cost', () => {
    const cost = (id: string) => (id === 'c' ? 10 : 1);
    expect(Object.fromEntries(rankByCriticality(diamond, cost))).toEqual({
      a: 12,
      b: 2,
      c: 11,
      d: 1,
    });
  });
});

describe('criticalPath', () => {
  it('breaks ties by spec order', () => {
    expect(criticalPath(diamond)).toEqual(['a', 'b', 'd']);
  });

  it('follows the most expensive chain', () => {
    expect(criticalPath(diamond, (id) => (id === 'c' ? 5 : 1))).toEqual(['a', 'c', 'd']);
    expect(criticalPath(longer)).toEqual(['setup', 'db', 'models', 'auth', 'docs']);
    const slowUi = (id: string) => (id === 'ui' ? 4 : 1);
    expect(criticalPath(longer, slowUi)).toEqual(['setup', 'api', 'ui', 'docs']);
  });

  it('is empty for no tasks and one task for a single one', () => {
    expect(criticalPath([])).toEqual([]);
    expect(criticalPath(graph({ only: [] }))).toEqual(['only']);
  });
});

describe('dependentsOf', () => {
  it('lists transitive dependents in spec order', () => {
    expect(dependentsOf(diamond, 'a')).toEqual(['b', 'c', 'd']);
    expect(dependentsOf(longer, 'db')).toEqual(['models', 'auth', 'docs']);
    expect(dependentsOf(longer, 'docs')).toEqual([]);
    expect(dependentsOf(longer, 'missing')).toEqual([]);
  });
});

describe('findCycles', () => {
  it('finds none in a DAG', () => {
    expect(findCycles(longer)).toEqual([]);
  });

  it('lists each cycle once, from its earliest task', () => {
    const cycles = findCycles(graph({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }));
    expect(cycles).toEqual([['a', 'b', 'c']]);
    expect(formatCycle(cycles[0] ?? [])).toBe('a → b → c → a');
  });

  it('finds separate and overlapping cycles and self-dependencies', () => {
    const cycles = findCycles(graph({ a: ['b', 'c'], b: ['a'], c: ['a'], x: ['x'], y: ['z'], z: ['y'] }));
    expect(cycles).toEqual([['a', 'b'], ['a', 'c'], ['x'], ['y', 'z']]);
  });

  it('ignores unknown dependencies and repeated ones', () => {
    expect(findCycles(graph({ a: ['nope', 'b', 'b'], b: ['a'] }))).toEqual([['a', 'b']]);
  });
});
