import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leaveUnfinishedRegistration } from '../../git/test-registration.js';
import { clearInterruptedRegistrations } from '../../git/worktree.js';
import { settleDiscards } from '../../shared/discard.js';
import { createTestRepo } from './test-repo.js';
import { checkWorktrees, prunableWorktrees, unregisteredWorktreeDirs } from './check-worktrees.js';
import { moveWorktreeAside } from './repair-state.js';

const { root, git } = createTestRepo('cairn-worktrees-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const commonDir = path.join(root, '.git');
const stateDir = path.join(commonDir, 'cairn');
const taskDir = (task: string) => path.join(stateDir, 'worktrees', '001', task);

describe('worktree health', () => {
  it('is fine with registered worktrees that exist', async () => {
    git('worktree', 'add', '-q', '-b', 'feature/milestone-001-a', taskDir('a'));
    expect(await checkWorktrees(root, stateDir, commonDir, new Set())).toMatchObject([
      { check: 'worktrees', status: 'ok' },
    ]);
  });

  it('finds a registration whose directory is gone, and git worktree prune clears it', async () => {
    rmSync(taskDir('a'), { recursive: true });
    expect(await prunableWorktrees(root)).toEqual([
      expect.stringMatching(/^worktrees\/a: gitdir file points to non-existent location/),
    ]);
    expect(await checkWorktrees(root, stateDir, commonDir, new Set())).toMatchObject([
      { status: 'warn', repair: { kind: 'prune-worktrees' } },
    ]);
    git('worktree', 'prune');
    expect(await prunableWorktrees(root)).toEqual([]);
  });

  it('finds a Cairn worktree directory git does not know, and --repair moves it aside with its files', async () => {
    mkdirSync(taskDir('b'), { recursive: true });
    writeFileSync(path.join(taskDir('b'), 'work.txt'), 'unsaved work\n');
    expect(await unregisteredWorktreeDirs(root, stateDir)).toEqual([taskDir('b')]);
    const [found] = await checkWorktrees(root, stateDir, commonDir, new Set());
    expect(found).toMatchObject({
      status: 'warn',
      repair: { kind: 'move-worktree-aside', dir: taskDir('b') },
    });
    expect(moveWorktreeAside(stateDir, taskDir('b'))).toMatchObject({ ok: true });
    expect(existsSync(taskDir('b'))).toBe(false);
    const [moved] = readdirSync(path.join(stateDir, 'lost-found'));
    expect(moved).toMatch(/^001-b-\d{8}T\d{6}Z$/);
    expect(existsSync(path.join(stateDir, 'lost-found', moved!, 'work.txt'))).toBe(true);
    expect((await checkWorktrees(root, stateDir, commonDir, new Set()))[0]?.status).toBe('ok');
  });

  it('finds a registration a killed run left unfinished, unless that milestone runs, and the repair clears it', async () => {
    const admin = path.join(commonDir, 'worktrees', 'c');
    mkdirSync(taskDir('c'), { recursive: true });
    leaveUnfinishedRegistration(admin, realpathSync(taskDir('c')));

    expect(await checkWorktrees(root, stateDir, commonDir, new Set())).toMatchObject([
      {
        status: 'warn',
        message: expect.stringContaining(
          'begun by a killed run and never finished; git refuses a worktree there and cannot list worktrees',
        ),
        repair: { kind: 'clear-registrations', milestone: '001' },
      },
      { status: 'error', message: expect.stringMatching(/^git cannot list the worktrees: .*commondir/) },
    ]);
    // A live run of 001 may be making it right now; with the leases unknown, no repair is offered.
    const live = await checkWorktrees(root, stateDir, commonDir, new Set(['001']));
    expect(live.map((found) => found.repair?.kind)).not.toContain('clear-registrations');
    const unknown = await checkWorktrees(root, stateDir, commonDir, undefined);
    expect(unknown[0]).toMatchObject({ status: 'warn', fix: expect.stringContaining('cairn run 001') });
    expect(unknown[0]?.repair).toBeUndefined();

    await clearInterruptedRegistrations(root, commonDir, path.join(stateDir, 'worktrees', '001'));
    await settleDiscards();
    expect(existsSync(taskDir('c'))).toBe(false);
    expect((await checkWorktrees(root, stateDir, commonDir, new Set()))[0]?.status).toBe('ok');
  });
});
