import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CairnEvent } from '../store/events.js';
import type { RunContext } from './run-context.js';
import { startTaskMonitor } from './task-monitor.js';
import { testTask } from './test-store.js';

const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'cairn-task-monitor-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Activity = Extract<CairnEvent, { type: 'task.activity' }>;

/** A repository with one commit, and a context whose store keeps what is journaled. */
function setup(name: string, watchAfterMs: number) {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'src', 'api'), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '--initial-branch=main');
  writeFileSync(path.join(dir, 'src', 'api', 'index.ts'), 'export {};\n');
  git('add', '-A');
  git('-c', 'user.name=T', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'first');
  const journaled: Activity[] = [];
  const scopes = new Map<string, string[]>([['db', ['src/db/**']]]);
  const context = {
    spec: { id: 'm' },
    store: { append: (event: CairnEvent) => event.type === 'task.activity' && journaled.push(event) },
    monitor: { scopes, debounceMs: 20, watchAfterMs },
  } as unknown as RunContext;
  const task = { ...testTask('api'), files: ['src/api/**'] };
  return { dir, start: git('rev-parse', 'HEAD'), context, task, journaled, scopes };
}

const until = async (check: () => boolean, ms = 10_000) => {
  const deadline = performance.now() + ms;
  while (!check() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe('startTaskMonitor', () => {
  it('leaves a short attempt unwatched and counts its changes from the commit', async () => {
    const { dir, start, context, task, journaled, scopes } = setup('short', 60_000);
    const monitor = startTaskMonitor(context, task, 1, dir, start);
    expect(scopes.get('api')).toEqual(['src/api/**']);
    writeFileSync(path.join(dir, 'src', 'api', 'server.ts'), 'export const a = 1;\n');
    await monitor?.stop();
    expect(monitor?.watching()).toBe(false);
    expect(scopes.has('api')).toBe(false);
    expect(journaled).toEqual([]);

    await monitor?.account(['src/api/server.ts', 'docs/notes.md']);
    expect(journaled).toHaveLength(1);
    expect(journaled[0]).toMatchObject({ task: 'api', files: 2, outOfScope: ['docs/notes.md'] });
  });

  it('watches a longer attempt and reads once what changed before the watcher started', async () => {
    const { dir, start, context, task, journaled } = setup('long', 100);
    const monitor = startTaskMonitor(context, task, 1, dir, start);
    mkdirSync(path.join(dir, 'src', 'db'));
    writeFileSync(path.join(dir, 'src', 'db', 'early.sql'), 'select 1;\n');
    // The early write into db's scope is caught up when the watcher starts, not at the end.
    expect(await until(() => journaled.some((e) => e.intrusions !== undefined))).toBe(true);
    expect(monitor?.watching()).toBe(true);
    expect(journaled.find((e) => e.intrusions)?.intrusions).toEqual([
      { task: 'db', paths: ['src/db/early.sql'] },
    ]);
    // A later write is seen by the watcher itself.
    writeFileSync(path.join(dir, 'README.md'), '# late\n');
    expect(await until(() => (monitor?.lastChangeAt() ?? 0) > 0)).toBe(true);
    expect(await until(() => journaled.some((e) => e.outOfScope?.includes('README.md')))).toBe(true);
    await monitor?.stop();
    // What the watcher saw is not counted twice.
    const before = journaled.length;
    await monitor?.account(['src/db/early.sql', 'README.md']);
    expect(journaled).toHaveLength(before);
  });
});
