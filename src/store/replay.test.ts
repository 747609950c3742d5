import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function journaledStore() {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-replay-'));
  dirs.push(dir);
  const file = path.join(dir, 'state.db');
  const store = openSqliteStore(file);
  store.append([
    {
      type: 'milestone.planned',
      milestone: '001',
      title: 'M',
      branch: 'milestone/001-m',
      base: 'main',
      specFile: 'x',
      tasks: [
        { id: 'a', title: 'A', agent: 'x' },
        { id: 'b', title: 'B', agent: 'x' },
      ],
    },
    { type: 'task.state', milestone: '001', task: 'a', state: 'running' },
  ]);
  return { store, file };
}

describe('projections against a replay of the journal', () => {
  it('agree after ordinary appends', () => {
    const { store } = journaledStore();
    expect(store.projectionDiff()).toEqual([]);
    store.close();
  });

  it('name each drift, and a rebuild from the journal removes it', () => {
    const { store, file } = journaledStore();
    const raw = new Database(file);
    raw.prepare(`UPDATE tasks SET state = 'done' WHERE id = 'a'`).run();
    raw.prepare(`DELETE FROM tasks WHERE id = 'b'`).run();
    raw.close();
    expect(store.projectionDiff()).toEqual([
      'tasks 001/a.state: stored "done", replay "running"',
      'tasks 001/b: in the replay, not in the database',
    ]);
    expect(store.rebuildProjections()).toBe(2);
    expect(store.projectionDiff()).toEqual([]);
    expect(store.tasks('001').map((t) => [t.id, t.state])).toEqual([
      ['a', 'running'],
      ['b', 'pending'],
    ]);
    store.close();
  });
});
