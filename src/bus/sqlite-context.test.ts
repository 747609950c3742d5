import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCoordination, type Coordination } from './coordination.js';

const scope = { milestone: '001' };
let dir: string;
let time: number;
let c: Coordination;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cairn-ctx-'));
  time = 1_000;
  c = openCoordination(path.join(dir, 'state.db'), { now: () => time });
});
afterEach(() => {
  c.close();
  rmSync(dir, { recursive: true, force: true });
});

const set = (key: string, value: unknown, writer: string, extra: Record<string, unknown> = {}) => {
  time += 10;
  return c.context.set(scope, key, value, { writer, ...extra });
};

describe('sqlite context', () => {
  it('a write after reading the latest replaces it; blind concurrent writes are kept as siblings', () => {
    expect(set('api', 'v1', 'task:a').outcome).toBe('replaced');
    c.context.get(scope, 'api', 'task:b');
    const replaced = set('api', 'v2', 'task:b');
    expect(replaced).toMatchObject({ outcome: 'replaced', superseded: [1] });
    expect(replaced.written.clock).toEqual({ 'task:a': 1, 'task:b': 1 });
    const sibling = set('api', 'v3', 'task:c');
    expect(sibling.outcome).toBe('sibling');
    const entry = c.context.get(scope, 'api', 'user')!;
    expect(entry.siblings.map((s) => s.value)).toEqual(['v2', 'v3']);
    expect(entry.value).toBe('v3'); // lww: the later write
    // A reader that saw both siblings resolves them with its next write.
    expect(set('api', 'final', 'user')).toMatchObject({ outcome: 'replaced', superseded: [2, 3] });
  });

  it('keeps a concurrent or stale write as a sibling, or refuses it with --strict', () => {
    set('k', 1, 'task:a');
    c.context.get(scope, 'k', 'task:b');
    set('k', 2, 'task:a');
    expect(() => set('k', 3, 'task:b', { strict: true })).toThrow(
      /changed since you read it: version 2 by task:a/,
    );
    const concurrent = set('k', 3, 'task:b');
    expect(concurrent.outcome).toBe('sibling');
    expect(concurrent.entry.siblings).toHaveLength(2);
    // task:a replays a clock from before its own latest write: it replaces v2 only.
    const stale = set('k', 4, 'task:a', { clock: { 'task:a': 1 } });
    expect(stale.outcome).toBe('stale');
    expect(stale.entry.siblings.map((s) => s.version)).toEqual([3, 4]);
  });

  it('rejects forged clocks that name writes nobody made', () => {
    set('k', 1, 'task:a');
    expect(() => set('k', 2, 'task:b', { clock: { 'task:a': 7 } })).toThrow(/never happened: task:a@7/);
    expect(set('k', 2, 'task:b', { clock: { 'task:a': 1 } }).outcome).toBe('replaced');
  });

  it('merges sets, and keeps to the policy a key was declared with', () => {
    set('tags', ['a'], 'task:a', { policy: 'merge-set' });
    set('tags', ['b'], 'task:b');
    expect(c.context.get(scope, 'tags')!.value).toEqual(['a', 'b']);
    expect(() => set('tags', ['c'], 'task:c', { policy: 'lww' })).toThrow(/declared merge-set/);
    expect(() => set('tags', 'c', 'task:c')).toThrow(/holds a JSON array/);
  });

  it('raises an alert for a manual conflict until someone writes the resolution', () => {
    set('schema', 'x', 'task:a', { policy: 'manual' });
    set('schema', 'y', 'task:b');
    const entry = c.context.get(scope, 'schema', 'user')!;
    expect(entry).toMatchObject({ conflict: true, value: undefined });
    expect(c.alerts.open('001')).toEqual([
      expect.objectContaining({ kind: 'context-conflict', subject: 'schema' }),
    ]);
    set('schema', 'x+y', 'user');
    expect(c.alerts.open('001')).toEqual([]);
    expect(c.context.get(scope, 'schema')).toMatchObject({ conflict: false, value: 'x+y' });
  });

  it('deletes with a tombstone and keeps history; task scopes are separate', () => {
    set('k', 1, 'task:a');
    c.context.set(scope, 'k', undefined, { writer: 'task:a', deleted: true });
    expect(c.context.get(scope, 'k')).toMatchObject({ deleted: true, value: undefined, version: 2 });
    expect(c.context.history(scope, 'k').map((v) => [v.version, v.deleted, v.current])).toEqual([
      [1, false, false],
      [2, true, true],
    ]);
    c.context.set({ milestone: '001', task: 'a' }, 'k', 'mine', { writer: 'task:a' });
    expect(c.context.get({ milestone: '001', task: 'a' }, 'k')!.value).toBe('mine');
    expect(c.context.list(scope).map((e) => e.key)).toEqual(['k']);
  });

  it('measures convergence: readers on the latest version, age of the oldest unseen write', () => {
    set('k', 1, 'task:a');
    c.context.get(scope, 'k', 'task:b');
    c.context.get(scope, 'k', 'task:c');
    set('k', 2, 'task:a');
    time += 500;
    expect(c.context.convergence('001')).toEqual([
      { key: 'k', task: null, version: 2, readers: 3, onLatest: 1, oldestUnseenMs: 500 },
    ]);
    c.context.get(scope, 'k', 'task:b');
    c.context.get(scope, 'k', 'task:c');
    expect(c.context.convergence('001')[0]).toMatchObject({ onLatest: 3, oldestUnseenMs: null });
  });
});
