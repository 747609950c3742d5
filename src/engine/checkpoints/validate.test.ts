import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpoint, task } from './fixtures.js';
import { validateCheckpoint } from './validate.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function repoWithCommits(): { root: string; commits: string[] } {
  const root = mkdtempSync(path.join(tmpdir(), 'cairn-validate-'));
  dirs.push(root);
  git(root, ['init', '--quiet', '--initial-branch=main']);
  git(root, ['config', 'user.name', 'T']);
  git(root, ['config', 'user.email', 't@t.invalid']);
  const commits: string[] = [];
  for (const n of [1, 2, 3]) {
    writeFileSync(path.join(root, 'f.txt'), `${n}\n`);
    git(root, ['add', 'f.txt']);
    git(root, ['commit', '--quiet', '-m', `c${n}`]);
    commits.push(git(root, ['rev-parse', 'HEAD']));
  }
  return { root, commits };
}

function at(head: string, mergeCommit: string) {
  const cp = checkpoint(1, [task('a', 'done', { mergeCommit, branchHead: null })]);
  cp.content.milestoneHead = head;
  return cp;
}

describe('validateCheckpoint', () => {
  it('accepts a head that is the branch head or an ancestor of it', async () => {
    const { root, commits } = repoWithCommits();
    const [c1, c2, c3] = commits as [string, string, string];
    expect(await validateCheckpoint(root, at(c3, c3), c3)).toEqual({
      missingCommits: [],
      commitsChecked: 1,
      head: 'same',
    });
    expect((await validateCheckpoint(root, at(c1, c2), c3)).head).toBe('ancestor');
  });

  it('reports a head the branch no longer descends from, and commits that do not exist', async () => {
    const { root, commits } = repoWithCommits();
    const [c1, , c3] = commits as [string, string, string];
    expect((await validateCheckpoint(root, at(c3, c3), c1)).head).toBe('diverged');
    const gone = 'f'.repeat(40);
    const result = await validateCheckpoint(root, at(gone, c1), c3);
    expect(result).toEqual({ missingCommits: [gone], commitsChecked: 2, head: 'missing' });
  });
});
