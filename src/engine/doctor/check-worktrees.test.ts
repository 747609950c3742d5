import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestRepo } from './test-repo.js';
import { checkWorktrees, prunableWorktrees, unregisteredWorktreeDirs } from './check-worktrees.js';
import { moveWorktreeAside } from './repair-state.js';

const { root, git } = createTestRepo('cairn-worktrees-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const stateDir = path.join(root, '.git', 'cairn');
const taskDir = (task: string) => path.join(stateDir, 'worktrees', '001', task);

describe('worktree health', () => {
  it('is fine with registered worktrees that exist', async () => {
    git('worktree', 'add', '-q', '-b', 'feature/milestone-001-a', taskDir('a'));
    expect(await checkWorktrees(root, stateDir)).toMatchObject([{ check: 'worktrees', status: 'ok' }]);
  });

  it('finds a registration whose directory is gone, and git worktree prune clears it', async () => {
    rmSync(taskDir('a'), { recursive: true });
    expect(await prunableWorktrees(root)).toEqual([
      expect.stringMatching(/^worktrees\/a: gitdir file points to non-existent location/),
    ]);
    expect(await checkWorktrees(root, stateDir)).toMatchObject([
      { status: 'warn', repair: { kind: 'prune-worktrees' } },
    ]);
    git('worktree', 'prune');
    expect(await prunableWorktrees(root)).toEqual([]);
  });

  it('finds a Cairn worktree directory git does not know, and --repair moves it aside with its files', async () => {
    mkdirSync(taskDir('b'), { recursive: true });
    writeFileSync(path.join(taskDir('b'), 'work.txt'), 'unsaved work\n');
    expect(await unregisteredWorktreeDirs(root, stateDir)).toEqual([taskDir('b')]);
    const [found] = await checkWorktrees(root, stateDir);
    expect(found).toMatchObject({
      status: 'warn',
      repair: { kind: 'move-worktree-aside', dir: taskDir('b') },
    });
    expect(moveWorktreeAside(stateDir, taskDir('b'))).toMatchObject({ ok: true });
    expect(existsSync(taskDir('b'))).toBe(false);
    const [moved] = readdirSync(path.join(stateDir, 'lost-found'));
    expect(moved).toMatch(/^001-b-\d{8}T\d{6}Z$/);
    expect(existsSync(path.join(stateDir, 'lost-found', moved!, 'work.txt'))).toBe(true);
    expect((await checkWorktrees(root, stateDir))[0]?.status).toBe('ok');
  });
});
