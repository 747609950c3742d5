import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, git } from './helpers.js';
import {
  runExpecting,
  setupScenario,
  statusJson,
  treeFiles,
  worktreePaths,
  type TaskDef,
} from './scenarios.js';

afterAll(cleanupTemp);

const title = 'Landing gear';
const milestoneBranch = 'milestone/001-landing-gear';
const integrationBranch = 'integration/milestone-001-land';
const defaultTasks: TaskDef[] = [
  { id: 'wheels', title: 'Wheels' },
  { id: 'struts', title: 'Struts', depends_on: ['wheels'] },
  { id: 'brakes', title: 'Brakes' },
];

/** A repository whose milestone 001 was run to completion (exit 0). */
async function ranMilestone(options: { integration?: string[]; tasks?: TaskDef[]; expectRun?: number } = {}) {
  const scenario = setupScenario({
    spec: {
      title,
      tasks: options.tasks ?? defaultTasks,
      ...(options.integration ? { integration: options.integration } : {}),
    },
    agentBody: `
case "$1" in
  broken) echo "broken on purpose"; exit 1 ;;
  *) mkdir -p parts && echo "$1" > "parts/$1.txt" ;;
esac`,
  });
  await runExpecting(scenario.root, ['run', '001'], options.expectRun ?? 0);
  return scenario;
}

function head(root: string, ref = 'main'): string {
  return git(root, ['rev-parse', ref]);
}

function branchExists(root: string, branch: string): boolean {
  return git(root, ['branch', '--list', branch]) !== '';
}

describe('cairn land: a finished milestone', () => {
  it('merges the milestone into main with a summary commit and updates the checkout', async () => {
    const { root } = await ranMilestone({
      integration: ['test -f parts/wheels.txt', 'test -f parts/struts.txt && test -f parts/brakes.txt'],
    });
    const mainBefore = head(root);
    const milestoneHead = head(root, milestoneBranch);

    const result = await cairn(root, ['land', '001']);
    expect(result.code, result.stderr).toBe(0);

    // main's first-parent head is the land commit: no fast-forward, two parents.
    const landCommit = head(root);
    expect(git(root, ['log', '--first-parent', '-1', '--format=%H', 'main'])).toBe(landCommit);
    expect(git(root, ['log', '-1', '--format=%s', 'main'])).toBe(`feat(milestone-001): ${title}`);
    expect(git(root, ['log', '-1', '--format=%P', 'main']).split(' ')).toEqual([mainBefore, milestoneHead]);
    expect(git(root, ['log', '-1', '--format=%(trailers:key=Milestone,valueonly)', 'main'])).toBe('001');
    const body = git(root, ['log', '-1', '--format=%b', 'main']);
    for (const task of defaultTasks) expect(body).toMatch(new RegExp(`^- ${task.id}\\b.*${task.title}`, 'm'));
    // Everything the tasks merged is on main, including every task merge.
    for (const task of defaultTasks) {
      expect(existsSync(path.join(root, 'parts', `${task.id}.txt`))).toBe(true);
      expect(readFileSync(path.join(root, 'parts', `${task.id}.txt`), 'utf8')).toBe(`${task.id}\n`);
    }
    expect(git(root, ['merge-base', '--is-ancestor', milestoneHead, 'main'])).toBe('');
    expect(git(root, ['status', '--porcelain'])).toBe('');
    expect(git(root, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    // The integration branch is the milestone itself (main had not moved); its worktree is gone.
    expect(head(root, integrationBranch)).toBe(milestoneHead);
    expect(worktreePaths(root)).toHaveLength(1);
    expect((await statusJson(root)).milestone.state).toBe('landed');
  });

  it('updates main by ref when main is not checked out, leaving the checkout alone', async () => {
    const { root } = await ranMilestone();
    git(root, ['checkout', '--quiet', '-b', 'side']);
    const mainBefore = head(root);
    const result = await cairn(root, ['land', '001']);
    expect(result.code, result.stderr).toBe(0);
    expect(git(root, ['log', '-1', '--format=%s', 'main'])).toBe(`feat(milestone-001): ${title}`);
    expect(git(root, ['log', '-1', '--format=%P', 'main']).split(' ')[0]).toBe(mainBefore);
    expect(git(root, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('side');
    expect(existsSync(path.join(root, 'parts'))).toBe(false);
    expect(treeFiles(root, 'main')).toEqual(expect.arrayContaining(['parts/wheels.txt', 'parts/struts.txt']));
  });
});

describe('cairn land: a milestone that already landed', () => {
  it('does not add a second land commit to main when landed again', async () => {
    const { root } = await ranMilestone();
    const first = await cairn(root, ['land', '001']);
    expect(first.code, first.stderr).toBe(0);
    const landed = head(root);
    const again = await cairn(root, ['land', '001']);
    // Either a no-op (exit 0) or a refusal (exit 1) is fine; a second, empty land commit is not.
    expect([0, 1]).toContain(again.code);
    expect(head(root)).toBe(landed);
    const landCommits = git(root, ['log', '--first-parent', '--format=%s', 'main']).split('\n');
    expect(landCommits.filter((subject) => subject === `feat(milestone-001): ${title}`)).toHaveLength(1);
  });
});

describe('cairn land: refusals', () => {
  it('refuses a milestone that was never run', async () => {
    const scenario = setupScenario({ spec: { title, tasks: defaultTasks }, agentBody: 'true' });
    const mainBefore = head(scenario.root);
    const result = await cairn(scenario.root, ['land', '001']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not been run/);
    expect(head(scenario.root)).toBe(mainBefore);
  });

  it('refuses while a task is not done, naming it', async () => {
    const { root } = await ranMilestone({
      tasks: [{ id: 'wheels' }, { id: 'broken', retries: 0 }],
      expectRun: 1,
    });
    const mainBefore = head(root);
    const result = await cairn(root, ['land', '001']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unfinished/);
    expect(result.stderr).toContain('broken');
    expect(result.stderr).not.toMatch(/wheels: /);
    expect(head(root)).toBe(mainBefore);
    expect(branchExists(root, integrationBranch)).toBe(false);
    expect(existsSync(path.join(root, 'parts'))).toBe(false);
  });

  it('refuses when the integration commands fail, leaving main unchanged', async () => {
    const { root } = await ranMilestone({
      integration: ['test -f parts/wheels.txt', 'echo integration-ran; false'],
    });
    const mainBefore = head(root);
    const result = await cairn(root, ['land', '001']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/integration/);
    expect(result.stderr).toContain('false');
    expect(head(root)).toBe(mainBefore);
    expect(existsSync(path.join(root, 'parts'))).toBe(false);
    expect(git(root, ['status', '--porcelain'])).toBe('');
    expect(worktreePaths(root)).toHaveLength(1);
    expect((await statusJson(root)).milestone.state).toBe('done');
  });

  it('refuses when the checked-out main has uncommitted changes, and keeps them', async () => {
    const { root } = await ranMilestone();
    const mainBefore = head(root);
    writeFileSync(path.join(root, 'README.md'), '# edited by the user, not committed\n');
    const result = await cairn(root, ['land', '001']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/uncommitted/);
    expect(result.stderr).toContain('README.md');
    expect(head(root)).toBe(mainBefore);
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toBe('# edited by the user, not committed\n');
    expect(git(root, ['status', '--porcelain'])).toBe('M README.md');
    expect(existsSync(path.join(root, 'parts'))).toBe(false);
  });

  it('does not overwrite an untracked file in the checkout that the land would bring in', async () => {
    const { root } = await ranMilestone();
    const mainBefore = head(root);
    // An untracked file that collides with a file the milestone adds.
    const partsDir = path.join(root, 'parts');
    mkdirSync(partsDir);
    writeFileSync(path.join(partsDir, 'wheels.txt'), 'the user wrote this\n');
    const result = await cairn(root, ['land', '001']);
    expect(result.code).toBe(1);
    expect(head(root)).toBe(mainBefore);
    expect(readFileSync(path.join(partsDir, 'wheels.txt'), 'utf8')).toBe('the user wrote this\n');
  });
});

describe('cairn land: main moved since the milestone started', () => {
  it('refuses when the latest main conflicts with the milestone, naming the file', async () => {
    const scenario = setupScenario({
      files: { 'README.md': '# title\nstatus: draft\n' },
      spec: { title, tasks: [{ id: 'docs' }] },
      agentBody: 'sed -i "s/^status: .*/status: from the milestone/" README.md',
    });
    const { root } = scenario;
    await runExpecting(root, ['run', '001'], 0);
    writeFileSync(path.join(root, 'README.md'), '# title\nstatus: from main\n');
    git(root, ['commit', '--quiet', '-am', 'conflicting work on main']);
    const mainBefore = head(root);
    const result = await cairn(root, ['land', '001']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/conflict/);
    expect(result.stderr).toContain('README.md');
    expect(head(root)).toBe(mainBefore);
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toBe('# title\nstatus: from main\n');
    expect(git(root, ['status', '--porcelain'])).toBe('');
  });

  it('integrates the milestone with the latest main, runs integration there, and lands both', async () => {
    const { root } = await ranMilestone({ integration: ['test -f late.txt && test -f parts/wheels.txt'] });
    writeFileSync(path.join(root, 'late.txt'), 'committed on main after the run\n');
    git(root, ['add', 'late.txt']);
    git(root, ['commit', '--quiet', '-m', 'unrelated work on main']);
    const mainBefore = head(root);
    const milestoneHead = head(root, milestoneBranch);

    const result = await cairn(root, ['land', '001']);
    expect(result.code, result.stderr).toBe(0);

    // The integration branch merges both lines.
    const integration = head(root, integrationBranch);
    expect(git(root, ['log', '-1', '--format=%P', integration]).split(' ').sort()).toEqual(
      [milestoneHead, mainBefore].sort(),
    );
    expect(treeFiles(root, integration)).toEqual(expect.arrayContaining(['late.txt', 'parts/wheels.txt']));
    // main: a land commit on top of the moved main, with both sides' files.
    expect(git(root, ['log', '-1', '--format=%P', 'main']).split(' ')).toEqual([mainBefore, integration]);
    expect(git(root, ['log', '-1', '--format=%s', 'main'])).toBe(`feat(milestone-001): ${title}`);
    expect(existsSync(path.join(root, 'late.txt'))).toBe(true);
    for (const task of defaultTasks)
      expect(existsSync(path.join(root, 'parts', `${task.id}.txt`))).toBe(true);
    expect(git(root, ['status', '--porcelain'])).toBe('');
    // The milestone branch itself was not rewritten.
    expect(head(root, milestoneBranch)).toBe(milestoneHead);
  });
});
