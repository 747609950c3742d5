import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

const dirs: string[] = [];
function freshStore(options: Parameters<typeof openSqliteStore>[1] = {}): { store: Store; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-store-'));
  dirs.push(dir);
  const file = path.join(dir, 'state.db');
  return { store: openSqliteStore(file, { host: 'here', ...options }), file };
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const plan = {
  type: 'milestone.planned' as const,
  milestone: '001',
  title: 'Auth',
  branch: 'milestone/001-auth',
  base: 'main',
  specFile: '/x/.milestones/001-auth.yaml',
  tasks: [
    { id: 'a', title: 'A', agent: 'claude' },
    { id: 'b', title: 'B', agent: 'codex' },
  ],
};

describe('sqlite store', () => {
  it('journals events and keeps projections in step', () => {
    const { store } = freshStore();
    store.append(plan);
    store.append({ type: 'run.started', milestone: '001', run: 'r1', pid: 1, host: 'here', concurrency: 2 });
    store.append({
      type: 'attempt.started',
      milestone: '001',
      task: 'a',
      run: 'r1',
      attempt: 1,
      agent: 'claude',
      logFile: '/l',
    });
    store.append([
      {
        type: 'attempt.ended',
        milestone: '001',
        task: 'a',
        attempt: 1,
        outcome: 'succeeded',
        exitCode: 0,
        signal: null,
        head: 'h1',
      },
      { type: 'task.merged', milestone: '001', task: 'a', commit: 'm1', head: 'h1' },
    ]);
    expect(store.milestone('001')?.state).toBe('running');
    const [a, b] = store.tasks('001');
    expect(a).toMatchObject({ id: 'a', state: 'done', attempts: 1, merge_commit: 'm1', head_commit: 'h1' });
    expect(b).toMatchObject({ id: 'b', state: 'pending', attempts: 0, agent: 'codex' });
    expect(store.attempts('001')).toMatchObject([
      { task: 'a', attempt: 1, state: 'succeeded', exit_code: 0 },
    ]);
    expect(store.events('001').map((event) => event.type)).toEqual([
      'milestone.planned',
      'run.started',
      'attempt.started',
      'attempt.ended',
      'task.merged',
    ]);
  });

  it('re-planning keeps task progress and the agent of started tasks', () => {
    const { store } = freshStore();
    store.append(plan);
    store.append({
      type: 'attempt.started',
      milestone: '001',
      task: 'a',
      run: 'r1',
      attempt: 1,
      agent: 'claude',
      logFile: '/l',
    });
    store.append({
      ...plan,
      tasks: [
        { id: 'a', title: 'A2', agent: 'gemini' },
        { id: 'b', title: 'B', agent: 'gemini' },
      ],
    });
    const [a, b] = store.tasks('001');
    expect(a).toMatchObject({ title: 'A2', agent: 'claude', state: 'running', attempts: 1 });
    expect(b).toMatchObject({ agent: 'gemini' });
  });

  it('survives reopening: the journal is on disk', () => {
    const { store, file } = freshStore();
    store.append(plan);
    store.close();
    const again = openSqliteStore(file);
    expect(again.tasks('001')).toHaveLength(2);
    again.close();
  });

  it('gives the lease to one live owner at a time and takes it over from a dead one', () => {
    let alive = true;
    const { store } = freshStore({ isAlive: () => alive });
    const first = { run: 'r1', pid: 111, host: 'here' };
    expect(store.acquireLease('001', first, 1000)).toEqual({ acquired: true });
    expect(store.acquireLease('001', { run: 'r2', pid: 222, host: 'here' }, 1000)).toEqual({
      acquired: false,
      holder: first,
    });
    alive = false;
    const taken = store.acquireLease('001', { run: 'r2', pid: 222, host: 'here' }, 1000);
    expect(taken).toMatchObject({ acquired: true, takenOverFrom: { pid: 111 } });
    store.releaseLease('001', 'r2');
    expect(store.acquireLease('001', { run: 'r3', pid: 333, host: 'here' }, 1000)).toEqual({
      acquired: true,
    });
  });

  it('takes over a lease whose pid now belongs to another program', () => {
    const { store } = freshStore();
    // Our own pid, but with a start time that is not ours: the pid was reused.
    store.acquireLease('001', { run: 'r1', pid: process.pid, host: 'here', started: '1' }, 60_000);
    expect(store.acquireLease('001', { run: 'r2', pid: 2, host: 'here' }, 60_000)).toMatchObject({
      acquired: true,
      takenOverFrom: { run: 'r1' },
    });
  });

  it('takes over an expired lease held on another host', () => {
    let now = 1_000;
    const { store } = freshStore({ now: () => now, isAlive: () => true });
    store.acquireLease('001', { run: 'r1', pid: 1, host: 'elsewhere' }, 500);
    expect(store.acquireLease('001', { run: 'r2', pid: 2, host: 'here' }, 500).acquired).toBe(false);
    now = 1_600;
    expect(store.acquireLease('001', { run: 'r2', pid: 2, host: 'here' }, 500)).toMatchObject({
      acquired: true,
      takenOverFrom: { why: 'its lease expired' },
    });
  });

  it('keeps a live owner on this host whatever the wall clock does (moved forward or back an hour)', () => {
    let now = Date.parse('2026-01-01T12:00:00Z');
    const { store } = freshStore({ now: () => now, isAlive: () => true });
    const owner = { run: 'r1', pid: 111, host: 'here' };
    expect(store.acquireLease('001', owner, 30_000).acquired).toBe(true);
    now += 3_600_000; // the clock jumps forward: the lease looks expired
    expect(store.acquireLease('001', { run: 'r2', pid: 222, host: 'here' }, 30_000)).toEqual({
      acquired: false,
      holder: owner,
    });
    now -= 2 * 3_600_000; // and back: the owner still renews it
    expect(store.renewLease('001', 'r1', 30_000)).toBe(true);
    expect(store.acquireLease('001', { run: 'r2', pid: 222, host: 'here' }, 30_000).acquired).toBe(false);
  });
});
