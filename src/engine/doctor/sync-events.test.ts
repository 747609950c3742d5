import { describe, expect, it } from 'vitest';
import type { MilestoneRow, TaskRow } from '../../store/types.js';
import type { MilestoneInGit } from './milestones.js';
import { syncEvents } from './sync-events.js';

const milestone: MilestoneInGit = {
  id: '001',
  title: 'Auth',
  base: 'main',
  specFile: '/repo/.milestones/001-auth.yaml',
  tasks: [
    { id: 'a', title: 'A', agent: 'claude' },
    { id: 'b', title: 'B', agent: 'claude' },
    { id: 'c', title: 'C', agent: 'codex' },
  ],
  history: {
    branch: 'milestone/001-auth',
    start: 's0',
    merges: [
      { task: 'a', commit: 'ma', head: 'ha' },
      { task: 'gone', commit: 'mg', head: 'hg' },
      { task: 'b', commit: 'mb', head: 'hb' },
    ],
    landed: undefined,
  },
  otherBranches: [],
};

const row = (overrides: Partial<MilestoneRow> = {}): MilestoneRow => ({
  id: '001',
  title: 'Auth',
  branch: 'milestone/001-auth',
  base: 'main',
  spec_file: '/repo/.milestones/001-auth.yaml',
  state: 'failed',
  start_commit: 's0',
  landed_commit: null,
  updated_at: '',
  ...overrides,
});

const task = (id: string, overrides: Partial<TaskRow> = {}): TaskRow =>
  ({
    milestone: '001',
    id,
    title: id,
    state: 'pending',
    attempts: 1,
    agent: 'claude',
    branch: null,
    head_commit: null,
    merge_commit: null,
    reason: null,
    updated_at: '',
    ...overrides,
  }) as TaskRow;

describe('syncEvents', () => {
  it('rebuilds a milestone the journal lost: plan, branch, one task.merged per merged task in order', () => {
    const plan = syncEvents(milestone, { row: undefined, tasks: [] });
    expect(plan.events).toEqual([
      {
        type: 'milestone.planned',
        milestone: '001',
        title: 'Auth',
        branch: 'milestone/001-auth',
        base: 'main',
        specFile: '/repo/.milestones/001-auth.yaml',
        tasks: milestone.tasks,
      },
      { type: 'milestone.branched', milestone: '001', branch: 'milestone/001-auth', start: 's0' },
      { type: 'task.merged', milestone: '001', task: 'a', commit: 'ma', head: 'ha' },
      { type: 'task.merged', milestone: '001', task: 'b', commit: 'mb', head: 'hb' },
    ]);
    expect(plan).toMatchObject({ merged: ['a', 'b'], landed: false });
  });

  it('adds the landing when base has it', () => {
    const landed = { ...milestone, history: { ...milestone.history!, landed: 'L' } };
    expect(syncEvents(landed, { row: undefined, tasks: [] }).events.at(-1)).toEqual({
      type: 'milestone.landed',
      milestone: '001',
      commit: 'L',
    });
    expect(syncEvents(landed, { row: row({ state: 'landed' }), tasks: [] }).events).toEqual([]);
  });

  it('adds to a known milestone only what its journal lacks', () => {
    const tasks = [
      task('a', { state: 'done', merge_commit: 'ma' }),
      task('b', { state: 'failed' }),
      task('c'),
    ];
    expect(syncEvents(milestone, { row: row(), tasks })).toEqual({
      events: [{ type: 'task.merged', milestone: '001', task: 'b', commit: 'mb', head: 'hb' }],
      merged: ['b'],
      landed: false,
    });
    const inStep = [
      task('a', { state: 'done', merge_commit: 'ma' }),
      task('b', { state: 'done', merge_commit: 'mb' }),
    ];
    expect(syncEvents(milestone, { row: row(), tasks: inStep }).events).toEqual([]);
  });

  it('has nothing to say about a milestone without a branch', () => {
    expect(syncEvents({ ...milestone, history: undefined }, { row: undefined, tasks: [] }).events).toEqual(
      [],
    );
  });
});
