import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitTree, mergeIntoBranch } from '../../git/merge.js';
import { formatCommitMessage } from '../../git/trailers.js';
import { findLanding, readMilestoneHistory } from './git-history.js';
import { readMilestonesInGit } from './milestones.js';

const root = mkdtempSync(path.join(tmpdir(), 'cairn-history-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

function commitFile(branch: string, file: string): string {
  git('checkout', '-q', branch);
  writeFileSync(path.join(root, file), `${file}\n`);
  git('add', '-A');
  git('commit', '-q', '-m', `add ${file}`);
  return git('rev-parse', 'HEAD');
}

/** Merges task `id` into the milestone branch the way the merge queue does. */
async function mergeTask(id: string): Promise<{ commit: string; head: string }> {
  const branch = 'milestone/001-auth';
  git('branch', `feature/milestone-001-${id}`, branch);
  const head = commitFile(`feature/milestone-001-${id}`, `${id}.txt`);
  const message = formatCommitMessage({
    subject: `Merge task '${id}'`,
    trailers: [
      ['Milestone', '001'],
      ['Task', id],
    ],
  });
  const outcome = await mergeIntoBranch({
    repo: root,
    branch,
    head: git('rev-parse', branch),
    source: head,
    message,
  });
  if (outcome.kind !== 'merged') throw new Error(`merge of ${id}: ${outcome.kind}`);
  return { commit: outcome.commit, head };
}

git('init', '-q', '--initial-branch=main');
git('config', 'user.name', 'T');
git('config', 'user.email', 't@example.invalid');
mkdirSync(path.join(root, '.milestones'));
writeFileSync(
  path.join(root, '.milestones', '001-auth.yaml'),
  'id: "001"\ntitle: Auth\ntasks:\n  - { id: a, title: A }\n  - { id: b, title: B }\n  - { id: c, title: C }\n',
);
git('add', '-A');
git('commit', '-q', '-m', 'plan');
const start = git('rev-parse', 'HEAD');
git('branch', 'milestone/001-auth', start);

describe('milestone history from git', () => {
  let a: { commit: string; head: string };
  let b: { commit: string; head: string };

  it('reads the start and the task merges of the first-parent line, oldest first', async () => {
    a = await mergeTask('a');
    b = await mergeTask('b');
    commitFile('main', 'unrelated.txt'); // base moves on: the start must not follow it
    const { history, others } = await readMilestoneHistory(root, { id: '001', title: 'Auth', base: 'main' });
    expect(others).toEqual([]);
    expect(history).toEqual({
      branch: 'milestone/001-auth',
      start,
      merges: [
        { task: 'a', ...a },
        { task: 'b', ...b },
      ],
      landed: undefined,
    });
  });

  it('finds the landing commit on base, and still the right start after it', async () => {
    const milestoneHead = git('rev-parse', 'milestone/001-auth');
    const main = git('rev-parse', 'main');
    const message = formatCommitMessage({
      subject: 'feat(milestone-001): Auth',
      body: 'Tasks (2)',
      trailers: [['Milestone', '001']],
    });
    const landed = await commitTree(
      root,
      git('rev-parse', `${milestoneHead}^{tree}`),
      [main, milestoneHead],
      message,
    );
    git('update-ref', 'refs/heads/main', landed);
    expect(await findLanding(root, '001', 'main')).toBe(landed);
    expect(await findLanding(root, '002', 'main')).toBeUndefined();
    const { history } = await readMilestoneHistory(root, { id: '001', title: 'Auth', base: 'main' });
    expect(history).toMatchObject({ start, landed });
  });

  it('finds the branch of a milestone whose title changed since it ran', async () => {
    const { history } = await readMilestoneHistory(root, {
      id: '001',
      title: 'Authentication v2',
      base: 'main',
    });
    expect(history?.branch).toBe('milestone/001-auth');
    expect(history?.merges.map((merge) => merge.task)).toEqual(['a', 'b']);
    expect(
      (await readMilestoneHistory(root, { id: '002', title: 'Other', base: 'main' })).history,
    ).toBeUndefined();
  });

  it('reads each spec with its tasks and what git holds for it', async () => {
    const { milestones, unreadable } = await readMilestonesInGit(root);
    expect(unreadable).toEqual([]);
    expect(milestones).toHaveLength(1);
    expect(milestones[0]).toMatchObject({
      id: '001',
      title: 'Auth',
      base: 'main',
      specFile: path.join(root, '.milestones', '001-auth.yaml'),
      tasks: [
        { id: 'a', title: 'A' },
        { id: 'b', title: 'B' },
        { id: 'c', title: 'C' },
      ],
      history: { branch: 'milestone/001-auth', start },
    });
  });

  it('lists a spec it cannot read instead of failing', async () => {
    writeFileSync(path.join(root, '.milestones', '002-broken.yaml'), 'id: "002"\ntasks: 7\n');
    const { milestones, unreadable } = await readMilestonesInGit(root);
    expect(milestones).toHaveLength(1);
    expect(unreadable).toEqual([
      { file: path.join(root, '.milestones', '002-broken.yaml'), reason: expect.stringMatching(/problem/) },
    ]);
    rmSync(path.join(root, '.milestones', '002-broken.yaml'));
  });
});
