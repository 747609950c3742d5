import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKPOINTS_KEPT } from './checkpoints.js';
import { openSqliteStore } from './sqlite-store.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function freshStore() {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-checkpoints-'));
  dirs.push(dir);
  const store = openSqliteStore(path.join(dir, 'state.db'));
  store.append({
    type: 'milestone.planned',
    milestone: '001',
    title: 'M',
    branch: 'milestone/001-m',
    base: 'main',
    specFile: 'x',
    tasks: [{ id: 'a', title: 'A', agent: 'x' }],
  });
  return store;
}

describe('checkpoints table', () => {
  it('records the last event covered and content built inside the transaction', () => {
    const store = freshStore();
    store.append({ type: 'task.state', milestone: '001', task: 'a', state: 'ready' });
    const row = store.addCheckpoint('001', 'interval', () => ({
      states: store.tasks('001').map((t) => t.state),
    }));
    expect(row.seq).toBe(Math.max(...store.events('001').map((event) => event.seq)));
    expect(JSON.parse(row.content)).toEqual({ states: ['ready'] });
    expect(store.checkpoints('001')).toEqual([row]);
    expect(store.checkpoints('002')).toEqual([]);
    store.close();
  });

  it(`keeps the last ${CHECKPOINTS_KEPT} per milestone`, () => {
    const store = freshStore();
    const ids = Array.from(
      { length: CHECKPOINTS_KEPT + 5 },
      () => store.addCheckpoint('001', 'interval', () => ({})).id,
    );
    expect(store.checkpoints('001').map((row) => row.id)).toEqual(ids.slice(5));
    store.close();
  });
});
