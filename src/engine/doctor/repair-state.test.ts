import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { checkJournal } from './check-journal.js';
import type { MilestoneInGit } from './milestones.js';
import { moveDatabaseAside, rebuildState, stamp, syncMilestones } from './repair-state.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function repo() {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'cairn-rebuild-'));
  dirs.push(stateDir);
  return { repo: { root: stateDir, commonDir: stateDir, stateDir }, file: path.join(stateDir, 'state.db') };
}

const auth: MilestoneInGit = {
  id: '001',
  title: 'Auth',
  base: 'main',
  specFile: '/r/.milestones/001-auth.yaml',
  tasks: ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id.toUpperCase(), agent: 'scripted' })),
  history: {
    branch: 'milestone/001-auth',
    start: 's0',
    merges: [
      { task: 'a', commit: 'ma', head: 'ha' },
      { task: 'b', commit: 'mb', head: 'hb' },
    ],
    landed: undefined,
  },
  otherBranches: [],
};
const notRun: MilestoneInGit = { ...auth, id: '002', history: undefined };

describe('moveDatabaseAside', () => {
  it('moves the database and its -wal/-shm under one timestamped name, never over an earlier one', () => {
    const { file } = repo();
    for (const suffix of ['', '-wal', '-shm']) writeFileSync(`${file}${suffix}`, 'x');
    const when = new Date('2025-01-02T03:04:05.678Z');
    expect(stamp(when)).toBe('20250102T030405Z');
    expect(moveDatabaseAside(file, when)).toEqual([
      `${file}.damaged-20250102T030405Z`,
      `${file}.damaged-20250102T030405Z-wal`,
      `${file}.damaged-20250102T030405Z-shm`,
    ]);
    writeFileSync(file, 'y');
    expect(moveDatabaseAside(file, when)).toEqual([`${file}.damaged-20250102T030405Z.2`]);
    expect(existsSync(file)).toBe(false);
  });
});

describe('rebuildState', () => {
  it('moves a damaged database aside and journals every milestone git holds: merged tasks done, others pending', async () => {
    const { repo: paths, file } = repo();
    const old = openSqliteStore(file);
    old.append({
      type: 'milestone.planned',
      milestone: '001',
      title: 'Auth',
      branch: 'x',
      base: 'main',
      specFile: 'f',
      tasks: [],
    });
    old.close();
    truncateSync(file, 100);

    const repaired = await rebuildState(paths, file, [auth, notRun]);
    expect(repaired).toEqual([
      {
        check: 'database',
        ok: true,
        message: expect.stringMatching(/^moved the old database aside: .*state\.db\.damaged-\d{8}T\d{6}Z$/),
      },
      {
        check: 'database',
        ok: true,
        message: 'rebuilt milestone 001 from milestone/001-auth: 2 of 4 task(s) done (a, b); pending: c, d',
      },
      { check: 'database', ok: true, message: 'checkpoint #1 of the rebuilt milestone 001' },
    ]);
    expect(readdirSync(paths.stateDir).filter((name) => name.startsWith('state.db.damaged-'))).toHaveLength(
      1,
    );
    const store = openSqliteStore(file);
    expect(store.milestone('001')).toMatchObject({
      branch: 'milestone/001-auth',
      start_commit: 's0',
      state: 'planned',
    });
    expect(
      store.tasks('001').map((task) => [task.id, task.state, task.merge_commit, task.head_commit]),
    ).toEqual([
      ['a', 'done', 'ma', 'ha'],
      ['b', 'done', 'mb', 'hb'],
      ['c', 'pending', null, null],
      ['d', 'pending', null, null],
    ]);
    expect(store.milestone('002')).toBeUndefined();
    store.close();
  });

  it('creates a fresh database when there is nothing in git to rebuild', async () => {
    const { repo: paths, file } = repo();
    expect(await rebuildState(paths, file, [notRun])).toEqual([
      { check: 'database', ok: true, message: `created a fresh ${file}` },
    ]);
    expect(existsSync(file)).toBe(true);
  });
});

describe('journal check and sync', () => {
  it('flags a milestone git holds that the journal lost, and --repair records it', () => {
    const { repo: paths, file } = repo();
    openSqliteStore(file).close();
    let store = openSqliteStore(file);
    const inGit = { milestones: [auth, notRun], unreadable: [] };
    expect(checkJournal(store, inGit, new Set())).toMatchObject([
      {
        check: 'journal',
        status: 'error',
        repair: { kind: 'sync-milestone', milestone: '001' },
        message: expect.stringMatching(/does not know milestone 001, .* with 2 merged task/),
      },
    ]);
    // A live run owns its milestone's journal: doctor leaves it to that run.
    expect(checkJournal(store, inGit, new Set(['001']))).toMatchObject([{ status: 'ok' }]);
    store.close();

    expect(syncMilestones(paths, [auth])).toEqual([
      { check: 'journal', ok: true, message: 'recorded milestone 001 from git: task(s) a, b done' },
    ]);
    store = openSqliteStore(file);
    expect(checkJournal(store, inGit, new Set())).toMatchObject([
      { status: 'ok', message: 'the journal agrees with git for 1 milestone(s) that have a branch' },
    ]);
    store.close();
  });

  it('flags a journal behind git (a merge it never recorded)', () => {
    const { file } = repo();
    const store = openSqliteStore(file);
    store.append({
      type: 'milestone.planned',
      milestone: '001',
      title: 'Auth',
      branch: 'milestone/001-auth',
      base: 'main',
      specFile: 'f',
      tasks: auth.tasks,
    });
    store.append({ type: 'task.merged', milestone: '001', task: 'a', commit: 'ma', head: 'ha' });
    expect(checkJournal(store, { milestones: [auth], unreadable: [] }, new Set())).toMatchObject([
      {
        status: 'warn',
        message:
          'the journal of milestone 001 is behind git: it lacks task(s) b merged on milestone/001-auth',
      },
    ]);
    store.close();
  });
});
