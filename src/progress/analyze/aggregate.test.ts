import { describe, expect, it } from 'vitest';
import { createAggregator } from './aggregate.js';
import type { CommitRecord } from './types.js';

const DAY = 86_400;
let next = 0;
function record(partial: Partial<CommitRecord>): CommitRecord {
  next += 1;
  return {
    hash: String(next).padStart(40, '0'),
    parents: 1,
    author: 'Ann',
    email: 'ann@x',
    authorTime: 1_700_000_000 + next * 3600,
    commitTime: 1_700_000_000 + next * 3600,
    type: 'feat',
    source: 'conventional',
    agent: null,
    milestone: null,
    task: null,
    stats: [1, 10, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    binary: 0,
    ...partial,
  };
}

const history = (): CommitRecord[] => [
  record({}),
  record({
    author: 'Bob',
    type: 'fix',
    stats: [1, 1, 1, 1, 5, 0, 0, 0, 0, 0, 0, 0],
    milestone: '001',
    task: 'a',
  }),
  record({
    author: 'Bob',
    type: 'docs',
    source: 'heuristic',
    stats: [0, 0, 0, 0, 0, 0, 2, 3, 0, 0, 0, 0],
    binary: 1,
  }),
  record({
    parents: 2,
    type: 'merge',
    source: 'merge',
    stats: new Array(12).fill(0),
    milestone: '001',
    task: 'a',
  }),
  record({ milestone: '001', task: 'b', agent: 'coder (claude)' }),
];

describe('createAggregator', () => {
  it('sums commits, merges, authors, types, kinds and churn', () => {
    const agg = createAggregator('type');
    for (const r of history()) agg.add(r);
    const a = agg.finish();
    expect(a).toMatchObject({ commits: 5, merges: 1, authors: 2 });
    expect(a.types).toEqual({ feat: 2, docs: 1, fix: 1, merge: 1 });
    expect(a.classified).toEqual({ conventional: 3, heuristic: 1, merge: 1 });
    expect(a.churn).toEqual({ files: 6, added: 29, deleted: 5, binary: 1 });
    expect(a.kinds.code).toEqual({ files: 3, added: 21, deleted: 5 });
    expect(a.kinds.docs).toEqual({ files: 2, added: 3, deleted: 0 });
    expect(a.groups.map((g) => [g.key, g.commits])).toEqual([
      ['feat', 2],
      ['docs', 1],
      ['fix', 1],
      ['merge', 1],
    ]);
    const total = Object.values(a.types).reduce((x, y) => x + y, 0);
    expect(total).toBe(a.commits);
  });

  it('groups by milestone with distinct tasks, and by kind per file kind touched', () => {
    const byMilestone = createAggregator('milestone');
    const byKind = createAggregator('kind');
    for (const r of history()) {
      byMilestone.add(r);
      byKind.add(r);
    }
    const m = byMilestone.finish().groups;
    expect(m.find((g) => g.key === '001')).toMatchObject({ commits: 3, merges: 1, tasks: 2 });
    expect(m.find((g) => g.key === '(none)')).toMatchObject({ commits: 2, tasks: 0 });
    const k = byKind.finish().groups;
    expect(k.map((g) => [g.key, g.commits, g.files])).toEqual([
      ['code', 3, 3],
      ['docs', 1, 2],
      ['test', 1, 1],
    ]);
  });

  it('uses the commit date when the author date is more than a day ahead of it', () => {
    const agg = createAggregator('author');
    const base = 1_700_000_000;
    agg.add(record({ authorTime: base, commitTime: base }));
    agg.add(record({ authorTime: base + 400 * DAY, commitTime: base + 3600 }));
    agg.add(record({ authorTime: base + 7200, commitTime: base + 7200 }));
    const a = agg.finish();
    expect(a.frequency.clock_skew).toBe(1);
    expect(a.last).toBe(new Date((base + 7200) * 1000).toISOString().replace('.000Z', 'Z'));
    expect(a.frequency).toMatchObject({ pattern: 'steady', mean_gap_hours: 1, cv: 0 });
  });

  it('gives empty figures for no commits', () => {
    const a = createAggregator('agent').finish();
    expect(a).toMatchObject({ commits: 0, merges: 0, authors: 0, first: null, last: null, groups: [] });
    expect(a.frequency.pattern).toBe('sparse');
  });
});
