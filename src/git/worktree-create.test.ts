import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leaveUnfinishedRegistration } from './test-registration.js';
import { clearStagedRegistrations, STAGING_DIR, tryCreateBranchWorktree } from './worktree-create.js';
import { clearInterruptedRegistrations, openBranchWorktree, removeWorktree } from './worktree.js';

const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'cairn-worktree-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }).trim();

/** A repository with two commits in a fresh directory under the test root. */
function makeRepo(name: string): { repo: string; start: string } {
  const repo = path.join(root, name, 'repo');
  mkdirSync(path.join(repo, 'src'), { recursive: true });
  git(repo, 'init', '-q', '--initial-branch=main');
  git(repo, 'config', 'user.name', 'T');
  git(repo, 'config', 'user.email', 't@example.invalid');
  writeFileSync(path.join(repo, 'README.md'), 'one\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'first');
  writeFileSync(path.join(repo, 'src', 'app.ts'), 'export {};\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'second');
  return { repo, start: git(repo, 'rev-parse', 'HEAD') };
}

interface Listed {
  path: string;
  head?: string;
  branch?: string;
  locked?: boolean;
  prunable?: boolean;
}

function listed(repo: string): Listed[] {
  return git(repo, 'worktree', 'list', '--porcelain')
    .split('\n\n')
    .map((block) => {
      const entry: Listed = { path: '' };
      for (const line of block.split('\n')) {
        const [key, ...rest] = line.split(' ');
        const value = rest.join(' ');
        if (key === 'worktree') entry.path = value;
        if (key === 'HEAD') entry.head = value;
        if (key === 'branch') entry.branch = value;
        if (key === 'locked') entry.locked = true;
        if (key === 'prunable') entry.prunable = true;
      }
      return entry;
    });
}

/** Every file of a linked worktree's admin directory, by name, as text. */
function adminFiles(repo: string, name: string): Record<string, string> {
  const admin = path.join(repo, '.git', 'worktrees', name);
  const files: Record<string, string> = {};
  for (const file of ['commondir', 'gitdir', 'HEAD', 'locked']) {
    if (existsSync(path.join(admin, file))) files[file] = readFileSync(path.join(admin, file), 'utf8');
  }
  return files;
}

describe('tryCreateBranchWorktree', () => {
  it('registers the worktree as `git worktree add -b` does, byte for byte', async () => {
    const { repo, start } = makeRepo('bytes');
    const ours = path.join(root, 'bytes', 'wt', 'ours');
    const theirs = path.join(root, 'bytes', 'wt', 'theirs');
    mkdirSync(path.dirname(ours), { recursive: true });
    expect(await tryCreateBranchWorktree(repo, ours, 'task/ours', start)).toBe(true);
    git(repo, 'worktree', 'add', '--quiet', '-b', 'task/theirs', theirs, start);

    const swap = (text: string) => text.replaceAll('theirs', 'ours');
    const expected = Object.fromEntries(
      Object.entries(adminFiles(repo, 'theirs')).map(([file, text]) => [file, swap(text)]),
    );
    expect(adminFiles(repo, 'ours')).toEqual(expected);
    expect(readFileSync(path.join(ours, '.git'), 'utf8')).toBe(
      swap(readFileSync(path.join(theirs, '.git'), 'utf8')),
    );
    expect(readdirSync(ours).sort()).toEqual(['.git', 'README.md', 'src']);
    expect(git(ours, 'status', '--porcelain=v2', '--branch')).toBe(
      `# branch.oid ${start}\n# branch.head task/ours`,
    );
    expect(git(repo, 'rev-parse', 'task/ours')).toBe(start);
    expect(listed(repo)).toContainEqual({ path: ours, head: start, branch: 'refs/heads/task/ours' });
  });

  it('leaves a worktree that git prunes, commits in and removes like its own', async () => {
    const { repo, start } = makeRepo('life');
    const dir = path.join(root, 'life', 'wt', 'task');
    mkdirSync(path.dirname(dir), { recursive: true });
    expect(await tryCreateBranchWorktree(repo, dir, 'task', start)).toBe(true);

    git(repo, 'worktree', 'prune');
    expect(listed(repo).map((entry) => entry.path)).toContain(dir);
    writeFileSync(path.join(dir, 'new.txt'), 'new\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'work');
    expect(git(repo, 'rev-parse', 'task^')).toBe(start);

    git(repo, 'worktree', 'remove', dir);
    expect(existsSync(dir)).toBe(false);
    expect(listed(repo).map((entry) => entry.path)).not.toContain(dir);
    expect(git(repo, 'worktree', 'list')).not.toContain('prunable');
  });

  it('numbers the registration when another worktree has the same directory name', async () => {
    const { repo, start } = makeRepo('twice');
    const first = path.join(root, 'twice', 'a', 'task');
    const second = path.join(root, 'twice', 'b', 'task');
    mkdirSync(path.dirname(first), { recursive: true });
    mkdirSync(path.dirname(second), { recursive: true });
    expect(await tryCreateBranchWorktree(repo, first, 'one', start)).toBe(true);
    expect(await tryCreateBranchWorktree(repo, second, 'two', start)).toBe(true);

    expect(readdirSync(path.join(repo, '.git', 'worktrees')).sort()).toEqual(['task', 'task1']);
    expect(listed(repo)).toContainEqual({ path: second, head: start, branch: 'refs/heads/two' });
    expect(git(second, 'status', '--porcelain')).toBe('');
  });

  it('declines, leaving nothing behind, when the branch exists', async () => {
    const { repo, start } = makeRepo('exists');
    git(repo, 'branch', 'task', 'HEAD^');
    git(repo, 'pack-refs', '--all');
    const dir = path.join(root, 'exists', 'wt', 'task');
    mkdirSync(path.dirname(dir), { recursive: true });

    expect(await tryCreateBranchWorktree(repo, dir, 'task', start)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(path.join(repo, '.git', 'worktrees'))).toEqual([]);
    expect(git(repo, 'rev-parse', 'task')).toBe(git(repo, 'rev-parse', 'HEAD^'));
  });

  it('checks out a branch that exists, packed or loose, when asked to', async () => {
    const { repo } = makeRepo('reopen');
    git(repo, 'branch', 'task', 'HEAD^');
    git(repo, 'pack-refs', '--all');
    const earlier = git(repo, 'rev-parse', 'HEAD^');
    const dir = path.join(root, 'reopen', 'wt', 'task');
    mkdirSync(path.dirname(dir), { recursive: true });

    expect(await tryCreateBranchWorktree(repo, dir, 'task', earlier, true)).toBe(true);
    expect(listed(repo)).toContainEqual({ path: dir, head: earlier, branch: 'refs/heads/task' });
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'rev-parse', 'task')).toBe(earlier);
  });

  it.each(['core.sparseCheckout', 'extensions.worktreeConfig'])(
    'declines where git would copy what %s asks for into the worktree',
    async (key) => {
      const name = key.replace('.', '-');
      const { repo, start } = makeRepo(name);
      git(repo, 'config', key, 'true');
      const dir = path.join(root, name, 'wt', 'task');
      mkdirSync(path.dirname(dir), { recursive: true });
      expect(await tryCreateBranchWorktree(repo, dir, 'task', start)).toBe(false);
      expect(existsSync(path.join(repo, '.git', 'worktrees'))).toBe(false);
    },
  );

  it('declines for a directory a missing worktree is still registered at', async () => {
    const { repo, start } = makeRepo('missing');
    const dir = path.join(root, 'missing', 'wt', 'task');
    git(repo, 'worktree', 'add', '--quiet', '-b', 'old', dir, start);
    rmSync(dir, { recursive: true });
    expect(await tryCreateBranchWorktree(repo, dir, 'task', start)).toBe(false);
    expect(readdirSync(path.join(repo, '.git', 'worktrees'))).toEqual(['task']);
  });
});

describe('openBranchWorktree', () => {
  it('opens a new branch, and the existing one on a later attempt, removing in between', async () => {
    const { repo, start } = makeRepo('open');
    const dir = path.join(root, 'open', 'wt', 'task');
    expect(await openBranchWorktree(repo, dir, 'task', start)).toEqual({ start, reused: false });
    expect(listed(repo)).toContainEqual({ path: dir, head: start, branch: 'refs/heads/task' });
    writeFileSync(path.join(dir, 'new.txt'), 'new\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'work');
    const work = git(dir, 'rev-parse', 'HEAD');

    await removeWorktree(repo, dir);
    expect(listed(repo).map((entry) => entry.path)).toEqual([repo]);
    // The branch exists now: it is checked out as it is, at its own commit.
    expect(await openBranchWorktree(repo, dir, 'task', start)).toEqual({ start: work, reused: false });
    expect(listed(repo)).toContainEqual({ path: dir, head: work, branch: 'refs/heads/task' });
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('replaces a leftover directory without a registration', async () => {
    const { repo, start } = makeRepo('leftover');
    const dir = path.join(root, 'leftover', 'wt', 'task');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'junk.txt'), 'junk\n');
    expect(await openBranchWorktree(repo, dir, 'task', start)).toEqual({ start, reused: false });
    expect(existsSync(path.join(dir, 'junk.txt'))).toBe(false);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('stages each registration whole and leaves no draft; drafts of dead processes are cleared', async () => {
    const { repo, start } = makeRepo('staged');
    const dir = path.join(root, 'staged', 'wt', 'task');
    mkdirSync(path.dirname(dir), { recursive: true });
    expect(await tryCreateBranchWorktree(repo, dir, 'task', start)).toBe(true);
    const staging = path.join(repo, '.git', STAGING_DIR);
    expect(readdirSync(staging)).toEqual([]);

    // A draft of a process that died before renaming it, and one of a live process (this one).
    mkdirSync(path.join(staging, 'gone-999999999-1'));
    mkdirSync(path.join(staging, `busy-${String(process.pid)}-1`));
    await clearStagedRegistrations(path.join(repo, '.git'));
    expect(readdirSync(staging)).toEqual([`busy-${String(process.pid)}-1`]);
  });

  it('clears a registration a killed process left unfinished, so git lists worktrees and the task opens again', async () => {
    const { repo, start } = makeRepo('unfinished');
    const folder = path.join(root, 'unfinished', 'wt');
    const dir = path.join(folder, 'task');
    const elsewhere = path.join(root, 'unfinished', 'other', 'task');
    leaveUnfinishedRegistration(path.join(repo, '.git', 'worktrees', 'task'), dir);
    expect(() => listed(repo)).toThrow(/failed to read .*commondir/);

    const cleared = await clearInterruptedRegistrations(repo, path.join(repo, '.git'), folder);
    expect(cleared).toEqual([{ admin: path.join(repo, '.git', 'worktrees', 'task'), dir }]);
    expect(listed(repo).map((entry) => entry.path)).toEqual([repo]);
    expect(await openBranchWorktree(repo, dir, 'task', start)).toEqual({ start, reused: false });
    expect(git(dir, 'status', '--porcelain')).toBe('');

    // One outside the folder asked about is not this caller's to judge: it stays.
    leaveUnfinishedRegistration(path.join(repo, '.git', 'worktrees', 'other'), elsewhere);
    expect(await clearInterruptedRegistrations(repo, path.join(repo, '.git'), folder)).toEqual([]);
    expect(existsSync(path.join(repo, '.git', 'worktrees', 'other', 'locked'))).toBe(true);
  });
});
