import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { createStoreSource } from './store-source.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repoDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-watch-'));
  dirs.push(dir);
  return { root: dir, commonDir: dir, stateDir: dir };
}

const target = {
  id: '001',
  title: 'Auth',
  planned: [
    { id: 'api', title: 'API', state: 'pending' as const, agent: 'coder', attempts: 0, reason: null },
  ],
};

describe('createStoreSource', () => {
  it('waits for a run, then follows it: tasks, running agents with their last output line, timeline', async () => {
    const repo = repoDir();
    const source = createStoreSource(repo, target);
    const before = await source.read();
    expect(before.waiting).toBe(true);
    expect(before.tasks.map((t) => t.id)).toEqual(['api']);

    const store = openSqliteStore(path.join(repo.stateDir, 'state.db'));
    const log = path.join(repo.stateDir, 'api.1.log');
    writeFileSync(log, 'starting\n\x1b[32mwriting routes\x1b[0m\n');
    store.append([
      {
        type: 'milestone.planned',
        milestone: '001',
        title: 'Auth',
        branch: 'milestone/001-auth',
        base: 'main',
        specFile: 'x',
        tasks: [{ id: 'api', title: 'API', agent: 'coder' }],
      },
      { type: 'run.started', milestone: '001', run: 'run-1', pid: process.pid, host: 'h', concurrency: 1 },
      { type: 'task.state', milestone: '001', task: 'api', state: 'running' },
      {
        type: 'attempt.started',
        milestone: '001',
        task: 'api',
        run: 'run-1',
        attempt: 1,
        agent: 'coder',
        logFile: log,
      },
    ]);
    const during = await source.read();
    expect(during.waiting).toBe(false);
    expect(during.run).toMatchObject({ id: 'run-1', live: true });
    expect(during.tasks).toMatchObject([{ id: 'api', state: 'running' }]);
    expect(during.agents).toMatchObject([
      { task: 'api', agent: 'coder', attempt: 1, lastLine: 'writing routes' },
    ]);
    expect(during.timeline.map((e) => e.text)).toContain('api attempt 1 started (coder)');
    expect(await source.logTail('api', 5)).toEqual(['starting', 'writing routes']);
    source.close();
    store.close();
  });
});
