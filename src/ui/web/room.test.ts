import { describe, expect, it } from 'vitest';
import type { MilestoneView, TaskView } from './model.js';
import { createRoom } from './room.js';

const task = (id: string, state: TaskView['state']): TaskView => ({
  id,
  title: id,
  state,
  attempts: 0,
  agent: 'a',
  reason: null,
  blocked_by: null,
  merge_commit: null,
  depends_on: [],
  weight: 1,
  updated_at: null,
});

const view = (tasks: TaskView[]): MilestoneView => ({
  header: {
    id: '001',
    title: 't',
    branch: 'b',
    base: 'main',
    state: 'running',
    live: true,
    run: null,
    seq: 1,
  },
  tasks,
  attempts: [],
  agents: [],
  alerts: [],
  feed: [],
});

describe('room.diff', () => {
  it('sends only the rows that changed, and nothing when nothing did', () => {
    const room = createRoom('001');
    const first = room.diff(view([task('a', 'pending'), task('b', 'pending')]), []);
    expect(first?.tasks.map((t) => t.id)).toEqual(['a', 'b']);
    expect(room.diff(view([task('a', 'pending'), task('b', 'pending')]), [])).toBeUndefined();
    const next = room.diff(view([task('a', 'running'), task('b', 'pending')]), []);
    expect(next?.tasks).toEqual([task('a', 'running')]);
  });

  it('sends a header change (a run that ended) even when no row changed', () => {
    const room = createRoom('001');
    room.diff(view([task('a', 'done')]), []);
    const ended = view([task('a', 'done')]);
    ended.header = { ...ended.header, live: false, state: 'done' };
    expect(room.diff(ended, [])?.header.state).toBe('done');
  });
});
