import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, firstParentMerges, git } from './helpers.js';
import {
  findFiles,
  invocations,
  mergeCommits,
  runExpecting,
  setupScenario,
  statusJson,
  taskOf,
  worktreePaths,
} from './scenarios.js';

/**
 * `first` sets mode B; `second` commits mode B itself, leaves mode C uncommitted and waits for
 * `first`'s merge on `branch`, so its branch conflicts with the milestone head until rebased.
 */
function rebaseAgent(branch: string): string {
  return `
case "$1" in
  first) sed -i "s/^mode = .*/mode = B/" setting.txt ;;
  second)
    sed -i "s/^mode = .*/mode = B/" setting.txt
    git -c user.name=Agent -c user.email=agent@cairn.invalid commit -q -am "mode B"
    sed -i "s/^mode = .*/mode = C/" setting.txt
    i=0
    until git log --format=%B "${branch}" | grep -qx "Task: first"; do
      i=$((i+1)); [ $i -lt 200 ] || { echo "first was never merged"; exit 1; }
      sleep 0.1
    done ;;
esac`;
}

afterAll(cleanupTemp);

const shared = 'header\nvalue = 0\nfooter\n';

describe('cairn run: two tasks rewrite the same line', () => {
  // Both start from the same milestone head (concurrency 2), so their edits really collide.
  const scenario = setupScenario({
    files: { 'README.md': '# test\n', 'config/shared.txt': shared },
    spec: {
      title: 'Same line',
      tasks: [
        { id: 'left', acceptance: ['grep -q "value = left" config/shared.txt'] },
        { id: 'right', acceptance: ['grep -q "value = right" config/shared.txt'] },
        { id: 'joint', depends_on: ['left', 'right'] },
      ],
    },
    agentBody: `
case "$1" in
  joint) echo joint > joint.txt ;;
  *) sed -i "s/^value = .*/value = $1/" config/shared.txt ;;
esac`,
  });
  const { root } = scenario;
  const branch = 'milestone/001-same-line';

  it('merges one, blocks the other naming the conflicting file, and exits 1', async () => {
    await runExpecting(root, ['run', '001', '--concurrency', '2'], 1);
    const status = await statusJson(root);
    const pair = status.tasks.filter((task) => task.id !== 'joint');
    expect(pair.map((task) => task.state).sort()).toEqual(['blocked', 'done']);
    const blocked = pair.find((task) => task.state === 'blocked')!;
    const done = pair.find((task) => task.state === 'done')!;
    expect(blocked.reason).toContain('config/shared.txt');
    expect(blocked.reason).toMatch(/conflict/);
    expect(blocked.merge_commit).toBeNull();
    expect(blocked.attempts).toBe(1);

    const merges = mergeCommits(root, branch);
    expect(merges.map((merge) => merge.task)).toEqual([done.id]);
    expect(merges[0]!.hash).toBe(done.merge_commit);
    expect(git(root, ['show', `${branch}:config/shared.txt`])).toBe(`header\nvalue = ${done.id}\nfooter`);
    // Both agents ran exactly once: a conflict is not retried by re-running the agent.
    expect(invocations(scenario.marker).get('left')).toBe(1);
    expect(invocations(scenario.marker).get('right')).toBe(1);
    // The blocked task's work is kept on its branch, un-rebased.
    expect(git(root, ['show', `feature/milestone-001-${blocked.id}:config/shared.txt`])).toBe(
      `header\nvalue = ${blocked.id}\nfooter`,
    );
    // A task that needs the blocked one never starts.
    const joint = taskOf(status, 'joint');
    expect(joint).toMatchObject({ state: 'blocked', attempts: 0 });
    expect(joint.reason).toBe(`dependency ${blocked.id} is blocked`);
    expect(invocations(scenario.marker).has('joint')).toBe(false);
    expect(status.milestone.state).toBe('failed');
  });

  it('leaves no rebase in progress in the blocked task worktree', () => {
    for (const dir of worktreePaths(root).slice(1)) {
      const gitDir = git(dir, ['rev-parse', '--absolute-git-dir']);
      expect(existsSync(path.join(gitDir, 'rebase-merge'))).toBe(false);
      expect(existsSync(path.join(gitDir, 'rebase-apply'))).toBe(false);
      expect(git(dir, ['status', '--porcelain'])).toBe('');
      expect(git(dir, ['rev-parse', '--abbrev-ref', 'HEAD'])).toMatch(/^feature\/milestone-001-/);
    }
  });
});

describe('cairn run: two tasks edit well-separated regions of one file', () => {
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
  const scenario = setupScenario({
    files: { 'README.md': '# test\n', 'big.txt': `${lines.join('\n')}\n` },
    spec: { title: 'Separate regions', tasks: [{ id: 'top' }, { id: 'bottom' }] },
    agentBody: `
case "$1" in
  top) sed -i "s/^line 2$/line 2 edited by top/" big.txt ;;
  bottom) sed -i "s/^line 39$/line 39 edited by bottom/" big.txt ;;
esac
# Both tasks are started before either finishes: each waits for the other to have begun.
touch "$SCRATCH/started-$1"
i=0; while [ $i -lt 100 ] && { [ ! -f "$SCRATCH/started-top" ] || [ ! -f "$SCRATCH/started-bottom" ]; }; do sleep 0.1; i=$((i+1)); done`,
  });
  const { root } = scenario;
  const branch = 'milestone/001-separate-regions';

  it('merges both with a real three-way merge; the file has both edits', async () => {
    await runExpecting(root, ['run', '001', '--concurrency', '2'], 0);
    const status = await statusJson(root);
    expect(taskOf(status, 'top').state).toBe('done');
    expect(taskOf(status, 'bottom').state).toBe('done');
    const merges = mergeCommits(root, branch);
    expect(merges.map((merge) => merge.task).sort()).toEqual(['bottom', 'top']);
    for (const merge of merges) expect(merge.parents).toHaveLength(2);
    // Neither task branch contains the other: the second merge really combined divergent work.
    const top = git(root, ['rev-parse', 'feature/milestone-001-top']);
    const bottom = git(root, ['rev-parse', 'feature/milestone-001-bottom']);
    expect(git(root, ['merge-base', top, bottom])).toBe(git(root, ['rev-parse', 'main']));
    expect(merges[1]!.parents[1]).toBe(merges[1]!.task === 'top' ? top : bottom);

    const expected = [...lines];
    expected[1] = 'line 2 edited by top';
    expected[38] = 'line 39 edited by bottom';
    expect(git(root, ['show', `${branch}:big.txt`])).toBe(expected.join('\n'));
  });
});

describe('cairn run: a merge conflict that a rebase resolves', () => {
  /*
   * `first` sets the line to B. `second` makes the same change in a commit of its own, then
   * changes B to C. The net diffs (A→B vs A→C) conflict in a merge, but a rebase drops the
   * commit already upstream and replays B→C cleanly. `second` waits until `first` is merged.
   */
  const scenario = setupScenario({
    files: { 'README.md': '# test\n', 'setting.txt': 'top\nmode = A\nbottom\n' },
    spec: {
      title: 'Rebase rescue',
      tasks: [{ id: 'first' }, { id: 'second', acceptance: ['grep -qx "mode = C" setting.txt'] }],
    },
    agentBody: rebaseAgent('milestone/001-rebase-rescue'),
  });
  const { root } = scenario;
  const branch = 'milestone/001-rebase-rescue';

  it('rebases the task onto the milestone head, re-checks it and merges it', async () => {
    const result = await runExpecting(root, ['run', '001', '--concurrency', '2'], 0);
    const status = await statusJson(root);
    expect(taskOf(status, 'first').state).toBe('done');
    const second = taskOf(status, 'second');
    expect(second).toMatchObject({ state: 'done', attempts: 1 });
    expect(firstParentMerges(root, branch).map((merge) => merge.task)).toEqual(['first', 'second']);
    expect(git(root, ['show', `${branch}:setting.txt`])).toBe('top\nmode = C\nbottom');
    // The merged head of `second` was rebased: it descends from the merge of `first`.
    const [firstMerge, secondMerge] = mergeCommits(root, branch);
    expect(
      git(root, ['merge-base', '--is-ancestor', firstMerge!.hash, secondMerge!.parents[1]!]).length,
    ).toBe(0);
    expect(invocations(scenario.marker).get('second')).toBe(1);
    const log = findFiles(path.join(root, '.git', 'cairn', 'logs'), 'second.1.log');
    expect(readFileSync(log[0]!, 'utf8')).toContain('acceptance after rebase');
    expect(result.stdout + result.stderr).not.toMatch(/blocked/);
  });
});

describe('cairn run: acceptance after a rebase sees the same environment as before', () => {
  // Same construction as above; the acceptance command also uses the agent environment.
  const scenario = setupScenario({
    files: { 'README.md': '# test\n', 'setting.txt': 'top\nmode = A\nbottom\n' },
    spec: {
      title: 'Rebase env',
      tasks: [
        { id: 'first' },
        { id: 'second', acceptance: ['test "$CAIRN_TASK" = second && test "$CAIRN_MILESTONE" = 001'] },
      ],
    },
    agentBody: rebaseAgent('milestone/001-rebase-env'),
  });

  it('passes the re-check that passed before the rebase', async () => {
    const result = await cairn(scenario.root, ['run', '001', '--concurrency', '2']);
    const second = taskOf(await statusJson(scenario.root), 'second');
    expect(second.reason).toBeNull();
    expect(second.state).toBe('done');
    expect(result.code).toBe(0);
  });
});
