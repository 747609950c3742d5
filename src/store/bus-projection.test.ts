import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openCoordination } from '../bus/coordination.js';
import type { CairnEvent } from './events.js';
import { openSqliteStore } from './sqlite-store.js';
import { removeTempStateFiles, tempStateFile } from './test-state-file.js';

afterEach(removeTempStateFiles);

const stateFile = () => tempStateFile('cairn-bus-projection-');

const M = '001';
const planned: CairnEvent = {
  type: 'milestone.planned',
  milestone: M,
  title: 'M',
  branch: 'milestone/001-m',
  base: 'main',
  specFile: 'x',
  tasks: ['a', 'b'].map((id) => ({ id, title: id, agent: 'coder' })),
};
const started = (task: string, attempt = 1): CairnEvent => ({
  type: 'attempt.started',
  milestone: M,
  task,
  run: 'r1',
  attempt,
  agent: 'coder',
  logFile: `${task}.log`,
});
const ended = (task: string, attempt = 1): CairnEvent => ({
  type: 'attempt.ended',
  milestone: M,
  task,
  attempt,
  outcome: 'succeeded',
  exitCode: 0,
  signal: null,
  head: `head-${task}`,
});

/** The bus as `cairn msg` and `cairn status` read it: its messages and counts. */
function readBus(file: string) {
  const coordination = openCoordination(file);
  try {
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT type, recipient, state FROM bus_messages ORDER BY id').all() as {
      type: string;
      recipient: string;
      state: string;
    }[];
    const alerts = (db.prepare('SELECT count(*) AS n FROM bus_alerts').get() as { n: number }).n;
    db.close();
    return { rows, alerts, counts: coordination.bus.counts(M) };
  } finally {
    coordination.close();
  }
}

describe('the orchestrator on the bus', () => {
  it('assigns each attempt to its task, and counts progress updates nobody listens to', () => {
    const file = stateFile();
    const store = openSqliteStore(file);
    store.append([planned, started('a'), ended('a'), started('b'), ended('b')]);
    store.close();
    const bus = readBus(file);
    expect(bus.rows).toEqual([
      { type: 'TASK_ASSIGNMENT', recipient: 'task:a', state: 'pending' },
      { type: 'TASK_ASSIGNMENT', recipient: 'task:b', state: 'pending' },
    ]);
    expect(bus.counts).toMatchObject({ pending: 2, dropped: 2 });
    const coordination = openCoordination(file);
    expect(coordination.bus.peek(M, ['task:a'])[0]).toMatchObject({
      type: 'TASK_ASSIGNMENT',
      sender: 'orchestrator',
      payload: { task: 'a', attempt: 1, agent: 'coder', run: 'r1' },
    });
    coordination.close();
  });

  it('sends each subscriber of topic:progress its copy, and drops none', () => {
    const file = stateFile();
    const coordination = openCoordination(file);
    coordination.bus.subscribe(M, 'topic:progress', 'user');
    coordination.close();
    const store = openSqliteStore(file);
    store.append([planned, started('a'), ended('a')]);
    store.close();
    const bus = readBus(file);
    expect(bus.rows).toContainEqual({ type: 'PROGRESS_UPDATE', recipient: 'user', state: 'pending' });
    expect(bus.counts.dropped).toBe(0);
  });

  it('adds no message, count or alert when the projections are rebuilt from the journal', () => {
    const file = stateFile();
    const store = openSqliteStore(file);
    store.append([planned, started('a'), ended('a')]);
    store.append({
      type: 'task.activity',
      milestone: M,
      task: 'b',
      attempt: 1,
      files: 1,
      byKind: { code: 1, test: 0, docs: 0, config: 0 },
      significance: 1,
      outOfScope: ['elsewhere.ts'],
    });
    store.append({ type: 'milestone.landed', milestone: M, commit: 'c1' });
    const before = readBus(file);
    expect(before.alerts).toBe(1);
    expect(store.rebuildProjections()).toBe(5);
    expect(store.projectionDiff()).toEqual([]);
    store.close();
    expect(readBus(file)).toEqual(before);
  });

  it('keeps counting the dropped rows a database of the previous schema holds', () => {
    const file = stateFile();
    const store = openSqliteStore(file);
    store.append([planned, started('a'), ended('a')]);
    store.close();
    // What the previous version wrote for an unheard progress update: a row of its own.
    const db = new Database(file);
    db.exec('DROP TABLE bus_dropped');
    db.pragma('user_version = 6');
    db.prepare(
      `INSERT INTO bus_messages (milestone, type, sender, address, recipient, payload, priority, class, state,
         attempts, max_attempts, lease_ms, deliver_after, idem_key, sent_at)
       VALUES (?, 'PROGRESS_UPDATE', 'orchestrator', 'topic:progress', 'topic:progress', '{}', 0, 'best-effort',
         'dropped', 0, 1, 30000, 0, 'attempt.ended:a:1:x', 0)`,
    ).run(M);
    db.close();
    const reopened = openSqliteStore(file);
    reopened.append([started('b'), ended('b')]);
    reopened.close();
    expect(readBus(file).counts.dropped).toBe(2);
  });
});
