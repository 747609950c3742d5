import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestRepo } from './test-repo.js';
import { checkLocks, findGitLocks, gitProcessesIn } from './check-locks.js';
import { readProcessTable } from './processes.js';
import { removeLock } from './repair-processes.js';

const { root, git } = createTestRepo('cairn-locks-');
const wt = `${root}-wt`;
afterAll(() => [root, wt].forEach((dir) => rmSync(dir, { recursive: true, force: true })));
git('worktree', 'add', '-q', '-b', 'side', wt);
const commonDir = path.join(root, '.git');
const dirs = [root, commonDir, wt];
const table = () => readProcessTable();

describe('git lock files', () => {
  it('finds index.lock in the main git dir and in a worktree git dir, and ref locks', () => {
    expect(findGitLocks(commonDir)).toEqual([]);
    writeFileSync(path.join(commonDir, 'index.lock'), '');
    writeFileSync(path.join(commonDir, 'worktrees', path.basename(wt), 'index.lock'), '');
    writeFileSync(path.join(commonDir, 'refs', 'heads', 'main.lock'), '');
    expect(findGitLocks(commonDir).sort()).toEqual(
      [
        path.join(commonDir, 'index.lock'),
        path.join(commonDir, 'worktrees', path.basename(wt), 'index.lock'),
        path.join(commonDir, 'refs', 'heads', 'main.lock'),
      ].sort(),
    );
    rmSync(path.join(commonDir, 'refs', 'heads', 'main.lock'));
    rmSync(path.join(commonDir, 'worktrees', path.basename(wt), 'index.lock'));
  });

  it('calls a lock stale when no git process runs in the repository, and --repair deletes it', () => {
    const lock = path.join(commonDir, 'index.lock');
    const [found] = checkLocks(commonDir, dirs, table());
    expect(found).toMatchObject({
      check: 'locks',
      status: 'error',
      repair: { kind: 'remove-lock', file: lock },
    });
    expect(found?.message).toMatch(/no longer running/);
    expect(removeLock(lock, dirs)).toMatchObject({ ok: true });
    expect(existsSync(lock)).toBe(false);
    expect(checkLocks(commonDir, dirs, table())).toMatchObject([{ status: 'ok' }]);
  });

  it('keeps a lock while a git process works in the repository', async () => {
    const lock = path.join(commonDir, 'index.lock');
    writeFileSync(lock, '');
    // `git cat-file --batch` waits on its stdin: a git process that stays in the worktree.
    const busy = spawn('git', ['cat-file', '--batch'], { cwd: wt, stdio: ['pipe', 'ignore', 'ignore'] });
    await new Promise((resolve) => busy.once('spawn', resolve));
    try {
      expect(gitProcessesIn(table()!, dirs)).toContain(busy.pid);
      const [found] = checkLocks(commonDir, dirs, table());
      expect(found).toMatchObject({ status: 'warn' });
      expect(found?.repair).toBeUndefined();
      expect(removeLock(lock, dirs)).toMatchObject({
        ok: false,
        message: expect.stringMatching(/kept .*index\.lock: git process/),
      });
      expect(existsSync(lock)).toBe(true);
    } finally {
      busy.stdin.end();
      await new Promise((resolve) => busy.once('close', resolve));
    }
    expect(checkLocks(commonDir, dirs, table())[0]?.status).toBe('error');
    rmSync(lock);
  });

  it('cannot judge without /proc, and says how to do it by hand', () => {
    const lock = path.join(commonDir, 'index.lock');
    writeFileSync(lock, '');
    expect(checkLocks(commonDir, dirs, undefined)).toMatchObject([
      { status: 'warn', fix: `If no git command is running, delete it: rm ${lock}` },
    ]);
    rmSync(lock);
  });
});
