import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addSpec,
  cairn,
  cleanupTemp,
  configure,
  createRepo,
  git,
  tempDir,
  writeAgent,
  writeFiles,
  type CliResult,
} from './helpers.js';

afterAll(cleanupTemp);

/** Git must not find a repository above the temporary directory. */
const NO_PARENT_REPO = { GIT_CEILING_DIRECTORIES: tmpdir() };

const SPEC = `id: "001"
title: Auth
tasks:
  - id: a
    title: A
  - id: b
    title: B
    depends_on: [a]
`;

function expectNoStack(result: CliResult): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

/** Everything a failed command must leave as it was: refs, the working tree, worktrees. */
function snapshot(root: string) {
  return {
    refs: git(root, ['for-each-ref', '--format=%(refname) %(objectname)']),
    status: git(root, ['status', '--porcelain', '--untracked-files=all']),
    worktrees: git(root, ['worktree', 'list', '--porcelain']),
    head: git(root, ['symbolic-ref', 'HEAD']),
  };
}

function branches(root: string, pattern: string): string[] {
  return git(root, ['branch', '--list', pattern, '--format=%(refname:short)']).split('\n').filter(Boolean);
}

/** A repository with a working scripted agent and spec 001. */
function readyRepo(spec = SPEC): string {
  const root = createRepo();
  configure(root, writeAgent(root, 'agent.sh', 'echo done > "out-$CAIRN_TASK.txt"'));
  addSpec(root, '001-auth', spec);
  return root;
}

describe('outside a git repository', () => {
  it.each([
    ['init', ['init']],
    ['run', ['run', '001']],
    ['status', ['status']],
    ['validate', ['validate']],
    ['new', ['new', 'Some milestone']],
    ['plan', ['plan', '001']],
  ])('cairn %s exits 2 naming the directory and creates nothing', async (_name, args) => {
    const dir = tempDir('cairn-nogit-');
    const result = await cairn(dir, args, NO_PARENT_REPO);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*not inside a git repository/m);
    expect(result.stderr).toContain(path.basename(dir));
    expect(result.stderr).toMatch(/^hint: .*git init/m);
    expectNoStack(result);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a repository without commits', () => {
  it.each([
    ['init', ['init']],
    ['run', ['run', '001']],
    ['status', ['status']],
    ['validate', ['validate']],
    ['new', ['new', 'Some milestone']],
  ])('cairn %s exits 2, says there are no commits, and creates nothing', async (_name, args) => {
    const dir = tempDir('cairn-empty-');
    git(dir, ['init', '--quiet', '--initial-branch=main']);
    const result = await cairn(dir, args, NO_PARENT_REPO);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*has no commits/m);
    expect(result.stderr).toContain(path.basename(dir));
    expect(result.stderr).toMatch(/^hint: .*commit/m);
    expectNoStack(result);
    expect(readdirSync(dir)).toEqual(['.git']);
    expect(existsSync(path.join(dir, '.git', 'cairn'))).toBe(false);
  });
});

describe('missing base branch', () => {
  it('cairn run exits 2 naming the branch and creates no milestone branch', async () => {
    const root = readyRepo(SPEC.replace('title: Auth\n', 'title: Auth\nbase: develop\n'));
    const before = snapshot(root);
    const result = await cairn(root, ['run', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*base branch "develop".*does not exist/m);
    expect(result.stderr).toMatch(/^hint: .*develop/m);
    expectNoStack(result);
    expect(branches(root, 'milestone/*')).toEqual([]);
    expect(branches(root, 'feature/*')).toEqual([]);
    expect(snapshot(root)).toEqual(before);
    expect(existsSync(path.join(root, '.git', 'cairn', 'worktrees'))).toBe(false);
  });

  it('a base that is only a tag (no such branch) is rejected before any task starts', async () => {
    // `land` merges into the base *branch*, so a tag named like the base must not pass preflight.
    const root = readyRepo(SPEC.replace('title: Auth\n', 'title: Auth\nbase: develop\n'));
    git(root, ['tag', 'develop']);
    const before = snapshot(root);
    const result = await cairn(root, ['run', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*"develop"/m);
    expectNoStack(result);
    expect(branches(root, 'milestone/*')).toEqual([]);
    expect(branches(root, 'feature/*')).toEqual([]);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('agent binary missing', () => {
  it('cairn run exits 2 naming the profile and the binary before any task starts', async () => {
    const root = createRepo();
    writeFiles(root, {
      '.cairn/config.yaml':
        'defaults:\n  agent: ghost\nagents:\n  ghost:\n    command: ["definitely-not-a-binary-xyz", "{prompt}"]\n',
    });
    addSpec(root, '001-auth', SPEC);
    const before = snapshot(root);
    const result = await cairn(root, ['run', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*agent binary not found/m);
    expect(result.stderr).toMatch(/"ghost".*definitely-not-a-binary-xyz/);
    expect(result.stderr).toMatch(/^hint: /m);
    expectNoStack(result);
    expect(branches(root, 'feature/*')).toEqual([]);
    expect(git(root, ['worktree', 'list', '--porcelain']).match(/^worktree /gm)).toHaveLength(1);
    expect(existsSync(path.join(root, '.git', 'cairn', 'worktrees'))).toBe(false);
    expect(snapshot(root)).toEqual(before);
    // No task started, so no log and no agent output.
    expect(existsSync(path.join(root, '.git', 'cairn', 'logs'))).toBe(false);
  });

  it('names a missing binary of a profile defined in the spec, even with a valid default', async () => {
    const root = readyRepo(
      SPEC.replace(
        'tasks:\n',
        'agents:\n  phantom:\n    command: ["definitely-not-a-binary-xyz", "{prompt}"]\ntasks:\n',
      ).replace('    title: B\n', '    title: B\n    agent: phantom\n'),
    );
    const before = snapshot(root);
    const result = await cairn(root, ['run', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"phantom".*definitely-not-a-binary-xyz/);
    expectNoStack(result);
    expect(branches(root, 'feature/*')).toEqual([]);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('milestone not found', () => {
  it.each([
    ['run', '01', '001'],
    ['run', '001-atuh', '001-auth'],
    ['status', '01', '001'],
    ['plan', '001-aut', '001-auth'],
    ['validate', '01', '001'],
  ])('cairn %s %s exits 2 and suggests "%s"', async (command, name, suggestion) => {
    const root = readyRepo();
    const before = snapshot(root);
    const result = await cairn(root, [command, name]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^error: milestone "${name}" not found`, 'm'));
    expect(result.stderr).toMatch(new RegExp(`^hint: .*Did you mean "${suggestion}"\\?`, 'm'));
    expect(result.stderr).toContain('001-auth');
    expectNoStack(result);
    expect(snapshot(root)).toEqual(before);
    expect(branches(root, 'milestone/*')).toEqual([]);
  });

  it('a spec path that does not exist exits 2 naming the path', async () => {
    const root = readyRepo();
    const result = await cairn(root, ['run', '.milestones/001-nope.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*\.milestones\/001-nope\.yaml does not exist/m);
    expectNoStack(result);
    expect(branches(root, 'milestone/*')).toEqual([]);
  });

  it('with no specs at all, the hint says how to create one', async () => {
    const root = createRepo();
    const result = await cairn(root, ['run', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: milestone "001" not found/m);
    expect(result.stderr).toMatch(/^hint: .*cairn new/m);
    expectNoStack(result);
  });
});
